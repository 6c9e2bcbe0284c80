"""Figures a goal indicator can take from the registrations (issue 17 §3), and keeping linked
goals' progress rows in step with them.

Each figure is computed per network over a period [start, end], in one query, by the same
definitions as the report sections. Later modules (crisis, planmakers, detention) add theirs with
``register``; a figure's key is stored on the link, so keys never change once used.

``sync`` writes, for every linked goal, one ``GoalProgress`` row per half year (measured on the
half year's last day, or today while it runs), so the goal's chart on its own page follows the
registrations; a change in the registrations updates the row on the next sync (nightly, and when
a link is saved).
"""

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import ClientConference, ConferenceSession, Referral
from networks.models import Goal, GoalProgress

from . import figures_history
from .disclosure import THRESHOLD
from .indicator_registry import REGISTRY, Indicator, Values, _day_bounds, register
from .models import GoalIndicator, HalfYear, ImportedConferenceRequest, LinkedMeasurement


def choices() -> list[tuple[str, str]]:
    return [("", _("met de hand gemeten"))] + [
        (key, f"{indicator.label} ({indicator.unit})") for key, indicator in REGISTRY.items()
    ]


def _counts(rows) -> Values:
    return {network_id: Decimal(count) for network_id, count in rows}


def _requests(network_ids, start, end) -> Values:
    registered = _counts(
        ClientConference.objects.filter(network_id__in=network_ids, requested_on__range=(start, end))
        .order_by()
        .values("network_id")
        .annotate(n=Count("pk"))
        .values_list("network_id", "n")
    )
    imported = (
        ImportedConferenceRequest.objects.filter(network_id__in=network_ids, requested_on__range=(start, end))
        .order_by()
        .values("network_id")
        .annotate(n=Count("pk"))
        .values_list("network_id", "n")
    )
    for network_id, count in imported:
        registered[network_id] = registered.get(network_id, Decimal(0)) + count
    return registered


def _first_held(network_ids, start, end):
    first, after = _day_bounds(start, end)
    return (
        ClientConference.objects.filter(network_id__in=network_ids)
        .annotate(
            first_held=Min("sessions__starts_at", filter=Q(sessions__status=ConferenceSession.Status.HELD))
        )
        .filter(first_held__gte=first, first_held__lt=after)
    )


def _first_sessions(network_ids, start, end) -> Values:
    values: Values = defaultdict(lambda: Decimal(0))
    for network_id in _first_held(network_ids, start, end).values_list("network_id", flat=True):
        values[network_id] += 1
    return dict(values)


def _with_independent_chair(network_ids, start, end) -> Values:
    """Conferences with an external chair that held a session in the period."""
    first, after = _day_bounds(start, end)
    held = ConferenceSession.objects.filter(
        conference=OuterRef("pk"),
        status=ConferenceSession.Status.HELD,
        starts_at__gte=first,
        starts_at__lt=after,
    )
    return _counts(
        ClientConference.objects.filter(network_id__in=network_ids, chair__isnull=False)
        .filter(Exists(held))
        .order_by()
        .values("network_id")
        .annotate(n=Count("pk"))
        .values_list("network_id", "n")
    )


def _median_days_to_first_session(network_ids, start, end) -> Values:
    days: dict[int, list[int]] = defaultdict(list)
    for network_id, requested, held in _first_held(network_ids, start, end).values_list(
        "network_id", "requested_on", "first_held"
    ):
        days[network_id].append((timezone.localtime(held).date() - requested).days)
    for row in figures_history.imported_conferences(network_ids, start, end).rows:
        network_id, requested, _sector, _admissible, _decided, first = row
        if first and start <= first <= end:
            days[network_id].append((first - requested).days)
    # A median of fewer than 5 says something about those few clients: no figure.
    return {
        network_id: (Decimal(str(statistics.median(values))) if len(values) >= THRESHOLD else None)
        for network_id, values in days.items()
    }


def _referrals_sent(network_ids, start, end) -> Values:
    values = _counts(
        Referral.objects.filter(network_id__in=network_ids, sent_on__range=(start, end))
        .order_by()
        .values("network_id")
        .annotate(n=Count("pk"))
        .values_list("network_id", "n")
    )
    for network_id, counts in (
        figures_history.imported_referrals(network_ids, start, end).period_counts(start, end).items()
    ):
        values[network_id] = values.get(network_id, Decimal(0)) + counts.get("sent", 0)
    return values


