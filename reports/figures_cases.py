"""Report sections from case registrations (issue 4): cases, cliëntoverleg, referrals.

Every count here is a count of clients (a case, a conference request, a referral each concern one
young person), so every count is suppressed below 5 when shown. Medians of days are shown only
when they rest on at least 5 cases. No names, no free text: the period figures come from
``cases.figures`` and ``cases.figures_referrals``, the cohorts from ``reports.cohorts`` (one query
each), one query per kind for imported history (reports/figures_history.py), plus one query for
the case overview. Eleven queries, whatever the data size; four more with a per-network breakdown
(region and Flanders reports), and one more per kind only when imported history has to be added to
a median.

Two views side by side (issue 17):

* **period figures** (the key figures): what happened in the period — requests made in it,
  decisions taken in it, first sessions held in it (possibly of earlier requests);
* **cohort figures** (the cohort tables): the requests (referrals) made in the period and what
  became of *those*, also after the period, up to the day the figures were computed.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, F, Min, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.figures import conference_figures
from cases.figures_referrals import referral_figures
from cases.models import CarePlanItem, Case, ClientConference, ConferenceSession, Referral
from networks.models import Network

from . import cohorts, figures_history
from .cohorts import DAYS_30_60_90, Milestone
from .disclosure import THRESHOLD
from .sections import fact as _fact
from .sections import grouped_table
from .sections import section as _section
from .sections import table as _table

NO_FIGURE = "–"
AGE_BANDS = [(0, 5), (6, 11), (12, 17), (18, 120)]


def _days(value: float | None, based_on: int) -> str:
    # A median of fewer than 5 cases says something about those few clients.
    if value is None or based_on < THRESHOLD:
        return NO_FIGURE
    return f"{value:.0f}".replace(".", ",")


def has_case_work(networks) -> bool:
    return any(network.kind == "rtj" for network in networks)


@dataclass(frozen=True)
class Breakdown:
    """Figures per network beside the totals (region and Flanders reports): ``groups`` are the
    networks as (id, name) in the order to show; ``blocks`` (Flanders) prints them region by
    region as (region name, network ids), each region followed by its subtotal."""

    groups: list[tuple[int, str]]
    blocks: list[tuple[str, list[int]]] | None = None


def case_sections(
    networks: list[Network],
    start: datetime.date,
    end: datetime.date,
    *,
    as_of: datetime.date | None = None,
    breakdown: Breakdown | None = None,
) -> list[dict]:
    """The case sections for ``networks`` over [start, end]. ``as_of``: the day the cohorts are
    followed up to (steps after it are not counted yet). ``breakdown``: add the figures of each
    network side by side (region and Flanders reports; four more queries)."""
    network_ids = [network.pk for network in networks]
    # Imported history (reports/figures_history.py) counts in its own periods, like registrations.
    old_conferences = figures_history.imported_conferences(network_ids, start, end)
    old_referrals = figures_history.imported_referrals(network_ids, start, end)
    per_network = None
    if breakdown:
        per_network = case_counts_by_network(network_ids, start, end)
        figures_history.add_to_network_counts(per_network, old_conferences, old_referrals, start, end)
    conference_cohort = cohorts.merged(
        conference_cohorts(network_ids, start, end, as_of=as_of),
        figures_history.conference_cohorts(old_conferences, start, end, conference_milestones(), as_of=as_of),
        milestones=conference_milestones(),
    )
    referral_cohort = cohorts.merged(
        referral_cohorts(network_ids, start, end, as_of=as_of),
        figures_history.referral_cohorts(old_referrals, start, end, referral_milestones(), as_of=as_of),
        milestones=referral_milestones(),
    )
    return [
        _cases_section(network_ids, start, end, per_network, breakdown),
        _conference_section(
            figures_history.add_conferences(
                conference_figures(network_ids=network_ids, start=start, end=end),
                old_conferences,
                network_ids,
                start,
                end,
            ),
            conference_cohort,
            per_network,
            breakdown,
        ),
        _referral_section(
            figures_history.add_referrals(
                referral_figures(network_ids=network_ids, start=start, end=end),
                old_referrals,
                network_ids,
                start,
                end,
            ),
            referral_cohort,
            per_network,
            breakdown,
        ),
    ]


# --- per network ------------------------------------------------------------------------------

COUNTS = (
    "open_at_end",
    "opened",
    "closed",
    "requests",
    "admissible",
    "not_admissible",
    "first_sessions",
    "sent",
    "accepted",
    "declined",
    "started",
)


def case_counts_by_network(
    network_ids: list[int], start: datetime.date, end: datetime.date
) -> dict[int, dict[str, int]]:
    """The period counts of the case sections per network (the same definitions as the key
    figures). Four queries."""
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(COUNTS, 0) for pk in network_ids}
    in_period = Q(opened_on__range=(start, end))
    for row in (
        Case.objects.filter(network_id__in=network_ids, opened_on__lte=end)
        .order_by()
        .values("network_id")
        .annotate(
            open_at_end=Count("pk", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=end)),
            opened=Count("pk", filter=in_period),
            closed=Count("pk", filter=Q(closed_on__range=(start, end))),
        )
    ):
        counts[row["network_id"]].update({k: row[k] for k in ("open_at_end", "opened", "closed")})
    requested, decided = Q(requested_on__range=(start, end)), Q(decided_on__range=(start, end))
    not_admissible = Q(status=ClientConference.Status.NOT_ADMISSIBLE)
    for row in (
        ClientConference.objects.filter(network_id__in=network_ids)
        .filter(requested | decided)
        .order_by()
        .values("network_id")
        .annotate(
            requests=Count("pk", filter=requested),
            admissible=Count("pk", filter=decided & ~not_admissible),
            not_admissible=Count("pk", filter=decided & not_admissible),
        )
    ):
        counts[row["network_id"]].update({k: row[k] for k in ("requests", "admissible", "not_admissible")})
    first, after = _day_bounds(start, end)
    held = (
        ClientConference.objects.filter(network_id__in=network_ids)
        .annotate(
            first_held=Min("sessions__starts_at", filter=Q(sessions__status=ConferenceSession.Status.HELD))
        )
        .filter(first_held__gte=first, first_held__lt=after)
        .order_by()
        .values_list("network_id", flat=True)
    )
    for network_id in held:
        counts[network_id]["first_sessions"] += 1

    def within(field: str) -> Q:
        return Q(**{f"{field}__range": (start, end)})

    for row in (
        Referral.objects.filter(network_id__in=network_ids)
        .filter(within("sent_on") | within("accepted_on") | within("declined_on") | within("started_on"))
        .order_by()
        .values("network_id")
        .annotate(
            sent=Count("pk", filter=within("sent_on")),
            accepted=Count("pk", filter=within("accepted_on")),
            declined=Count("pk", filter=within("declined_on")),
            started=Count("pk", filter=within("started_on")),
        )
    ):
        counts[row["network_id"]].update({k: row[k] for k in ("sent", "accepted", "declined", "started")})
    return counts


def _day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return first, after


def _per_network_table(
    key: str,
    title: str,
    figures: list[tuple[str, str]],
    per_network: dict[int, dict[str, int]],
    breakdown: Breakdown,
    *,
    row_sums: list = (),
) -> dict:
    """One row per network with the given (count key, column label) figures, region subtotals
    when the breakdown has blocks, and the total. Every figure is a count of clients."""
    keys = [name for name, _label in figures]

    def row(label: str, network_ids) -> list:
        return [label, *(sum(per_network.get(pk, {}).get(name, 0) for pk in network_ids) for name in keys)]

    labels = dict(breakdown.groups)
    if breakdown.blocks is None:
        blocks = [(None, [row(name, [pk]) for pk, name in breakdown.groups])]
    else:
        blocks = [
            (row(_("Totaal %(block)s") % {"block": label}, ids), [row(labels[pk], [pk]) for pk in ids])
            for label, ids in breakdown.blocks
        ]
    result = grouped_table(
        key,
        title,
        [_("Netwerk"), *(label for _name, label in figures)],
        blocks,
        total=row(_("Totaal"), [pk for pk, _name in breakdown.groups]),
        count_columns=list(range(1, len(figures) + 1)),
        row_sums=row_sums,
    )
    # The total row is the section's key figures: hidden in both or in neither.
    result["total_same_as"] = [
        [column, {"fact": name}] for column, (name, _label) in enumerate(figures, start=1)
    ]
    return result


# --- cohorts ----------------------------------------------------------------------------------


def conference_milestones() -> list[Milestone]:
    return [
        Milestone("admissible", _("Ontvankelijk verklaard"), "admissible_on", within=DAYS_30_60_90),
        Milestone("first_session", _("Eerste overleg gehouden"), "first_held", within=DAYS_30_60_90),
    ]


def referral_milestones() -> list[Milestone]:
    return [
        Milestone("accepted", _("Aanvaard"), "accepted_on", within=DAYS_30_60_90),
        Milestone("started", _("Hulp gestart"), "started_on", within=DAYS_30_60_90),
    ]


def conference_cohorts(
    network_ids: list[int], start: datetime.date, end: datetime.date, *, as_of: datetime.date | None
) -> dict[int, cohorts.Cohort]:
    """Per network: the requests made in [start, end], declared admissible (a request withdrawn
    after that still counts: the decision was taken) and with a first session held. One query."""
    requests = ClientConference.objects.filter(
        network_id__in=network_ids, requested_on__range=(start, end)
    ).annotate(
        admissible_on=models.Case(
            models.When(
                Q(decided_on__isnull=False) & ~Q(status=ClientConference.Status.NOT_ADMISSIBLE),
                then=F("decided_on"),
            ),
            default=None,
            output_field=models.DateField(),
        ),
        first_held=Min("sessions__starts_at", filter=Q(sessions__status=ConferenceSession.Status.HELD)),
    )
    return cohorts.cohort_figures(
        requests, start_field="requested_on", milestones=conference_milestones(), as_of=as_of
    )


def referral_cohorts(
    network_ids: list[int], start: datetime.date, end: datetime.date, *, as_of: datetime.date | None
) -> dict[int, cohorts.Cohort]:
    """Per network: the referrals sent in [start, end], accepted and with help started. One query."""
    sent = Referral.objects.filter(network_id__in=network_ids, sent_on__range=(start, end))
    return cohorts.cohort_figures(sent, start_field="sent_on", milestones=referral_milestones(), as_of=as_of)


def _cohort_tables(
    key: str,
    title: str,
    per_network: dict[int, cohorts.Cohort],
    milestones: list[Milestone],
    breakdown: Breakdown | None,
    *,
    start_label: str,
) -> list[dict]:
    total = cohorts.combined(per_network.values(), milestones)
    tables = [cohorts.funnel_table(key, title, total, milestones, start_label=start_label)]
    if breakdown is not None:
        tables.append(
            cohorts.group_table(
                f"{key}_by_network",
                _("%(title)s, per netwerk") % {"title": title},
                per_network,
                breakdown.groups,
                milestones,
                start_label=start_label,
                group_label=_("Netwerk"),
                blocks=breakdown.blocks,
                funnel_key=key,
            )
        )
    return tables


def _cases_section(
    network_ids: list[int],
    start: datetime.date,
    end: datetime.date,
    counts_per_network: dict | None,
    breakdown: Breakdown | None,
) -> dict:
    cases = Case.objects.filter(network_id__in=network_ids).annotate(
        age=ExtractYear("opened_on") - F("client__birth_year")
    )
    opened = Q(opened_on__range=(start, end))
    bands = {
        f"band_{low}": Count("pk", filter=opened & Q(age__gte=low, age__lte=high)) for low, high in AGE_BANDS
    }
    counts = cases.aggregate(
        open_at_end=Count(
            "pk", filter=Q(opened_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        ),
        opened=Count("pk", filter=opened),
        closed=Count("pk", filter=Q(closed_on__range=(start, end))),
        unknown_age=Count("pk", filter=opened & Q(client__birth_year__isnull=True)),
        **bands,
    )
    labels = [_("0 tot 5 jaar"), _("6 tot 11 jaar"), _("12 tot 17 jaar"), _("18 jaar en ouder")]
    rows = [[label, counts[f"band_{low}"]] for label, (low, _high) in zip(labels, AGE_BANDS, strict=True)]
    rows.append([_("leeftijd onbekend"), counts["unknown_age"]])
    return _section(
        "cases",
        _("Dossiers"),
        _(
            "Hoeveel jongeren het netwerk in de periode via een dossier opvolgde, en hun leeftijd bij de opening."
        ),
        _(
            "Een dossier is het bestand van één cliënt in één netwerk. Open op de einddatum: geopend op of "
            "vóór de einddatum en toen niet afgesloten. Leeftijd: het jaar van opening min het geboortejaar. "
            "Aantallen van 1 tot 4 worden als <5 getoond."
        ),
        [
            {
                **_table(
                    "cases_by_age",
                    _("Nieuwe dossiers per leeftijd bij opening"),
                    [_("Leeftijd"), _("Nieuwe dossiers")],
                    rows,
                    total=[_("Totaal"), counts["opened"]],
                    count_columns=[1],
                    chart=True,
                ),
                "total_same_as": [[1, {"fact": "opened"}]],
            },
            *(
                [
                    _per_network_table(
                        "cases_by_network",
                        _("Dossiers per netwerk"),
                        [
                            ("open_at_end", _("Open op de einddatum")),
                            ("opened", _("Geopend in de periode")),
                            ("closed", _("Afgesloten in de periode")),
                        ],
                        counts_per_network,
                        breakdown,
                    )
                ]
                if breakdown
                else []
            ),
        ],
        [
            _fact(
                _("Dossiers open op de einddatum"), counts["open_at_end"], is_count=True, key="open_at_end"
            ),
            _fact(_("Dossiers geopend in de periode"), counts["opened"], is_count=True, key="opened"),
            _fact(_("Dossiers afgesloten in de periode"), counts["closed"], is_count=True, key="closed"),
        ],
    )


def _conference_section(
    figures: dict, cohort_per_network: dict, counts_per_network: dict | None, breakdown: Breakdown | None
) -> dict:
    sector_rows = sorted(
        ([name or _("onbekend"), count] for name, count in figures["requests_per_sector"].items()),
        key=lambda row: row[0].casefold(),
    )
    plan = figures["plan_items"]
    reasons = dict(CarePlanItem.NotDoneReason.choices)
    plan_rows = [
        [_("gerealiseerd"), plan["done"]],
        *[
            [_("niet gerealiseerd: %(reason)s") % {"reason": reasons.get(code, code)}, count]
            for code, count in sorted(plan["not_done_by_reason"].items())
        ],
        [_("geschrapt"), plan["dropped"]],
        [_("nog lopend"), plan["open"]],
    ]
    held = figures["first_sessions_held"]
    return _section(
        "client_conference",
        _("Cliëntoverleg"),
        _(
            "Aanvragen voor cliëntoverleg, de beslissing over de ontvankelijkheid, de eerste overleggen en "
            "hoe het met de afspraken uit de werkplannen liep. De kerncijfers tellen wat in de periode "
            "gebeurde; het cohort volgt de aanvragen van de periode tot vandaag."
        ),
        _(
            "Periodecijfers (kerncijfers). Aanvragen: ingediend in de periode. Ontvankelijk / niet "
            "ontvankelijk: beslist in de periode. Eerste overleg: het eerste gehouden overlegmoment valt in "
            "de periode, ook als de aanvraag van een vorige periode is; de doorlooptijd telt de dagen van "
            "aanvraag tot dat overleg (mediaan en 75e percentiel, enkel getoond vanaf 5 overleggen). "
            "Cohort: de aanvragen ingediend in de periode, gevolgd tot de dag waarop de cijfers berekend "
            "werden: hoeveel ervan ontvankelijk verklaard werden en hoeveel een eerste gehouden overleg "
            "hadden, ook als dat na de periode viel; binnen 30, 60 en 90 dagen na de aanvraag; mediaan "
            "dagen vanaf 5 aanvragen. Voor een recente periode kan het cohort nog groeien. "
            "Geïmporteerde historiek (aanvragen uit een spreadsheet van vóór het netwerk IJH Netwerken "
            "gebruikte) telt mee in de periode van haar datums; een beslissing zonder datum telt in de "
            "periode van de aanvraag en in het cohort zonder doorlooptijd. "
            "Afspraken: afspraken uit werkplannen met een deadline in de periode, naar hun opvolging nu."
        ),
        [
            *(
                [
                    _per_network_table(
                        "conference_by_network",
                        _("Cliëntoverleg per netwerk (periodecijfers)"),
                        [
                            ("requests", _("Aanvragen")),
                            ("admissible", _("Ontvankelijk verklaard")),
                            ("not_admissible", _("Niet ontvankelijk")),
                            ("first_sessions", _("Eerste overleggen gehouden")),
                        ],
                        counts_per_network,
                        breakdown,
                        row_sums=[[1, [2, 3]]],  # requests = admissible + not admissible
                    )
                ]
                if breakdown
                else []
            ),
            *_cohort_tables(
                "conference_cohort",
                _("Cohort: aanvragen van de periode en hun eerste overleg"),
                cohort_per_network,
                conference_milestones(),
                breakdown,
                start_label=_("Aanvragen in de periode"),
            ),
            {
                **_table(
                    "conference_requests_by_sector",
                    _("Aanvragen per sector van de aanvrager"),
                    [_("Sector"), _("Aanvragen")],
                    sector_rows,
                    total=[_("Totaal"), figures["requests"]],
                    count_columns=[1],
                    chart=True,
                ),
                "total_same_as": [[1, {"fact": "requests"}]],
            },
            _table(
                "care_plan_items",
                _("Afspraken uit werkplannen met deadline in de periode"),
                [_("Opvolging"), _("Afspraken")],
                plan_rows,
                total=[_("Totaal"), sum(row[1] for row in plan_rows)],
                count_columns=[1],
            ),
        ],
        [
            _fact(
                _("Aanvragen"),
                figures["requests"],
                is_count=True,
                key="requests",
                parts=["admissible", "not_admissible"],
            ),
            _fact(_("Ontvankelijk verklaard"), figures["admissible"], is_count=True, key="admissible"),
            _fact(_("Niet ontvankelijk"), figures["not_admissible"], is_count=True, key="not_admissible"),
            _fact(_("Eerste overleggen gehouden"), held, is_count=True, key="first_sessions"),
            *(
                [
                    _fact(
                        _("waarvan aanvragen uit geïmporteerde historiek"),
                        figures["imported_requests"],
                        is_count=True,
                    )
                ]
                if figures.get("imported_requests")
                else []
            ),
            _fact(
                _("Mediaan dagen tot eerste overleg"),
                _days(figures["median_days_to_first_session"], held),
                is_count=False,
            ),
            _fact(
                _("75e percentiel dagen tot eerste overleg"),
                _days(figures["p75_days_to_first_session"], held),
                is_count=False,
            ),
        ],
    )


def _referral_section(
    figures: dict, cohort_per_network: dict, counts_per_network: dict | None, breakdown: Breakdown | None
) -> dict:
    reasons = dict(Referral.DeclineReason.choices)
    rows = [[str(reasons.get(code, code)), count] for code, count in figures["declined_by_reason"].items()]
    return _section(
        "referrals",
        _("Verwijzingen"),
        _("Verwijzingen vanuit dossiers, onder een verwijsafspraak of daarbuiten, en wat ermee gebeurde."),
        _(
            "Periodecijfers (kerncijfers). Verstuurd: verwijzingen verstuurd in de periode; buiten "
            "verwijsafspraak: zonder (geldige) afspraak met de ontvangende organisatie. Aanvaard, geweigerd, "
            "gestart: de stap werd in de periode gezet, ook voor een verwijzing van een vorige periode. "
            "Doorlooptijd: dagen van versturen tot aanvaarding (mediaan, vanaf 5 verwijzingen). "
            "Cohort: de verwijzingen verstuurd in de periode, gevolgd tot de dag waarop de cijfers berekend "
            "werden: hoeveel ervan aanvaard werden en bij hoeveel de hulp startte, ook na de periode; binnen "
            "30, 60 en 90 dagen na het versturen; mediaan dagen vanaf 5 verwijzingen. Geïmporteerde "
            "historiek telt mee in de periode van haar datums."
        ),
        [
            *(
                [
                    _per_network_table(
                        "referrals_by_network",
                        _("Verwijzingen per netwerk (periodecijfers)"),
                        [
                            ("sent", _("Verstuurd")),
                            ("accepted", _("Aanvaard")),
                            ("declined", _("Geweigerd")),
                            ("started", _("Hulp gestart")),
                        ],
                        counts_per_network,
                        breakdown,
                        row_sums=[[1, [2, 3]]],  # treated as sent = accepted + declined, as the key figures
                    )
                ]
                if breakdown
                else []
            ),
            *_cohort_tables(
                "referral_cohort",
                _("Cohort: verwijzingen van de periode en wat ermee gebeurde"),
                cohort_per_network,
                referral_milestones(),
                breakdown,
                start_label=_("Verwijzingen in de periode"),
            ),
            {
                **_table(
                    "referrals_declined_by_reason",
                    _("Geweigerde verwijzingen per reden"),
                    [_("Reden"), _("Verwijzingen")],
                    rows,
                    total=[_("Totaal"), figures["declined"]],
                    count_columns=[1],
                ),
                "total_same_as": [[1, {"fact": "declined"}]],
            },
        ],
        [
            _fact(
                _("Verwijzingen verstuurd"),
                figures["sent"],
                is_count=True,
                key="sent",
                parts=["accepted", "declined"],
            ),
            _fact(_("waarvan buiten verwijsafspraak"), figures["outside_agreement"], is_count=True),
            *(
                [_fact(_("waarvan uit geïmporteerde historiek"), figures["imported_sent"], is_count=True)]
                if figures.get("imported_sent")
                else []
            ),
            _fact(_("Aanvaard"), figures["accepted"], is_count=True, key="accepted"),
            _fact(_("Geweigerd"), figures["declined"], is_count=True, key="declined"),
            _fact(_("Hulp gestart"), figures["started"], is_count=True, key="started"),
            _fact(
                _("Mediaan dagen tot aanvaarding"),
                _days(figures["median_days_to_acceptance"], figures["accepted"]),
                is_count=False,
            ),
        ],
    )
