"""Crisis figures a goal indicator can take (issue 18), registered on import by ``reports.indicators``.

Each is computed per crisis network over [start, end] in one query, by the definitions of the
report's crisis section (reports/figures_crisis.py). Shares and medians of fewer than 5 calls or
stays say something about those few young people: no figure (None), as the medians elsewhere.
Keys are stored on goal links: never rename them.
"""

import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy

from cases.models import CrisisCall, CrisisStep
from instruments.models import CrisisStepKind

from .disclosure import THRESHOLD
from .indicator_registry import Indicator, Values, _day_bounds, register


def _share(part: int, whole: int) -> Decimal | None:
    if whole < THRESHOLD:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _calls(network_ids, start, end) -> Values:
    first, after = _day_bounds(start, end)
    return {
        network_id: Decimal(n)
        for network_id, n in CrisisCall.objects.filter(
            network_id__in=network_ids, received_at__gte=first, received_at__lt=after
        )
        .order_by()
        .values("network_id")
        .annotate(n=Count("pk"))
        .values_list("network_id", "n")
    }


def _dispatched_share(network_ids, start, end) -> Values:
    """Of the admissible calls received in the period, the share dispatched within the network."""
    first, after = _day_bounds(start, end)
    rows = (
        CrisisCall.objects.filter(
            network_id__in=network_ids, received_at__gte=first, received_at__lt=after, admissible=True
        )
        .order_by()
        .values("network_id")
        .annotate(n=Count("pk"), dispatched=Count("pk", filter=Q(outcome=CrisisCall.Outcome.DISPATCHED)))
        .values_list("network_id", "n", "dispatched")
    )
    return {network_id: _share(dispatched, n) for network_id, n, dispatched in rows}


def _median_minutes_to_intervention(network_ids, start, end) -> Values:
    """Minutes from the call to the start of its intervention, for interventions started in the
    period (the section's "mediaan minuten van oproep tot interventie")."""
    first, after = _day_bounds(start, end)
    minutes: dict[int, list[float]] = defaultdict(list)
    for network_id, received, started in CrisisStep.objects.filter(
        episode__network_id__in=network_ids,
        kind=CrisisStepKind.INTERVENTION,
        started_at__gte=first,
        started_at__lt=after,
    ).values_list("episode__network_id", "episode__call__received_at", "started_at"):
        minutes[network_id].append((started - received).total_seconds() / 60)
    return {
        network_id: (Decimal(str(round(statistics.median(values), 1))) if len(values) >= THRESHOLD else None)
        for network_id, values in minutes.items()
    }


def _shelter_within_limit(network_ids, start, end) -> Values:
    """Of the shelter stays that ended in the period, the share that ended within their limit
    (the extension included)."""
    first, after = _day_bounds(start, end)
    rows = (
        CrisisStep.objects.filter(
            episode__network_id__in=network_ids,
            kind=CrisisStepKind.SHELTER,
            ended_at__gte=first,
            ended_at__lt=after,
        )
        .order_by()
        .values("episode__network_id")
        .annotate(
            n=Count("pk"), within=Count("pk", filter=Q(due_at__isnull=True) | Q(ended_at__lte=F("due_at")))
        )
        .values_list("episode__network_id", "n", "within")
    )
    return {network_id: _share(within, n) for network_id, n, within in rows}


register(
    Indicator(
        "crisis.calls",
        gettext_lazy("oproepen bij het crisismeldpunt in de periode"),
        gettext_lazy("oproepen"),
        True,
        _calls,
    )
)
register(
    Indicator(
        "crisis.dispatched_share",
        gettext_lazy("ontvankelijke crisisoproepen doorgeschakeld binnen het netwerk"),
        gettext_lazy("%"),
        False,
        _dispatched_share,
    )
)
register(
    Indicator(
        "crisis.median_minutes_to_intervention",
        gettext_lazy("mediaan minuten van crisisoproep tot interventie"),
        gettext_lazy("minuten"),
        False,
        _median_minutes_to_intervention,
    )
)
register(
    Indicator(
        "crisis.shelter_within_limit",
        gettext_lazy("crisisopvang beëindigd binnen de termijn"),
        gettext_lazy("%"),
        False,
        _shelter_within_limit,
    )
)
