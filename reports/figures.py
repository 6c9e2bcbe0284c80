"""The figures of a practice report: the snapshot described in reports/SNAPSHOT.md.

``compute()`` reads the steering registrations of one network, of every network of a region or
of all of Flanders, for one half year or calendar year, and returns plain JSON data (ints, floats, strings, lists, dicts, None; dates as
ISO strings). The PDF, CSV and XLSX are rendered from that snapshot alone.

Rules that hold throughout:

* **Raw counts.** Small-cell suppression ("<5") is applied when a table is rendered
  (``reports.disclosure``), never here. ``count_columns`` lists exactly the columns holding counts.
* **No client data, no individual answers.** Self-assessment results are medians of at least
  ``MIN_RESPONDENTS_FOR_RESULTS`` answers (``networks.assessment_results``); score values are read
  as bare numbers and never leave this module, respondents and comments are never read.
* **Period end.** "At the end of the period" means the period's last day, or the day of computing
  when the period is still running (``as_of`` below). Both ends of the period are inclusive.
* **A fixed number of queries** (one for the scope and one per section; the case sections and the
  per-network breakdowns of region and Flanders reports add theirs, see reports/figures_cases.py),
  whatever the number of networks or rows: every figure is a conditional COUNT in a grouped query
  or a correlated subquery; rows are combined per network in Python.
* **Deterministic.** Rows are sorted by their label (accents and case ignored), except the
  criteria of the self-assessment, which keep the order of the research (structural, relational,
  contextual; then the criterion's position), as on the self-assessment pages.

Texts are Dutch and go through gettext: the snapshot is written in the active language.
"""

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, FilteredRelation, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from networks.assessment_results import compare_rounds, group_by_dimension, values_by_criterion
from networks.models import (
    EXPIRY_REMINDER_DAYS,
    MIN_RESPONDENTS_FOR_RESULTS,
    ActionItem,
    Agreement,
    Attendance,
    Body,
    Decision,
    Goal,
    GoalProgress,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Region,
    Score,
    SelfAssessmentRound,
)
from networks.queries import distinct_count_per_row

from .disclosure import THRESHOLD
from .figures_cases import Breakdown, case_sections, has_case_work
from .figures_crisis import crisis_section, has_crisis_work
from .figures_detention import detention_sections, has_detention_work
from .figures_planmakers import has_planmaker_work, planmaker_sections
from .indicators import REGISTRY
from .indicators import report_values as indicator_values
from .models import FLANDERS_LABEL, ReportPeriod
from .sections import fact as _fact
from .sections import grouped_table as _grouped_table
from .sections import section as _section
from .sections import table as _table

SCHEMA = 1
NO_FIGURE = "–"  # a figure that is not shown: too few answers, nothing measured, nothing to divide by

_OPEN_STATUSES = (ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS)


# --- helpers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    """The period as moments and days. Meetings are timestamps, the rest are dates."""

    period: ReportPeriod
    today: datetime.date
    as_of: datetime.date  # the period's last day, or today while the period runs
    starts_at: datetime.datetime  # first moment of the period (local time)
    ends_at: datetime.datetime  # first moment after the period
    held_until: datetime.datetime  # meetings before this moment have taken place

    @property
    def is_finished(self) -> bool:
        return self.period.is_finished(self.today)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _window(period: ReportPeriod, today: datetime.date | None) -> _Window:
    if today is None:
        now = timezone.now()
        today = timezone.localdate(now)
    else:
        now = _midnight(today + datetime.timedelta(days=1))  # the whole given day has passed
    ends_at = _midnight(period.end + datetime.timedelta(days=1))
    return _Window(
        period=period,
        today=today,
        as_of=min(period.end, today),
        starts_at=_midnight(period.start),
        ends_at=ends_at,
        held_until=min(ends_at, now),
    )


def _sort_key(label: Any) -> tuple[str, str]:
    """Alphabetical the way a reader expects: accents and case ignored, then the exact text."""
    text = str(label)
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.casefold(), text


def _sorted_rows(rows: Iterable[list]) -> list[list]:
    return sorted(rows, key=lambda row: _sort_key(row[0]))


def _percent(part: int | Decimal, whole: int | Decimal) -> str:
    """part / whole as a whole percentage ("83%"), halves rounded up; "–" when whole is 0."""
    if not whole:
        return NO_FIGURE
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{value if value else 0}%"  # never "-0%"


def _number(value: Decimal | None) -> float | str:
    return NO_FIGURE if value is None else float(value)


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day is not None else NO_FIGURE


def _column_totals(rows: list[list], columns: Sequence[int], width: int) -> list:
    """A "Totaal" row: the sum of each listed column; other columns are filled in by the caller."""
    total: list[Any] = [_("Totaal"), *([""] * (width - 1))]
    for column in columns:
        total[column] = sum(row[column] for row in rows)
    return total


# --- queries: one per section, rows keyed by network where the region table needs them ----------


def _membership_counts(network_ids: list[int], w: _Window) -> list[dict]:
    """Per network and sector: memberships running at the end, started and ended in the period."""
    at_end = Q(since__lte=w.as_of) & (Q(until__isnull=True) | Q(until__gte=w.as_of))
    joined = Q(since__gte=w.period.start, since__lte=w.as_of)
    left = Q(until__gte=w.period.start, until__lte=w.as_of)
    return list(
        NetworkMembership.objects.filter(network_id__in=network_ids)
        .filter(at_end | joined | left)
        .order_by()
        .values(
            "network_id",
            "organisation__sector_id",
            "organisation__sector__name",
            "organisation__sector__abbreviation",
        )
        .annotate(
            at_end=Count("pk", filter=at_end),
            joined=Count("pk", filter=joined),
            left=Count("pk", filter=left),
        )
    )


