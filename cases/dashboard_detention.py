"""Home page panel of the trajectbegeleider (issue 20 §6): the caseload with the upcoming
releases, those within three months marked so preparation starts in time, and the transfers
waiting for a decision. Pseudonyms only (the names stay behind the guidance page, which logs the
read). No query for anyone who is not a trajectbegeleider (the roles come from the "my roles"
panel); three for those who are, however long the caseload."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from ijh.dashboard import register_panel
from ijh.models import User
from networks.dashboard import home_roles
from networks.models import Membership

from .access import incoming_transfers, team_guidances
from .models import Guidance, Transfer
from .models.detention import RELEASE_WARNING_DAYS

PANEL_LIMIT = 10
# Releases shown on the panel: the coming six months; within three the warning.
UPCOMING_DAYS = 183


@register_panel("detention-caseload", template="cases/detention/_dashboard.html", order=33)
def my_caseload(user: User) -> dict:
    if not any(role.role == Membership.Role.TRAJECTORY_GUIDE for role in home_roles(user)):
        return {"show": False}
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=RELEASE_WARNING_DAYS)
    # Three queries, whatever the caseload: its size and how many releases fall within three
    # months; the next releases in order; the transfers to this prison waiting for a decision.
    running = team_guidances(user).filter(status=Guidance.Status.ACTIVE)
    counts = running.aggregate(
        total=Count("pk"),
        warned=Count("pk", filter=Q(planned_release_on__isnull=False, planned_release_on__lte=horizon)),
    )
    upcoming = list(
        running.filter(
            planned_release_on__isnull=False,
            planned_release_on__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .select_related("case__client", "network")
        .order_by("planned_release_on", "pk")[:PANEL_LIMIT]
    )
    for guidance in upcoming:
        guidance.warn = guidance.planned_release_on <= horizon
    transfers = incoming_transfers(user).filter(status=Transfer.Status.PROPOSED).count()
    return {
        "show": True,
        "total": counts["total"],
        "warned": counts["warned"],
        "upcoming": upcoming,
        "transfers": transfers,
        # Pseudonyms only: the guidance page logs the read of names.
        "client_data_shown": False,
    }
