"""The crisis section of the practice report (issue 18 §8): counts only, no client data.

Period figures count what happened in the period: calls received, steps started (with the
forfait due for them), steps that went past their limit, shelters extended. The cohort follows
the calls of the period: admissible, dispatched, with an intervention within the hour. Every
count concerns people and is suppressed below 5 by the snapshot layer (``count_columns`` and
``is_count``). Five queries, whatever the number of networks, calls or steps.
"""

import datetime
import statistics
from decimal import Decimal

from django.db import models
from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CrisisCall, CrisisStep
from instruments.models import CrisisStepKind
from networks.models import Network

from . import cohorts
from .figures_cases import Breakdown
from .sections import fact, grouped_table, section, table

HOUR = datetime.timedelta(hours=1)


def has_crisis_work(networks) -> bool:
    return any(network.kind == Network.Kind.CRISIS for network in networks)


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    stop = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return begin, stop


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "–"
    return f"{round(100 * part / whole)} %"


def crisis_milestones() -> list[cohorts.Milestone]:
    return [
        cohorts.Milestone("admissible", _("Ontvankelijk"), "admissible_at"),
        cohorts.Milestone("dispatched", _("Doorgeschakeld binnen het netwerk"), "dispatched_at"),
        cohorts.Milestone("intervention", _("Crisisinterventie gestart"), "intervention_at", within=(HOUR,)),
    ]