def _meeting_counts(network_ids: list[int], w: _Window) -> list[dict]:
    """Per body (all bodies of the scope, also those that did not meet): meetings held in the
    period, invitations to and people present at those meetings, and meetings still planned."""
    held = Q(in_period__starts_at__lt=w.held_until)
    return list(
        Body.objects.filter(network_id__in=network_ids)
        .annotate(
            in_period=FilteredRelation(
                "meetings",
                condition=Q(meetings__starts_at__gte=w.starts_at, meetings__starts_at__lt=w.ends_at),
            )
        )
        .order_by()
        .values("pk", "network_id", "kind", "name")
        .annotate(
            held=Count("in_period", filter=held, distinct=True),
            planned=Count("in_period", filter=Q(in_period__starts_at__gte=w.held_until), distinct=True),
            invited=Count("in_period__attendances", filter=held),
            present=Count(
                "in_period__attendances",
                filter=held & Q(in_period__attendances__status=Attendance.Status.PRESENT),
            ),
        )
    )


def _decision_counts(network_ids: list[int], w: _Window) -> dict[str, dict]:
    """Per method: decisions of meetings held in the period, and those taken while a participating
    organisation had no mandated representative present."""
    rows = (
        Decision.objects.filter(
            agenda_item__meeting__network_id__in=network_ids,
            agenda_item__meeting__starts_at__gte=w.starts_at,
            agenda_item__meeting__starts_at__lt=w.held_until,
        )
        .order_by()
        .values("method")
        .annotate(
            n=Count("pk", distinct=True),
            without_mandate=Count("pk", distinct=True, filter=Q(organisations_without_mandate__isnull=False)),
        )
    )
    return {row["method"]: row for row in rows}


def _action_counts(network_ids: list[int], w: _Window) -> list[dict]:
    """Per network, for actions agreed in the period and actions carried over (agreed earlier,
    still open at the start): how many, and how they stood at the end."""
    agreed_in_period = Q(meeting__starts_at__gte=w.starts_at)
    carried_over = Q(meeting__starts_at__lt=w.starts_at) & (
        Q(status__in=_OPEN_STATUSES) | Q(status=ActionItem.Status.DONE, completed_on__gte=w.period.start)
    )
    done = Q(status=ActionItem.Status.DONE) & (Q(completed_on__isnull=True) | Q(completed_on__lte=w.as_of))
    open_ = Q(status__in=_OPEN_STATUSES) | Q(status=ActionItem.Status.DONE, completed_on__gt=w.as_of)
    overdue = open_ & Q(due_on__lt=w.as_of)
    dropped = Q(status=ActionItem.Status.DROPPED)
    figures = {}
    for prefix, population in (("new", agreed_in_period), ("carried", carried_over)):
        figures[f"{prefix}_n"] = Count("pk", filter=population)
        for name, condition in (("done", done), ("open", open_), ("overdue", overdue), ("dropped", dropped)):
            figures[f"{prefix}_{name}"] = Count("pk", filter=population & condition)
    return list(
        ActionItem.objects.filter(network_id__in=network_ids, meeting__starts_at__lt=w.ends_at)
        .filter(agreed_in_period | carried_over)
        .order_by()
        .values("network_id")
        .annotate(**figures)
    )


def _operational_goals(network_ids: list[int], w: _Window) -> list[dict]:
    """Operational goals with their last measurement on or before the end of the period."""
    last = (
        GoalProgress.objects.filter(goal=OuterRef("pk"), measured_on__lte=w.as_of)
        .order_by("-measured_on", "-pk")
        .values
    )
    return list(
        Goal.objects.filter(network_id__in=network_ids, kind=Goal.Kind.OPERATIONAL)
        .annotate(last_value=Subquery(last("value")[:1]), last_measured_on=Subquery(last("measured_on")[:1]))
        .order_by("title", "network__name", "pk")
        .values(
            "pk",
            "network_id",
            "title",
            "network__name",
            "indicator",
            "unit",
            "baseline_value",
            "target_value",
            "status",
            "last_value",
            "last_measured_on",
            # A link to a registered figure, or a hand measurement marked as a count of people
            # (reports/indicators.py); the same query through the one-to-one.
            "report_indicator__figure",
            "report_indicator__counts_people",
        )
    )


def _valid_agreements(network_ids: list[int], w: _Window) -> list[dict]:
    return list(
        Agreement.objects.filter(network_id__in=network_ids, valid_from__lte=w.as_of)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=w.as_of))
        .order_by("title", "version", "network__name", "pk")
        .values("title", "version", "binding", "valid_until", "network__name")
    )


def _closed_rounds(network_ids: list[int], w: _Window) -> list[dict]:
    """Rounds closed on or before the end of the period (by the chair, or automatically after
    their closing day), newest first per network, with their number of respondents."""
    closed = Q(closed_at__lt=w.ends_at) | Q(closes_on__lte=w.period.end, closes_on__lt=w.today)
    return list(
        SelfAssessmentRound.objects.filter(network_id__in=network_ids)
        .filter(closed)
        .values("pk", "network_id", "network__name", "title", "opened_on", "closes_on", "closed_at")
        .annotate(respondents=Count("scores__respondent", distinct=True))
        .order_by("network_id", "-opened_on", "-pk")
    )


@dataclass(frozen=True)
class _Criterion:
    """What compare_rounds needs of a criterion (no model instance, no extra query)."""

    pk: int
    name: str
    dimension: str
    position: int


def _score_values(round_ids: list[int]) -> list[tuple]:
    """(round, criterion, …, value) only: no respondent and no comment is ever read."""
    return list(
        Score.objects.filter(round_id__in=round_ids)
        .order_by()
        .values_list(
            "round_id",
            "criterion_id",
            "criterion__name",
            "criterion__dimension",
            "criterion__position",
            "value",
        )
    )


