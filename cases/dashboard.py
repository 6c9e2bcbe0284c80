"""Home page panels and deadlines for case work (registered from CasesConfig.ready).

Each panel is one query and renders nothing when it has nothing to show. Only conferences the user
may read with names (the case team, the conference's chair in their time) come through: the query
filters on the rules of ``cases.access``, so an owner who has left the team no longer sees the item.
"""

import datetime

from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ijh.dashboard import Deadline, register_deadlines, register_panel
from ijh.models import User

from .access import chaired_conferences, team_flag
from .models import CarePlanItem, ClientConference, ConferenceSession

DEADLINE_DAYS = 14
UPCOMING_DAYS = 30
PANEL_LIMIT = 50
RUNNING = (ClientConference.Status.ADMISSIBLE, ClientConference.Status.RUNNING)


def _my_open_plan_items(user: User):
    return (
        CarePlanItem.objects.filter(
            owner=user, status=CarePlanItem.Status.OPEN, conference__status__in=RUNNING
        )
        .annotate(
            user_on_team=team_flag(user, case_ref="conference__case_id"),
            user_is_chair=Exists(chaired_conferences(user).filter(pk=OuterRef("conference_id"))),
        )
        .filter(Q(user_on_team=True) | Q(user_is_chair=True))
        .select_related("conference__case__client", "domain", "owner", "owner_organisation", "reviewed_in")
    )


@register_panel("conference-plan-items", template="cases/_dashboard_plan_items.html", order=30)
def my_plan_items(user: User) -> dict:
    # One query: my open werkplan agreements on cases I am on (team or chair); the oldest due
    # date first, so what is overdue is on top.
    items = list(_my_open_plan_items(user).order_by("due_on", "pk")[:PANEL_LIMIT])
    for item in items:
        item.can_follow_up = True  # the owner follows up their own agreement
    return {
        "items": items,
        "client_data_shown": bool(items),
        "item_statuses": CarePlanItem.Status.choices,
        "not_done_reasons": CarePlanItem.NotDoneReason.choices,
        "today": timezone.localdate(),
    }


@register_panel("conference-sessions", template="cases/_dashboard_sessions.html", order=31)
def my_sessions(user: User) -> dict:
    """One query: planned sessions in the next 30 days that I chair, and planned follow-up (and
    closing) sessions of conferences on cases where I am on the team."""
    now = timezone.now()
    sessions = (
        ConferenceSession.objects.filter(
            status=ConferenceSession.Status.PLANNED,
            starts_at__gte=now,
            starts_at__lt=now + datetime.timedelta(days=UPCOMING_DAYS),
            conference__status__in=RUNNING,
        )
        .annotate(
            user_on_team=team_flag(user, case_ref="conference__case_id"),
            user_is_chair=Exists(chaired_conferences(user).filter(pk=OuterRef("conference_id"))),
        )
        .filter(
            Q(user_is_chair=True)
            | Q(
                user_on_team=True,
                kind__in=(ConferenceSession.Kind.FOLLOW_UP, ConferenceSession.Kind.CLOSING),
            )
        )
        .select_related("conference__case__client", "conference__network")
        .order_by("starts_at", "pk")[:PANEL_LIMIT]
    )
    sessions = list(sessions)
    return {"sessions": sessions, "client_data_shown": bool(sessions)}


@register_deadlines("conference-plan-items")
def plan_item_deadlines(user: User) -> list[Deadline]:
    """My open agreements due within 14 days (or overdue). One query."""
    until = timezone.localdate() + datetime.timedelta(days=DEADLINE_DAYS)
    items = _my_open_plan_items(user).filter(due_on__lte=until).order_by("due_on", "pk")[:PANEL_LIMIT]
    return [
        Deadline(
            due=item.due_on,
            label=_("Werkplan %(pseudonym)s: %(agreement)s")
            % {
                "pseudonym": item.conference.case.client.pseudonym,
                "agreement": Truncator(item.description).chars(60),
            },
            url=reverse("cases:conference-detail", args=[item.conference_id]) + "#werkplan",
            kind="care_plan_item",
            client_data=True,
        )
        for item in items
    ]


# --- crisis (issue 18) -----------------------------------------------------------------------------


@register_panel("crisis-steps", template="cases/crisis/_dashboard_steps.html", order=20)
def crisis_steps(user: User) -> dict:
    """The meldpunt's and the providers' overdue and nearly-overdue crisis steps, and a link to
    the meldpunt page of each network where the user answers the line (over or nearly over
    their limit first). One query for everyone
    without a meldpunt or caseworker role; three for those with one."""
    from networks.models import Membership, Network

    from .access import provider_crisis_steps, visible_crisis_calls
    from .models import CrisisStep

    roles = list(
        Membership.objects.active()
        .filter(user=user, role__in=(Membership.Role.MELDPUNT, Membership.Role.CASEWORKER))
        .values_list("role", "network_id")
    )
    if not roles:
        return {"crisis_networks": [], "steps": []}
    now = timezone.now()
    meldpunt_ids = [network_id for role, network_id in roles if role == Membership.Role.MELDPUNT]
    networks = (
        list(Network.objects.filter(pk__in=meldpunt_ids, crisis_programme__isnull=False).order_by("name"))
        if meldpunt_ids
        else []
    )
    # Running steps, the ones over or nearly over their limit first (highlighted).
    steps = list(
        CrisisStep.objects.running()
        .filter(
            Q(episode__call__in=visible_crisis_calls(user).values("pk"))
            | Q(pk__in=provider_crisis_steps(user).values("pk"))
        )
        .select_related("provider__organisation", "episode__client")
        .order_by(F("due_at").asc(nulls_last=True), "-started_at")[:PANEL_LIMIT]
    )
    for step in steps:
        step.state = step.clock(now)
    return {"crisis_networks": networks, "steps": steps, "client_data_shown": bool(steps)}