def crisis_figures(network_ids: list[int], start: datetime.date, end: datetime.date, *, as_of=None) -> dict:
    begin, stop = _bounds(start, end)
    calls = CrisisCall.objects.filter(
        network_id__in=network_ids, received_at__gte=begin, received_at__lt=stop
    )
    callers = CrisisCall.Caller.values
    # 1. Calls of the period: totals and per caller.
    # (Aliases with a prefix: an aggregate may not share a field's name.)
    raw = calls.aggregate(
        n_calls=Count("pk"),
        n_admissible=Count("pk", filter=Q(admissible=True)),
        n_not_admissible=Count("pk", filter=Q(admissible=False)),
        n_dispatched=Count("pk", filter=Q(outcome=CrisisCall.Outcome.DISPATCHED)),
        n_meldpunt=Count("pk", filter=Q(outcome=CrisisCall.Outcome.MELDPUNT)),
        n_referred=Count("pk", filter=Q(outcome=CrisisCall.Outcome.REFERRED)),
        **{f"n_caller_{caller}": Count("pk", filter=Q(caller=caller)) for caller in callers},
    )
    counts = {key.removeprefix("n_"): value for key, value in raw.items()}
    # 2. Calls per hour of the day (local time).
    per_hour = dict.fromkeys(range(24), 0)
    for hour, n in (
        calls.annotate(hour=ExtractHour("received_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("hour")
        .annotate(n=Count("pk"))
    ):
        per_hour[hour] = n
    # 3. Steps started in the period, per kind, with their forfaits; overdue and extended.
    steps = CrisisStep.objects.filter(
        episode__network_id__in=network_ids, started_at__gte=begin, started_at__lt=stop
    )
    forfait = _forfait()
    moment = _bounds(as_of, as_of)[1] if as_of else timezone.now()
    step_counts = steps.aggregate(
        **{f"started_{kind}": Count("pk", filter=Q(kind=kind)) for kind in CrisisStepKind.values},
        **{f"amount_{kind}": Sum(forfait, filter=Q(kind=kind)) for kind in CrisisStepKind.values},
        n_overdue=Count("pk", filter=_overdue_q(moment)),
        n_extended=Count("pk", filter=Q(extension_days__gt=0)),
    )
    # 4. Minutes from call to intervention, for the interventions started in the period.
    minutes = [
        (started - received).total_seconds() / 60
        for received, started in steps.filter(kind=CrisisStepKind.INTERVENTION).values_list(
            "episode__call__received_at", "started_at"
        )
    ]
    # 5. The cohort of the period's calls.
    cohort_calls = calls.annotate(
        admissible_at=models.Case(models.When(admissible=True, then=F("received_at"))),
        dispatched_at=models.Case(models.When(outcome=CrisisCall.Outcome.DISPATCHED, then=F("received_at"))),
        intervention_at=Min(
            "episode__steps__started_at", filter=Q(episode__steps__kind=CrisisStepKind.INTERVENTION)
        ),
    )
    cohort = cohorts.combined(
        cohorts.cohort_figures(
            cohort_calls, start_field="received_at", milestones=crisis_milestones(), as_of=as_of
        ).values(),
        crisis_milestones(),
    )
    return {
        **counts,
        "callers": {caller: counts[f"caller_{caller}"] for caller in callers},
        "per_hour": per_hour,
        "started": {kind: step_counts[f"started_{kind}"] for kind in CrisisStepKind.values},
        "forfaits": {kind: step_counts[f"amount_{kind}"] or Decimal(0) for kind in CrisisStepKind.values},
        "overdue": step_counts["n_overdue"],
        "extended": step_counts["n_extended"],
        "median_minutes_to_intervention": statistics.median(minutes) if len(minutes) >= 5 else None,
        "cohort": cohort,
    }


def _overdue_q(moment: datetime.datetime) -> Q:
    """Steps that went past their limit: ended after it, or still running after it."""
    return Q(due_at__isnull=False) & (
        Q(ended_at__gt=F("due_at")) | Q(ended_at__isnull=True, due_at__lt=moment)
    )


def crisis_counts_by_network(
    network_ids: list[int], start: datetime.date, end: datetime.date, *, as_of=None
) -> dict[int, dict]:
    """The per-network figures of the region and Flanders reports, with the same definitions as
    the section's key figures: calls of the period (admissible, dispatched, with an episode);
    steps started in the period (over their limit, forfaits due). Two queries, whatever the
    number of networks."""
    begin, stop = _bounds(start, end)
    counts: dict[int, dict] = {
        pk: {"calls": 0, "admissible": 0, "dispatched": 0, "episodes": 0, "overdue": 0, "amount": Decimal(0)}
        for pk in network_ids
    }
    for row in (
        CrisisCall.objects.filter(network_id__in=network_ids, received_at__gte=begin, received_at__lt=stop)
        .order_by()
        .values("network_id")
        .annotate(
            n_calls=Count("pk"),
            n_admissible=Count("pk", filter=Q(admissible=True)),
            n_dispatched=Count("pk", filter=Q(outcome=CrisisCall.Outcome.DISPATCHED)),
            n_episodes=Count("episode"),
        )
    ):
        counts[row["network_id"]].update(
            {key: row[f"n_{key}"] for key in ("calls", "admissible", "dispatched", "episodes")}
        )
    moment = _bounds(as_of, as_of)[1] if as_of else timezone.now()
    for row in (
        CrisisStep.objects.filter(
            episode__network_id__in=network_ids, started_at__gte=begin, started_at__lt=stop
        )
        .order_by()
        .values("episode__network_id")
        .annotate(n_overdue=Count("pk", filter=_overdue_q(moment)), amount=Sum(_forfait()))
    ):
        counts[row["episode__network_id"]].update(
            overdue=row["n_overdue"], amount=row["amount"] or Decimal(0)
        )
    return counts


def _forfait():
    return models.Case(
        *(
            models.When(kind=kind, then=F(f"provider__programme__forfait_{kind}"))
            for kind in CrisisStepKind.values
        ),
        output_field=models.DecimalField(max_digits=9, decimal_places=2),
    )


def _per_network_table(per_network: dict[int, dict], breakdown: Breakdown) -> dict:
    """One row per crisis network (region subtotals in the Flanders report) and the total.
    Counts concern people: suppressed below 5; a share or an amount goes with its count."""

    def row(label: str, ids) -> list:
        sums = {key: sum(per_network.get(pk, {}).get(key, 0) for pk in ids) for key in per_network_keys}
        return [
            label,
            sums["calls"],
            sums["admissible"],
            _percent(sums["admissible"], sums["calls"]),
            sums["dispatched"],
            sums["episodes"],
            sums["overdue"],
            float(sums["amount"]),
        ]

    per_network_keys = ("calls", "admissible", "dispatched", "episodes", "overdue", "amount")
    labels = dict(breakdown.groups)
    if breakdown.blocks is None:
        blocks = [(None, [row(name, [pk]) for pk, name in breakdown.groups])]
    else:
        blocks = [
            (row(_("Totaal %(block)s") % {"block": label}, ids), [row(labels[pk], [pk]) for pk in ids])
            for label, ids in breakdown.blocks
        ]
    result = grouped_table(
        "crisis_by_network",
        _("Crisishulpprogramma per netwerk"),
        [
            _("Netwerk"),
            _("Oproepen"),
            _("Ontvankelijk"),
            _("% ontvankelijk"),
            _("Doorgeschakeld"),
            _("Episodes"),
            _("Stappen over termijn"),
            _("Forfaits (€)"),
        ],
        blocks,
        total=row(_("Totaal"), [pk for pk, _name in breakdown.groups]),
        count_columns=[1, 2, 4, 5, 6],
        # The share gives its counts away, the forfaits the episodes' interventions.
        derived_columns=[[3, 2], [3, 1], [7, 5]],
    )
    # The total row is the section's key figures: hidden in both or in neither.
    result["total_same_as"] = [
        [1, {"fact": "calls"}],
        [2, {"fact": "admissible"}],
        [4, {"fact": "dispatched"}],
        [6, {"fact": "overdue"}],
    ]
    return result


def crisis_section(
    network_ids: list[int],
    start: datetime.date,
    end: datetime.date,
    *,
    as_of=None,
    breakdown: Breakdown | None = None,
) -> dict:
    """The crisis section; ``breakdown`` (region and Flanders reports) adds one row per crisis
    network, two more queries."""
    figures = crisis_figures(network_ids, start, end, as_of=as_of)
    calls = figures["calls"]
    facts = [
        fact(
            _("Oproepen bij het meldpunt"),
            calls,
            is_count=True,
            key="calls",
            parts=["admissible", "not_admissible"],
        ),
        fact(_("Ontvankelijk"), figures["admissible"], is_count=True, key="admissible"),
        fact(_("Niet ontvankelijk"), figures["not_admissible"], is_count=True, key="not_admissible"),
        fact(_("Doorgeschakeld binnen het netwerk"), figures["dispatched"], is_count=True, key="dispatched"),
        fact(_("Stappen over hun termijn"), figures["overdue"], is_count=True, key="overdue"),
        fact(_("Crisisopvang verlengd"), figures["extended"], is_count=True),
        fact(
            _("Mediaan minuten van oproep tot interventie"),
            round(figures["median_minutes_to_intervention"])
            if figures["median_minutes_to_intervention"] is not None
            else "–",
            is_count=False,
        ),
    ]
    outcome_rows = [
        [_("Ontvankelijk"), figures["admissible"], _percent(figures["admissible"], calls)],
        [
            _("Doorgeschakeld binnen het netwerk"),
            figures["dispatched"],
            _percent(figures["dispatched"], calls),
        ],
        [_("Afgehandeld door het meldpunt"), figures["meldpunt"], _percent(figures["meldpunt"], calls)],
        [_("Doorverwezen buiten het netwerk"), figures["referred"], _percent(figures["referred"], calls)],
    ]
    outcomes = table(
        "crisis_calls",
        _("Oproepen en afhandeling"),
        [_("Oproepen"), _("Aantal"), _("% van de oproepen")],
        outcome_rows,
        count_columns=[1],
    )
    outcomes["derived_columns"] = [[2, 1]]
    callers = table(
        "crisis_callers",
        _("Oproepen per beller"),
        [_("Wie belde"), _("Oproepen")],
        [[str(label), figures["callers"][value]] for value, label in CrisisCall.Caller.choices],
        total=[_("Totaal"), calls],
        count_columns=[1],
        chart=True,
    )
    callers["total_same_as"] = [[1, {"fact": "calls"}]]
    hours = table(
        "crisis_hours",
        _("Oproepen per uur van de dag"),
        [_("Uur"), _("Oproepen")],
        [[f"{hour:02d}u", figures["per_hour"][hour]] for hour in range(24)],
        total=[_("Totaal"), calls],
        count_columns=[1],
        chart=True,
    )
    hours["total_same_as"] = [[1, {"fact": "calls"}]]
    steps = table(
        "crisis_steps",
        _("Crisisstappen gestart en forfaits"),
        [_("Stap"), _("Gestart"), _("Forfaits (€)")],
        [
            [str(label), figures["started"][value], float(figures["forfaits"][value])]
            for value, label in CrisisStepKind.choices
        ],
        count_columns=[1],
    )
    steps["derived_columns"] = [[2, 1]]
    cohort = cohorts.funnel_table(
        "crisis_cohort",
        _("Cohorte: de oproepen van deze periode"),
        figures["cohort"],
        crisis_milestones(),
        start_label=_("Oproepen"),
    )
    return section(
        "crisis",
        _("Crisishulpprogramma"),
        _("Oproepen bij het meldpunt, wat ermee gebeurde en de crisisstappen die in de periode startten."),
        _(
            "Een oproep telt in de periode waarin ze binnenkwam; een stap in de periode waarin ze startte, "
            "met het forfait van het programma voor die stap. Een stap is over haar termijn als ze langer liep "
            "dan de termijn van het programma (met de verlenging van een crisisopvang). De cohorte volgt de "
            "oproepen van de periode tot vandaag: ontvankelijk, doorgeschakeld, en een crisisinterventie "
            "binnen het uur na de oproep."
        ),
        [
            outcomes,
            *(
                [
                    _per_network_table(
                        crisis_counts_by_network(network_ids, start, end, as_of=as_of), breakdown
                    )
                ]
                if breakdown
                else []
            ),
            callers,
            hours,
            steps,
            cohort,
        ],
        facts,
    )