def _partner_load(network_ids: list[int], w: _Window) -> list[dict]:
    """Organisations that are members at the end of the period, with their load across ALL
    networks: networks, bodies (seats through running roles), meetings invited to in the period."""
    running = NetworkMembership.objects.active(w.as_of)
    seats = Membership.bodies.through.objects.filter(membership__in=Membership.objects.active(w.as_of))
    invitations = Attendance.objects.filter(
        meeting__starts_at__gte=w.starts_at, meeting__starts_at__lt=w.held_until
    )
    return list(
        Organisation.objects.filter(
            pk__in=running.filter(network_id__in=network_ids).values("organisation_id")
        )
        .annotate(
            network_count=distinct_count_per_row(running, "organisation", "network"),
            body_count=distinct_count_per_row(seats, "membership__organisation", "body"),
            meeting_count=distinct_count_per_row(invitations, "organisation", "meeting"),
        )
        .order_by("name", "pk")
        .values(
            "name", "sector__name", "sector__abbreviation", "network_count", "body_count", "meeting_count"
        )
    )


# --- sections -----------------------------------------------------------------------------------


def _sector_label(row: dict, prefix: str) -> str:
    return row[f"{prefix}abbreviation"] or row[f"{prefix}name"]


def _members_section(memberships: list[dict]) -> dict:
    per_sector: dict[int, list] = {}
    for row in memberships:
        counts = per_sector.setdefault(
            row["organisation__sector_id"], [_sector_label(row, "organisation__sector__"), 0, 0, 0]
        )
        counts[1] += row["at_end"]
        counts[2] += row["joined"]
        counts[3] += row["left"]
    columns = [_("Sector"), _("Leden op einddatum"), _("Nieuw in periode"), _("Vertrokken in periode")]
    rows = _sorted_rows(per_sector.values())
    total = _column_totals(rows, [1, 2, 3], len(columns))
    return _section(
        "members",
        _("Lidorganisaties"),
        _(
            "Het aantal lidorganisaties per sector op de einddatum van de periode, en hoeveel "
            "organisaties in de periode lid werden of vertrokken."
        ),
        _(
            "Een organisatie telt als lid op de einddatum wanneer haar lidmaatschap (deelnemend, "
            "plaatsvervangend of volgt via verslag) op die dag loopt. Nieuw in periode: "
            "lidmaatschappen met een begindatum in de periode. Vertrokken in periode: lidmaatschappen "
            "met een einddatum in de periode; de einddatum is de laatste dag van het lidmaatschap, "
            "dus wie op de laatste dag van de periode vertrekt, telt ook nog als lid op de einddatum. "
            "Begin- en einddag van de periode tellen mee; loopt de periode nog, dan is de einddatum "
            "de dag van berekening. Voor een regio worden de netwerken opgeteld: een organisatie die "
            "lid is van twee netwerken, telt twee keer. Sectoren zonder leden, nieuwe of vertrokken "
            "organisaties worden niet getoond."
        ),
        [
            _table(
                "members_by_sector",
                _("Lidorganisaties per sector"),
                columns,
                rows,
                total=total,
                count_columns=[],  # organisations: public, identify nobody
                chart=True,
            )
        ],
        [
            _fact(_("Lidorganisaties op einddatum"), total[1], is_count=False),
            _fact(_("Nieuwe lidorganisaties"), total[2], is_count=False),
            _fact(_("Vertrokken lidorganisaties"), total[3], is_count=False),
        ],
    )


def _shown_rate(present: int, invited: int) -> str:
    # A rate computed from a suppressed count would give that count away (2 of 3 = 67%).
    if 0 < invited < THRESHOLD or 0 < present < THRESHOLD:
        return "–"
    return _percent(present, invited)


def _meetings_section(bodies: list[dict], w: _Window, *, per_kind: bool) -> dict:
    grouped: dict[Any, list] = {}
    kind_labels = dict(Body.Kind.choices)
    for body in bodies:
        if per_kind:
            key, label = body["kind"], capfirst(str(kind_labels.get(body["kind"], body["kind"])))
        else:
            key, label = body["pk"], body["name"]
        counts = grouped.setdefault(key, [label, 0, 0, 0])
        counts[1] += body["held"]
        counts[2] += body["invited"]
        counts[3] += body["present"]
    rows = [[*counts, _shown_rate(counts[3], counts[2])] for counts in _sorted_rows(grouped.values())]
    columns = [
        _("Soort orgaan") if per_kind else _("Orgaan"),
        _("Vergaderingen"),
        _("Uitnodigingen"),
        _("Aanwezig"),
        _("Aanwezigheidsgraad"),
    ]
    total = _column_totals(rows, [1, 2, 3], len(columns))
    total[4] = _shown_rate(total[3], total[2])
    facts = [
        _fact(_("Vergaderingen gehouden"), total[1], is_count=False),
        _fact(_("Aanwezigheidsgraad"), total[4], is_count=False),
    ]
    if not w.is_finished:
        planned = sum(body["planned"] for body in bodies)
        facts.append(_fact(_("Nog geplande vergaderingen in de periode"), planned, is_count=False))
    definition = _(
        "Een vergadering telt mee als ze in de periode plaatsvond: datum en uur in de periode "
        "(Belgische tijd; begin- en einddag tellen mee) en niet later dan het moment van berekening. "
        "Uitnodigingen: de personen die voor die vergaderingen uitgenodigd waren. Aanwezig: "
        "uitgenodigden met de status aanwezig; wie zich liet vertegenwoordigen, telt niet als "
        "aanwezig, de vervanger wel als die zelf uitgenodigd was. Aanwezigheidsgraad: aanwezigen "
        "gedeeld door uitnodigingen, in procent."
    )
    if per_kind:
        definition += " " + _("Voor een regio worden de organen van alle netwerken per soort samengeteld.")
    return _section(
        "meetings",
        _("Vergaderingen"),
        _(
            "De vergaderingen die in de periode plaatsvonden, per orgaan, met het aantal uitnodigingen "
            "en aanwezigen."
        ),
        definition,
        [
            _table(
                "meetings_by_body_kind" if per_kind else "meetings_by_body",
                _("Vergaderingen per soort orgaan") if per_kind else _("Vergaderingen per orgaan"),
                columns,
                rows,
                total=total,
                count_columns=[2, 3],  # invitations and people present
                chart=True,
            )
        ],
        facts,
    )


