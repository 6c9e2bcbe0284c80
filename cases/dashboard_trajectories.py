"""Home page panel of the planmakers (issue 19): the trajectories a planmaker is assigned to, with
their open and overdue shared-plan items and the next meeting due, and the aanmeldingen a planmaker coordinator has to decide
on. One query; renders nothing for everyone else."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from ijh.dashboard import register_panel
from ijh.models import User

from .access import assigned_flag, coordinated_trajectories, visible_trajectories
from .models import SharedPlanItem, Trajectory, TrajectoryMeeting

PANEL_LIMIT = 50


@register_panel("planmaker-trajectories", template="cases/trajectories/_dashboard.html", order=32)
def my_trajectories(user: User) -> dict:
    today = timezone.localdate()
    open_items = Q(plan_items__status=SharedPlanItem.Status.OPEN)
    rows = list(
        visible_trajectories(user)
        .annotate(user_is_planmaker=assigned_flag(user))
        .filter(
            Q(
                user_is_planmaker=True,
                phase__in=(
                    Trajectory.Phase.CONNECTING,
                    Trajectory.Phase.MANDATE,
                    Trajectory.Phase.PLAN,
                    Trajectory.Phase.FOLLOW_UP,
                ),
            )
            | Q(phase=Trajectory.Phase.REFERRED, pk__in=coordinated_trajectories(user).values("pk"))
        )
        .annotate(
            open_items=Count("plan_items", filter=open_items),
            overdue_items=Count("plan_items", filter=open_items & Q(plan_items__due_on__lt=today)),
            # The next samenwerkingsoverleg still to hold (issue 19 §3), in the same query.
            next_meeting_on=Subquery(
                TrajectoryMeeting.objects.filter(trajectory=OuterRef("pk"), held_on__isnull=True)
                # The day it is due by or planned for, whichever comes first (as its state).
                .annotate(first_on=Coalesce(Least("due_on", "planned_on"), "due_on", "planned_on"))
                .order_by("first_on")
                .values("first_on")[:1]
            ),
        )
        .select_related("case__client")
        .order_by("-overdue_items", "referred_on", "pk")[:PANEL_LIMIT]
    )
    return {
        "mine": [row for row in rows if row.user_is_planmaker],
        "to_decide": [row for row in rows if not row.user_is_planmaker],
        # Pseudonyms only: a read is logged by the pages, not by this panel.
        "client_data_shown": False,
        "today": today,
    }
