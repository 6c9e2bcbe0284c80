"""Cliëntoverleg figures for the half-yearly practice report. Counts only: no names, no free text.

Each figure counts what *happened* in the period [start, end] (both included):

- requests: conferences requested in the period, and per sector of the requesting organisation;
- admissible / not admissible: decisions taken in the period (a request withdrawn after it was
  declared admissible still counts as admissible: the decision was taken);
- first sessions held: conferences whose first held session falls in the period, and for those
  the days from request to that session (median and 75th percentile, interpolated like
  PostgreSQL's percentile_cont, so the figure is the same on SQLite);
- plan items: agreements due in the period, by their follow-up status now (not done by reason).

Small-cell suppression ("<5") is the report's job; these are the raw numbers. Four queries,
whatever the number of networks or conferences.
"""

import datetime
import statistics

from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import CarePlanItem, ClientConference, ConferenceSession

Status = ClientConference.Status


def _percentile(sorted_values: list[int], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks (percentile_cont)."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    return float(sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * (position - lower))


def _day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return first, after


def conference_figures(*, network_ids: list[int], start: datetime.date, end: datetime.date) -> dict:
    conferences = ClientConference.objects.filter(network_id__in=network_ids)
    requested = Q(requested_on__range=(start, end))
    decided = Q(decided_on__range=(start, end))

    # 1. Requests and decisions in one aggregate.
    counts = conferences.aggregate(
        requests=Count("pk", filter=requested),
        admissible=Count("pk", filter=decided & ~Q(status=Status.NOT_ADMISSIBLE)),
        not_admissible=Count("pk", filter=decided & Q(status=Status.NOT_ADMISSIBLE)),
    )

    # 2. Requests per sector of the requesting organisation.
    per_sector = (
        conferences.filter(requested)
        .values("requesting_organisation__sector__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "requesting_organisation__sector__name")
    )

    # 3. First held session per conference, where it falls in the period.
    first, after = _day_bounds(start, end)
    first_held = (
        conferences.annotate(
            first_held=Min("sessions__starts_at", filter=Q(sessions__status=ConferenceSession.Status.HELD))
        )
        .filter(first_held__gte=first, first_held__lt=after)
        .values_list("requested_on", "first_held")
    )
    days = sorted((timezone.localtime(held).date() - requested_on).days for requested_on, held in first_held)

    # 4. Agreements due in the period, by status and reason.
    items = (
        CarePlanItem.objects.filter(conference__network_id__in=network_ids, due_on__range=(start, end))
        .values("status", "not_done_reason")
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_status = dict.fromkeys(CarePlanItem.Status.values, 0)
    by_reason = dict.fromkeys(CarePlanItem.NotDoneReason.values, 0)
    for row in items:
        by_status[row["status"]] += row["count"]
        if row["status"] == CarePlanItem.Status.NOT_DONE and row["not_done_reason"]:
            by_reason[row["not_done_reason"]] += row["count"]

    return {
        "requests": counts["requests"],
        "admissible": counts["admissible"],
        "not_admissible": counts["not_admissible"],
        "first_sessions_held": len(days),
        "requests_per_sector": {
            row["requesting_organisation__sector__name"]: row["count"] for row in per_sector
        },
        "median_days_to_first_session": float(statistics.median(days)) if days else None,
        "p75_days_to_first_session": _percentile(days, 0.75),
        "plan_items": {
            "done": by_status[CarePlanItem.Status.DONE],
            "not_done": by_status[CarePlanItem.Status.NOT_DONE],
            "not_done_by_reason": by_reason,
            "dropped": by_status[CarePlanItem.Status.DROPPED],
            "open": by_status[CarePlanItem.Status.OPEN],
        },
    }