def _decisions_section(decisions: dict[str, dict]) -> dict:
    rows = _sorted_rows(
        [capfirst(str(label)), decisions.get(method, {}).get("n", 0)]
        for method, label in Decision.Method.choices
    )
    columns = [_("Genomen bij"), _("Besluiten")]
    total = _column_totals(rows, [1], len(columns))
    without_mandate = sum(row["without_mandate"] for row in decisions.values())
    return _section(
        "decisions",
        _("Besluiten"),
        _("De besluiten van de vergaderingen in de periode, per wijze van besluitvorming."),
        _(
            "Besluiten die opgetekend zijn bij een agendapunt van een vergadering die in de periode "
            "plaatsvond. Zonder mandaat: besluiten waarbij minstens één deelnemende organisatie geen "
            "gemandateerde vertegenwoordiger aanwezig had."
        ),
        [
            _table(
                "decisions_by_method",
                _("Besluiten per wijze van besluitvorming"),
                columns,
                rows,
                total=total,
                count_columns=[],
                chart=True,
            )
        ],
        [
            _fact(_("Besluiten genomen"), total[1], is_count=False),
            _fact(
                _("Besluiten zonder gemandateerde vertegenwoordiger van een deelnemende organisatie"),
                without_mandate,
                is_count=False,
            ),
        ],
    )


_ACTION_FIGURES = ("n", "done", "open", "overdue", "dropped")


def _actions_section(actions: list[dict]) -> dict:
    def summed(prefix: str) -> list[int]:
        return [sum(row[f"{prefix}_{name}"] for row in actions) for name in _ACTION_FIGURES]

    created = summed("new")
    rows = _sorted_rows(
        [
            [_("Aangemaakt in de periode"), *created],
            [_("Overgedragen uit een vorige periode"), *summed("carried")],
        ]
    )
    columns = [_("Actiepunten"), _("Aantal"), _("Afgerond"), _("Open"), _("Te laat"), _("Geschrapt")]
    total = _column_totals(rows, [1, 2, 3, 4, 5], len(columns))
    return _section(
        "actions",
        _("Actiepunten"),
        _(
            "De actiepunten die in de periode afgesproken werden of uit een vorige periode nog "
            "openstonden, en hoe ze er op de einddatum van de periode voor stonden."
        ),
        _(
            "Een actiepunt hoort bij de vergadering waarop het afgesproken werd. Aangemaakt in de "
            "periode: actiepunten van vergaderingen in de periode. Overgedragen: actiepunten van "
            "eerdere vergaderingen die bij het begin van de periode nog open waren. Stand op de "
            "einddatum: afgerond (op of vóór de einddatum), open (open, bezig, of pas na de "
            "einddatum afgerond), te laat (open met een deadline vóór de einddatum; een deel van de "
            "open actiepunten) en geschrapt. Wanneer een actiepunt geschrapt werd, wordt niet "
            "bijgehouden: een geschrapt actiepunt van de periode telt als geschrapt, een geschrapt "
            "actiepunt van een eerdere periode telt niet mee."
        ),
        [
            _table(
                "actions",
                _("Actiepunten op de einddatum"),
                columns,
                rows,
                total=total,
                count_columns=[],
            )
        ],
        [
            _fact(_("Actiepunten aangemaakt in de periode"), created[0], is_count=False),
            _fact(_("Actiepunten te laat op de einddatum"), total[4], is_count=False),
        ],
    )


def _progress(goal: dict) -> str:
    """How far the last value went from the baseline (0 when empty) to the target, in percent."""
    target, value = goal["target_value"], goal["last_value"]
    baseline = goal["baseline_value"] if goal["baseline_value"] is not None else Decimal(0)
    if target is None or value is None or target == baseline:
        return NO_FIGURE
    return _percent(value - baseline, target - baseline)


def _goal_value(value: Decimal | None, *, counts_people: bool) -> int | float | str:
    """A measured value: an int when it counts people (suppressed below 5 like every count),
    a float otherwise."""
    if value is None:
        return NO_FIGURE
    if counts_people:
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return float(value)