register(
    Indicator(
        "client_conference.requests",
        gettext_lazy("aanvragen cliëntoverleg in de periode"),
        gettext_lazy("aanvragen"),
        True,
        _requests,
    )
)
register(
    Indicator(
        "client_conference.first_sessions",
        gettext_lazy("eerste cliëntoverleggen gehouden in de periode"),
        gettext_lazy("overleggen"),
        True,
        _first_sessions,
    )
)
register(
    Indicator(
        "client_conference.independent_chair",
        gettext_lazy("cliëntoverleggen met een onafhankelijk voorzitter"),
        gettext_lazy("overleggen"),
        True,
        _with_independent_chair,
    )
)
register(
    Indicator(
        "client_conference.median_days_to_first_session",
        gettext_lazy("mediaan dagen tot eerste overleg"),
        gettext_lazy("dagen"),
        False,
        _median_days_to_first_session,
    )
)
register(
    Indicator(
        "referrals.sent",
        gettext_lazy("verwijzingen verstuurd in de periode"),
        gettext_lazy("verwijzingen"),
        True,
        _referrals_sent,
    )
)


# --- keeping linked goals' progress in step -------------------------------------------------------

SYNC_HALF_YEARS = 4  # the running half year and the three before it


def _periods(today: datetime.date) -> list[HalfYear]:
    period = HalfYear.containing(today)
    periods = [period]
    for _i in range(SYNC_HALF_YEARS - 1):
        period = period.previous()
        periods.append(period)
    return list(reversed(periods))


def sync(*, goal_ids: list[int] | None = None, today: datetime.date | None = None) -> int:
    """Write or update the progress rows of linked goals for the recent half years. Returns the
    number of rows written. Queries: the links, then per figure in use and half year one, then
    the writes."""
    today = today or timezone.localdate()
    links = GoalIndicator.objects.exclude(figure="").select_related("goal")
    if goal_ids is not None:
        links = links.filter(goal_id__in=goal_ids)
    links = [link for link in links if link.figure in REGISTRY and link.goal.kind == Goal.Kind.OPERATIONAL]
    if not links:
        return 0
    by_figure: dict[str, list[GoalIndicator]] = defaultdict(list)
    for link in links:
        by_figure[link.figure].append(link)
    existing = {
        (m.indicator_id, m.year, m.half): m
        for m in LinkedMeasurement.objects.filter(indicator__in=links).select_related("progress")
    }
    written = 0
    with transaction.atomic():
        for figure, figure_links in by_figure.items():
            indicator = REGISTRY[figure]
            network_ids = sorted({link.goal.network_id for link in figure_links})
            for period in _periods(today):
                values = indicator.compute(network_ids, period.start, min(period.end, today))
                measured_on = min(period.end, today)
                note = _("Uit de registraties: %(figure)s, %(period)s") % {
                    "figure": indicator.label,
                    "period": period.label,
                }
                for link in figure_links:
                    value = values.get(link.goal.network_id, Decimal(0) if indicator.counts_people else None)
                    measurement = existing.get((link.pk, period.year, period.half))
                    if value is None:
                        if measurement is not None:
                            measurement.progress.delete()  # cascades to the measurement
                        continue
                    if measurement is None:
                        progress = GoalProgress.objects.create(
                            goal=link.goal, measured_on=measured_on, value=value, note=note[:300]
                        )
                        LinkedMeasurement.objects.create(
                            indicator=link, year=period.year, half=period.half, progress=progress
                        )
                        written += 1
                    elif (measurement.progress.value, measurement.progress.measured_on) != (
                        value,
                        measured_on,
                    ):
                        GoalProgress.objects.filter(pk=measurement.progress_id).update(
                            value=value, measured_on=measured_on, note=note[:300]
                        )
                        written += 1
    return written


def report_values(goals: list[dict], network_ids: list[int], start, end) -> dict[int, Decimal | None]:
    """goal id → the linked figure over [start, end] for each goal in ``goals`` (dicts with
    ``pk``, ``network_id`` and ``report_indicator__figure``). One query per figure in use."""
    by_figure: dict[str, set[int]] = defaultdict(set)
    for goal in goals:
        if goal.get("report_indicator__figure") in REGISTRY:
            by_figure[goal["report_indicator__figure"]].add(goal["network_id"])
    values = {}
    for figure, ids in by_figure.items():
        indicator = REGISTRY[figure]
        per_network = indicator.compute(sorted(ids), start, end)
        for goal in goals:
            if goal.get("report_indicator__figure") == figure:
                default = Decimal(0) if indicator.counts_people else None
                values[goal["pk"]] = per_network.get(goal["network_id"], default)
    return values


# The modules' own figures, registered after the case figures (the order of the choices).
from . import indicators_crisis  # noqa: E402, F401
