"""Planmaker figures for the practice report: counts only, no client data (issue 19).

Period figures count what happened in the period (aanmeldingen made in it, decisions taken in it,
trajectories that reached a phase or closed in it). Three queries, whatever the number of networks
or trajectories: one aggregate over the trajectories, one over the bottlenecks, one over the
meetings the product schedules (``meeting_figures``).
"""

import datetime

from django.db.models import Count, F, Q

from networks.models import Bottleneck

from .models import Trajectory, TrajectoryMeeting


def trajectory_figures(*, network_ids, start: datetime.date, end: datetime.date) -> dict:
    trajectories = Trajectory.objects.filter(network_id__in=list(network_ids))

    def within(field: str) -> Q:
        return Q(**{f"{field}__gte": start, f"{field}__lte": end})

    phases = {
        Trajectory.Phase.CONNECTING: "connecting_on",
        Trajectory.Phase.MANDATE: "mandate_on",
        Trajectory.Phase.PLAN: "plan_on",
        Trajectory.Phase.FOLLOW_UP: "follow_up_on",
        Trajectory.Phase.CLOSED: "closed_on",
    }
    counts = trajectories.aggregate(
        referred=Count("pk", filter=within("referred_on")),
        accepted=Count("pk", filter=within("decided_on") & Q(connecting_on__isnull=False)),
        declined=Count("pk", filter=within("decided_on") & Q(phase=Trajectory.Phase.DECLINED)),
        active_at_end=Count(
            "pk",
            filter=Q(connecting_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end)),
        ),
        **{f"reached_{phase}": Count("pk", filter=within(field)) for phase, field in phases.items()},
        **{
            f"outcome_{outcome}": Count("pk", filter=within("closed_on") & Q(outcome=outcome))
            for outcome in Trajectory.Outcome.values
        },
    )
    not_ended_by_end = Q(answered_on__isnull=True) | Q(answered_on__gt=end)
    bottlenecks = list(
        Bottleneck.objects.filter(network_id__in=list(network_ids), signalled_on__lte=end)
        .values("category", "level")
        .annotate(
            signalled=Count("pk", filter=Q(signalled_on__gte=start), distinct=True),
            total=Count("pk", distinct=True),
            trajectories=Count("trajectories", distinct=True),
            # The status each had on the period's last day, from the day it reached it.
            resolved=Count(
                "pk", filter=Q(answered_on__lte=end, status=Bottleneck.Status.ANSWERED), distinct=True
            ),
            not_resolvable=Count(
                "pk", filter=Q(answered_on__lte=end, status=Bottleneck.Status.NOT_RESOLVABLE), distinct=True
            ),
            passed_on=Count("pk", filter=Q(passed_on_on__lte=end) & not_ended_by_end, distinct=True),
            discussed=Count(
                "pk",
                filter=Q(discussed_on__lte=end)
                & (Q(passed_on_on__isnull=True) | Q(passed_on_on__gt=end))
                & not_ended_by_end,
                distinct=True,
            ),
        )
        .order_by("category", "level")
    )
    for row in bottlenecks:
        row["open"] = (
            row["total"] - row["discussed"] - row["passed_on"] - row["resolved"] - row["not_resolvable"]
        )
    return {
        "referred": counts["referred"],
        "accepted": counts["accepted"],
        "declined": counts["declined"],
        "active_at_end": counts["active_at_end"],
        "reached": {phase: counts[f"reached_{phase}"] for phase in phases},
        "outcomes": {outcome: counts[f"outcome_{outcome}"] for outcome in Trajectory.Outcome.values},
        "bottlenecks": bottlenecks,
    }


# The meetings the product schedules itself, so "due" means something (ad hoc and end meetings
# have no due day).
SCHEDULED_KINDS = (TrajectoryMeeting.Kind.START, TrajectoryMeeting.Kind.THREE_MONTHS)


def meeting_figures(*, network_ids, start: datetime.date, end: datetime.date) -> dict[str, dict[str, int]]:
    """Start and three-month meetings due in the period and what became of them by its last day:
    held on time (on or before the due day), held late (after it, by the end of the period), not
    held. A meeting whose trajectory closed before it was due is not counted. One query."""
    due = TrajectoryMeeting.objects.filter(
        trajectory__network_id__in=list(network_ids),
        kind__in=SCHEDULED_KINDS,
        due_on__gte=start,
        due_on__lte=end,
    ).exclude(trajectory__closed_on__lt=F("due_on"))
    held = Q(held_on__isnull=False, held_on__lte=end)
    counts = due.aggregate(
        **{
            f"{kind}_{name}": Count("pk", filter=Q(kind=kind) & condition)
            for kind in SCHEDULED_KINDS
            for name, condition in (
                ("due", Q()),
                ("held", held),
                ("on_time", held & Q(held_on__lte=F("due_on"))),
                ("late", held & Q(held_on__gt=F("due_on"))),
            )
        }
    )
    result = {}
    for kind in SCHEDULED_KINDS:
        row = {name: counts[f"{kind}_{name}"] for name in ("due", "held", "on_time", "late")}
        row["not_held"] = row["due"] - row["held"]
        result[kind] = row
    return result