def _goals_section(
    goals: list[dict], w: _Window, *, with_network: bool, linked: dict[int, Decimal | None] | None = None
) -> dict:
    status_labels = dict(Goal.Status.choices)
    linked = linked or {}
    rows = []
    for goal in goals:
        indicator = goal["indicator"]
        if goal["unit"]:
            indicator = f"{indicator} ({goal['unit']})"
        figure = REGISTRY.get(goal.get("report_indicator__figure") or "")
        if figure is not None:
            # Linked: the figure of the registrations over this period, not a typed number.
            goal = {**goal, "last_value": linked.get(goal["pk"]), "last_measured_on": w.as_of}
            indicator = _("%(indicator)s (uit de registraties: %(figure)s)") % {
                "indicator": indicator,
                "figure": figure.label,
            }
            counts_people = figure.counts_people
        else:
            counts_people = bool(goal.get("report_indicator__counts_people"))
        row = [
            goal["title"],
            indicator,
            _number(goal["target_value"]),
            _goal_value(goal["last_value"], counts_people=counts_people),
            _iso(goal["last_measured_on"]),
            _progress(goal),
            capfirst(str(status_labels.get(goal["status"], goal["status"]))),
        ]
        if with_network:
            row.insert(1, goal["network__name"])
        rows.append(row)
    columns = [
        _("Doel"),
        _("Indicator"),
        _("Streefwaarde"),
        _("Laatste waarde"),
        _("Gemeten op"),
        _("Voortgang"),
        _("Status"),
    ]
    value_column = 4 if with_network else 3
    if with_network:
        columns.insert(1, _("Netwerk"))
    per_status = defaultdict(int)
    for goal in goals:
        per_status[goal["status"]] += 1
    status_rows = _sorted_rows(
        [capfirst(str(label)), per_status.get(status, 0)] for status, label in Goal.Status.choices
    )
    status_columns = [_("Status"), _("Doelen")]
    status_total = _column_totals(status_rows, [1], len(status_columns))
    return _section(
        "goals",
        _("Doelen"),
        _("De operationele doelen van het actieplan met hun indicator, streefwaarde en laatste meting."),
        _(
            "Operationele (SMART-)doelen van het actieplan. Laatste waarde: de laatste meting op of "
            "vóór de einddatum van de periode. Voortgang: hoe ver de laatste waarde van de beginwaarde "
            "naar de streefwaarde opgeschoten is, in procent (zonder beginwaarde telt 0 als begin); "
            "boven 100% is de streefwaarde overschreden. Status: de huidige status van het doel. "
            "Een indicator die aan de registraties gekoppeld is, neemt de waarde van die registraties "
            "over de periode (gemeten op de einddatum). Een waarde die personen telt, staat er als <5 "
            "wanneer ze 1 tot 4 is, en dan zonder voortgang."
        ),
        [
            {
                **_table(
                    "goals",
                    _("Operationele doelen"),
                    columns,
                    _sorted_rows(rows),
                    # A value that counts people is an int and suppressed below 5; other values
                    # are floats and shown as they are.
                    count_columns=[value_column],
                ),
                # The progress gives a hidden value away (target × progress): hidden with it.
                "derived_columns": [[value_column + 2, value_column]],
            },
            _table(
                "goals_by_status",
                _("Operationele doelen per status"),
                status_columns,
                status_rows,
                total=status_total,
                count_columns=[],
                chart=True,
            ),
        ],
        [_fact(_("Operationele doelen"), status_total[1], is_count=False)],
    )


def _agreements_section(agreements: list[dict], w: _Window, *, with_network: bool) -> dict:
    per_binding = defaultdict(int)
    for agreement in agreements:
        per_binding[agreement["binding"]] += 1
    binding_rows = _sorted_rows(
        [capfirst(str(label)), per_binding.get(binding, 0)] for binding, label in Agreement.Binding.choices
    )
    binding_columns = [_("Verbindend karakter"), _("Overeenkomsten")]
    binding_total = _column_totals(binding_rows, [1], len(binding_columns))

    horizon = w.as_of + datetime.timedelta(days=EXPIRY_REMINDER_DAYS)
    expiring = []
    for agreement in agreements:
        if agreement["valid_until"] is None or agreement["valid_until"] > horizon:
            continue
        row = [
            _("%(title)s (v%(version)s)") % {"title": agreement["title"], "version": agreement["version"]},
            _iso(agreement["valid_until"]),
        ]
        if with_network:
            row.insert(1, agreement["network__name"])
        expiring.append(row)
    expiring_columns = [_("Overeenkomst"), _("Geldig tot en met")]
    if with_network:
        expiring_columns.insert(1, _("Netwerk"))
    days = {"days": EXPIRY_REMINDER_DAYS}
    return _section(
        "agreements",
        _("Overeenkomsten"),
        _(
            "De overeenkomsten die op de einddatum van de periode gelden, per verbindend karakter, en "
            "de overeenkomsten die binnen %(days)s dagen daarna vervallen."
        )
        % days,
        _(
            "Een overeenkomst geldt op de einddatum als die dag tussen 'geldig vanaf' en 'geldig tot "
            "en met' valt; zonder einddatum geldt ze voor onbepaalde duur. Elke versie telt apart. "
            "Vervalt binnen %(days)s dagen: de laatste geldigheidsdag valt tussen de einddatum van de "
            "periode en %(days)s dagen later, beide dagen inbegrepen."
        )
        % days,
        [
            _table(
                "agreements_by_binding",
                _("Geldende overeenkomsten per verbindend karakter"),
                binding_columns,
                binding_rows,
                total=binding_total,
                count_columns=[],
                chart=True,
            ),
            _table(
                "agreements_expiring",
                _("Overeenkomsten die binnen %(days)s dagen vervallen") % days,
                expiring_columns,
                _sorted_rows(expiring),
            ),
        ],
        [
            _fact(_("Geldende overeenkomsten"), binding_total[1], is_count=False),
            _fact(_("Vervallen binnen %(days)s dagen") % days, len(expiring), is_count=False),
        ],
    )


def _closed_on(assessment_round: dict) -> datetime.date:
    """The day a round closed: closed by the chair, or its closing day, whichever came first."""
    if assessment_round["closed_at"] is None:
        return assessment_round["closes_on"]
    return min(timezone.localdate(assessment_round["closed_at"]), assessment_round["closes_on"])


def _latest_rounds(rounds: list[dict]) -> list[tuple[dict, dict | None]]:
    """Per network (in network-name order): its latest closed round and the one before it."""
    per_network: dict[int, list[dict]] = defaultdict(list)
    for assessment_round in rounds:  # newest first per network
        per_network[assessment_round["network_id"]].append(assessment_round)
    pairs = [(found[0], found[1] if len(found) > 1 else None) for found in per_network.values()]
    return sorted(pairs, key=lambda pair: (_sort_key(pair[0]["network__name"]), pair[0]["pk"]))


def _assessment_section(pairs: list[tuple[dict, dict | None]], scores: list[tuple]) -> dict:
    current_ids = {current["pk"] for current, _previous in pairs}
    previous_ids = {previous["pk"] for _current, previous in pairs if previous}
    criteria: dict[int, _Criterion] = {}
    current_values, previous_values = [], []
    for round_id, criterion_id, name, dimension, position, value in scores:
        criteria.setdefault(criterion_id, _Criterion(criterion_id, name, dimension, position))
        if round_id in current_ids:
            current_values.append((criterion_id, value))
        if round_id in previous_ids:
            previous_values.append((criterion_id, value))
    ordered = sorted(criteria.values(), key=lambda c: (c.position, _sort_key(c.name), c.pk))
    results = compare_rounds(
        ordered,
        values_by_criterion(current_values),
        values_by_criterion(previous_values) if previous_ids else None,
    )
    rows = []
    for group in group_by_dimension(results):
        for result in group.items:
            if result.suppressed:  # too few answers: the count only, never a figure
                figures = [NO_FIGURE, NO_FIGURE, NO_FIGURE]
            else:
                figures = [
                    _number(result.median),
                    _number(result.previous_median),
                    _number(result.delta),
                ]
            rows.append([capfirst(group.label), result.criterion.name, result.n, *figures])
    round_rows = [
        [
            current["network__name"],
            current["title"],
            _iso(_closed_on(current)),
            current["respondents"],
            previous["title"] if previous else NO_FIGURE,
        ]
        for current, previous in pairs
    ]
    minimum = {"minimum": MIN_RESPONDENTS_FOR_RESULTS}
    return _section(
        "assessment",
        _("Zelfevaluatie"),
        _(
            "De resultaten van de laatste gesloten zelfevaluatieronde per kwaliteitscriterium, "
            "vergeleken met de ronde daarvoor."
        ),
        _(
            "De laatste zelfevaluatieronde die op of vóór de einddatum van de periode gesloten was, "
            "en de gesloten ronde die eraan voorafging. Per criterium het aantal antwoorden en de "
            "mediaan van de scores (1 tot 5); verschil: de mediaan min de vorige mediaan. Bij minder "
            "dan %(minimum)s antwoorden wordt geen mediaan of verschil getoond, en een vorige mediaan "
            "alleen als ook de vorige ronde minstens %(minimum)s antwoorden had. Voor een regio worden "
            "de scores van de laatste ronde van elk netwerk samengenomen. Individuele scores en "
            "opmerkingen komen nooit in een rapport."
        )
        % minimum,
        [
            _table(
                "assessment_rounds",
                _("Gebruikte zelfevaluatierondes"),
                [_("Netwerk"), _("Ronde"), _("Gesloten op"), _("Respondenten"), _("Vorige ronde")],
                round_rows,
                count_columns=[3],
            ),
            _table(
                "assessment_by_criterion",
                _("Resultaten per kwaliteitscriterium"),
                [
                    _("Dimensie"),
                    _("Criterium"),
                    _("Antwoorden"),
                    _("Mediaan"),
                    _("Vorige mediaan"),
                    _("Verschil"),
                ],
                rows,
                count_columns=[2],
            ),
        ],
        # No respondents total: with one network's count hidden, the total would give it away.
        [_fact(_("Gebruikte rondes"), len(round_rows), is_count=False)],
    )


def _partner_load_section(organisations: list[dict]) -> dict:
    rows = _sorted_rows(
        [
            organisation["name"],
            _sector_label(organisation, "sector__"),
            organisation["network_count"],
            organisation["body_count"],
            organisation["meeting_count"],
        ]
        for organisation in organisations
    )
    return _section(
        "partner_load",
        _("Partnerbelasting"),
        _(
            "Hoe zwaar de samenwerking weegt op de lidorganisaties: in hoeveel netwerken en organen "
            "ze zitten en voor hoeveel vergaderingen ze in de periode uitgenodigd waren, over alle "
            "netwerken heen."
        ),
        _(
            "Per organisatie die op de einddatum van de periode lid is. Netwerken: lopende "
            "lidmaatschappen in alle netwerken, ook buiten de regio. Organen: verschillende organen "
            "waarin iemand namens de organisatie een zetel heeft via een lopende rol. Vergaderingen: "
            "verschillende vergaderingen die in de periode plaatsvonden en waarvoor iemand namens de "
            "organisatie uitgenodigd was; twee collega's op één vergadering tellen één keer."
        ),
        [
            _table(
                "partner_load",
                _("Partnerbelasting per lidorganisatie"),
                [_("Organisatie"), _("Sector"), _("Netwerken"), _("Organen"), _("Vergaderingen")],
                rows,
                count_columns=[],
            )
        ],
        [_fact(_("Verschillende lidorganisaties"), len(rows), is_count=False)],
    )


def _networks_section(
    networks: list[Network], memberships: list[dict], bodies: list[dict], actions: list[dict]
) -> dict:
    members, held, done, overdue = (defaultdict(int) for _i in range(4))
    for row in memberships:
        members[row["network_id"]] += row["at_end"]
    for body in bodies:
        held[body["network_id"]] += body["held"]
    for row in actions:
        done[row["network_id"]] += row["new_done"] + row["carried_done"]
        overdue[row["network_id"]] += row["new_overdue"] + row["carried_overdue"]
    rows = _sorted_rows(
        [
            network.name,
            _kind_short(network.kind),
            members[network.pk],
            held[network.pk],
            done[network.pk],
            overdue[network.pk],
        ]
        for network in networks
    )
    columns = [
        _("Netwerk"),
        _("Soort"),
        _("Lidorganisaties"),
        _("Vergaderingen gehouden"),
        _("Actiepunten afgerond"),
        _("Actiepunten te laat"),
    ]
    return _section(
        "networks",
        _("Netwerken in de regio"),
        _(
            "De netwerken van de regio met hun lidorganisaties, de vergaderingen in de periode en de "
            "stand van hun actiepunten op de einddatum."
        ),
        _(
            "Alle netwerken van de regio die vóór het einde van de periode gestart zijn. "
            "Lidorganisaties: lidmaatschappen die op de einddatum lopen. Vergaderingen gehouden, "
            "actiepunten afgerond en te laat: zoals bij vergaderingen en actiepunten beschreven."
        ),
        [
            _table(
                "networks",
                _("Netwerken in de regio"),
                columns,
                rows,
                total=_column_totals(rows, [2, 3, 4, 5], len(columns)),
                count_columns=[],
            )
        ],
        [_fact(_("Netwerken"), len(rows), is_count=False)],
    )


def _region_blocks(networks: list[Network]) -> list[tuple[str, list[Network]]]:
    """Networks per region, regions and networks in alphabetical order."""
    per_region: dict[str, list[Network]] = defaultdict(list)
    for network in networks:
        per_region[network.region.name].append(network)
    return [
        (name, sorted(per_region[name], key=lambda n: (_sort_key(n.name), n.pk)))
        for name in sorted(per_region, key=_sort_key)
    ]


def _flanders_networks_section(networks: list[Network]) -> dict:
    """How many networks of each kind every region has."""
    kinds = [kind for kind, _label in Network.Kind.choices if any(n.kind == kind for n in networks)]
    labels = dict(Network.Kind.choices)
    rows = [
        [region, *(sum(1 for n in members if n.kind == kind) for kind in kinds), len(members)]
        for region, members in _region_blocks(networks)
    ]
    columns = [_("Regio"), *(capfirst(str(labels[kind])) for kind in kinds), _("Alle netwerken")]
    total = _column_totals(rows, list(range(1, len(columns))), len(columns))
    return _section(
        "flanders_networks",
        _("Netwerken in Vlaanderen"),
        _(
            "Hoeveel netwerken van elke soort elke regio telt; de volgende hoofdstukken zetten ze naast elkaar."
        ),
        _(
            "Alle netwerken die vóór het einde van de periode gestart zijn, per regio en per soort. "
            "Per soort netwerk volgt een hoofdstuk met één rij per netwerk en een totaal per regio, "
            "met dezelfde definities als in het rapport van een netwerk."
        ),
        [
            _table(
                "flanders_networks",
                _("Netwerken per regio en soort"),
                columns,
                rows,
                total=total,
                count_columns=[],  # networks identify nobody
            )
        ],
        [_fact(_("Netwerken"), len(networks), is_count=False)],
    )


def _kind_short(kind: str) -> str:
    """A network's kind in a table column (the full names wrap over four lines)."""
    return {
        Network.Kind.RTJ: _("RTJ"),
        Network.Kind.CRISIS: _("crisis"),
        Network.Kind.DETENTION: _("gedetineerden"),
        Network.Kind.PLANMAKER: _("planmakers"),
    }.get(kind, kind)


def _kind_plural(kind: str) -> str:
    return {
        Network.Kind.RTJ: _("RTJ-netwerken"),
        Network.Kind.CRISIS: _("Crisisnetwerken"),
        Network.Kind.DETENTION: _("Netwerken gedetineerden"),
        Network.Kind.PLANMAKER: _("Planmakersnetwerken"),
    }.get(kind, kind)


def _compare_kind_section(
    kind: str, networks: list[Network], memberships: list[dict], bodies: list[dict], actions: list[dict]
) -> dict:
    """The networks of one kind side by side, region by region with the region's total."""
    members, held, done, overdue = (defaultdict(int) for _i in range(4))
    for row in memberships:
        members[row["network_id"]] += row["at_end"]
    for body in bodies:
        held[body["network_id"]] += body["held"]
    for row in actions:
        done[row["network_id"]] += row["new_done"] + row["carried_done"]
        overdue[row["network_id"]] += row["new_overdue"] + row["carried_overdue"]
    figures = (members, held, done, overdue)

    def row(label: str, group: list[Network]) -> list:
        return [label, *(sum(figure[n.pk] for n in group) for figure in figures)]

    blocks = [
        (row(_("Totaal %(block)s") % {"block": region}, group), [row(n.name, [n]) for n in group])
        for region, group in _region_blocks(networks)
    ]
    label = _kind_plural(kind)
    return _section(
        f"compare_{kind}",
        _("%(kind)s naast elkaar") % {"kind": label},
        _(
            "Elk netwerk van deze soort met zijn lidorganisaties, de vergaderingen in de periode en de "
            "stand van zijn actiepunten, per regio met het totaal van de regio."
        ),
        _(
            "Lidorganisaties: lidmaatschappen die op de einddatum lopen. Vergaderingen gehouden, "
            "actiepunten afgerond en te laat: zoals bij vergaderingen en actiepunten beschreven. Een "
            "organisatie die lid is van twee netwerken, telt in elk netwerk."
        ),
        [
            _grouped_table(
                f"compare_{kind}",
                _("%(kind)s: per netwerk en per regio") % {"kind": label},
                [
                    _("Netwerk"),
                    _("Lidorganisaties"),
                    _("Vergaderingen gehouden"),
                    _("Actiepunten afgerond"),
                    _("Actiepunten te laat"),
                ],
                blocks,
                total=row(_("Totaal Vlaanderen"), networks),
                count_columns=[],  # organisations, meetings and actions identify nobody
            )
        ],
        [_fact(_("Netwerken"), len(networks), is_count=False)],
    )


# --- the snapshot -------------------------------------------------------------------------------


def compute(
    *,
    network: Network | None = None,
    region: Region | None = None,
    flanders: bool = False,
    period: ReportPeriod,
    today: datetime.date | None = None,
) -> dict:
    """The figures snapshot (schema 1) of one network, one whole region or all of Flanders for
    ``period`` (a half year or a calendar year)."""
    if sum((network is not None, region is not None, flanders)) != 1:
        raise ValueError("Give a network, a region or flanders=True.")
    w = _window(period, today)

    if network is not None:
        networks = list(Network.objects.select_related("region").filter(pk=network.pk))
        scope_network = networks[0]
        scope = {
            "type": "network",
            "id": scope_network.pk,
            "name": scope_network.name,
            "kind": scope_network.kind,
            "kind_label": str(scope_network.get_kind_display()),
            "region": scope_network.region.name,
        }
    elif region is not None:
        networks = list(
            Network.objects.select_related("region")
            .filter(region=region, started_on__lte=period.end)
            .order_by("name", "pk")
        )
        scope = {
            "type": "region",
            "id": region.pk,
            "name": region.name,
            "kind": None,
            "kind_label": None,
            "region": region.name,
        }
    else:
        networks = list(
            Network.objects.select_related("region")
            .filter(started_on__lte=period.end)
            .order_by("region__name", "name", "pk")
        )
        scope = {
            "type": "flanders",
            "id": None,
            "name": str(FLANDERS_LABEL),
            "kind": None,
            "kind_label": None,
            "region": str(FLANDERS_LABEL),
        }
    network_ids = [n.pk for n in networks]
    is_region = region is not None

    memberships = _membership_counts(network_ids, w)
    bodies = _meeting_counts(network_ids, w)
    actions = _action_counts(network_ids, w)

    sections = []
    if flanders:
        # All of Flanders: the networks side by side per kind, then the totals of the sections
        # that add up across networks. Lists of goals, agreements and partners would run to
        # hundreds of pages and are left to the network and region reports.
        sections.append(_flanders_networks_section(networks))
        for kind, _label in Network.Kind.choices:
            of_kind = [n for n in networks if n.kind == kind]
            if of_kind:
                sections.append(_compare_kind_section(kind, of_kind, memberships, bodies, actions))
        sections += [
            _members_section(memberships),
            _meetings_section(bodies, w, per_kind=True),
            _decisions_section(_decision_counts(network_ids, w)),
            _actions_section(actions),
        ]
    else:
        round_pairs = _latest_rounds(_closed_rounds(network_ids, w))
        round_ids = sorted(
            {current["pk"] for current, _p in round_pairs} | {p["pk"] for _c, p in round_pairs if p}
        )
        goals = _operational_goals(network_ids, w)
        linked = indicator_values(goals, network_ids, period.start, w.as_of)
        if is_region:
            sections.append(_networks_section(networks, memberships, bodies, actions))
        sections += [
            _members_section(memberships),
            _meetings_section(bodies, w, per_kind=is_region),
            _decisions_section(_decision_counts(network_ids, w)),
            _actions_section(actions),
            _goals_section(goals, w, with_network=is_region, linked=linked),
            _agreements_section(_valid_agreements(network_ids, w), w, with_network=is_region),
            _assessment_section(round_pairs, _score_values(round_ids)),
            _partner_load_section(_partner_load(network_ids, w)),
        ]
    if has_case_work(networks):
        # Case registrations exist for RTJ networks (issue 4); crisis, detention and planmaker
        # sections follow with their registrations.
        # Every network of the scope, also those without case work (their rows are 0): so the
        # per-network tables add up to the key figures, and a region's rows in the Flanders
        # report are the rows of the region's own report.
        breakdown = None
        if flanders:
            breakdown = Breakdown(
                groups=[(n.pk, n.name) for n in networks],
                blocks=[(name, [n.pk for n in group]) for name, group in _region_blocks(networks)],
            )
        elif is_region:
            breakdown = Breakdown(groups=[(n.pk, n.name) for n in networks])
        sections += case_sections(networks, period.start, period.end, as_of=w.today, breakdown=breakdown)
    if has_detention_work(networks):
        # Prison networks (issue 20): the offer and the trajectory guidance, seven queries.
        sections += detention_sections(networks, period.start, period.end, as_of=w.today)
    if has_crisis_work(networks):
        # The crisis programme's calls and steps (issue 18): totals over the crisis networks.
        crisis_networks = [n for n in networks if n.kind == Network.Kind.CRISIS]
        crisis_ids = [n.pk for n in crisis_networks]
        # Region and Flanders: one row per crisis network (Flanders: region by region).
        crisis_breakdown = None
        if flanders:
            crisis_breakdown = Breakdown(
                groups=[(n.pk, n.name) for n in crisis_networks],
                blocks=[(name, [n.pk for n in group]) for name, group in _region_blocks(crisis_networks)],
            )
        elif is_region:
            crisis_breakdown = Breakdown(groups=[(n.pk, n.name) for n in crisis_networks])
        sections.append(
            crisis_section(crisis_ids, period.start, period.end, as_of=w.today, breakdown=crisis_breakdown)
        )
    if has_planmaker_work(networks):
        sections += planmaker_sections(networks, period.start, period.end, as_of=w.today)
    return {
        "schema": SCHEMA,
        "generated_from": w.today.isoformat(),
        "scope": scope,
        "period": {
            "year": period.year,
            "half": period.half,
            "kind": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": str(period.label),
        },
        "networks": [
            {"id": n.pk, "name": n.name, "kind": n.kind}
            for n in sorted(networks, key=lambda n: (_sort_key(n.name), n.pk))
        ],
        "sections": sections,
    }
