"""The one door to network data: not visible → 404, visible but not editable → 403.

Everything here is steering data (no client data): visible to everyone with an active role in
the network and to staff of its region; managed by its coordinators and chairs and by regional
staff (the secretariat).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from ijh.models import User

from .models import (
    ActionItem,
    Agreement,
    Attendance,
    Goal,
    Meeting,
    Membership,
    Network,
    SelfAssessmentRound,
)
from .models.structure import manage_flag


def get_network_for_user(user: User, network_id: int, *, write: bool = False) -> Network:
    network = get_object_or_404(
        Network.objects.visible_to(user).with_manage_flag(user).select_related("region"), pk=network_id
    )
    if write and not network.user_can_manage:
        raise PermissionDenied
    return network


def _get_network_owned(queryset: QuerySet, user: User, pk: int, *, write: bool):
    """Fetch a row that belongs to a network, with ``user_can_manage`` annotated, in one query."""
    obj = get_object_or_404(
        queryset.filter(network__in=Network.objects.visible_to(user))
        .annotate(user_can_manage=manage_flag(user))
        .select_related("network__region"),
        pk=pk,
    )
    if write and not obj.user_can_manage:
        raise PermissionDenied
    return obj


def get_meeting_for_user(user: User, meeting_id: int, *, write: bool = False) -> Meeting:
    queryset = Meeting.objects.select_related("body").annotate(
        user_is_invited=Exists(Attendance.objects.filter(meeting=OuterRef("pk"), user=user))
    )
    return _get_network_owned(queryset, user, meeting_id, write=write)


def can_see_unapproved_minutes(user: User, meeting: Meeting) -> bool:
    """Draft and circulated minutes are for the invited and the managers; members who follow
    by minutes (and everyone else) read approved minutes only."""
    return bool(meeting.user_can_manage or meeting.user_is_invited)


def get_action_for_user(user: User, action_id: int, *, write: bool = False) -> ActionItem:
    action = _get_network_owned(
        ActionItem.objects.select_related("owner", "owner_organisation", "meeting__body"),
        user,
        action_id,
        write=False,
    )
    # The owner may move their own action along; managers may change any.
    if write and not (action.user_can_manage or action.owner_id == user.pk):
        raise PermissionDenied
    return action


def get_goal_for_user(user: User, goal_id: int, *, write: bool = False) -> Goal:
    return _get_network_owned(Goal.objects.select_related("parent"), user, goal_id, write=write)


def get_agreement_for_user(user: User, agreement_id: int, *, write: bool = False) -> Agreement:
    return _get_network_owned(Agreement.objects.all(), user, agreement_id, write=write)


def get_round_for_user(user: User, round_id: int, *, write: bool = False) -> SelfAssessmentRound:
    assessment_round = _get_network_owned(SelfAssessmentRound.objects.all(), user, round_id, write=False)
    if write and not can_open_assessment(user, assessment_round.network):
        raise PermissionDenied
    return assessment_round


def can_open_assessment(user: User, network: Network) -> bool:
    """Rounds are opened and closed by the chair (or the regional secretariat)."""
    mine = Membership.objects.active().filter(user=user)
    return (
        mine.filter(network=network, role=Membership.Role.CHAIR).exists()
        or mine.filter(region_id=network.region_id, role__in=Membership.REGION_ROLES).exists()
    )


SCORING_ROLES = (Membership.Role.STEERING_MEMBER, Membership.Role.CHAIR, Membership.Role.COORDINATOR)


def can_score(user: User, network: Network) -> bool:
    return Membership.objects.active().filter(user=user, network=network, role__in=SCORING_ROLES).exists()


def can_manage_organisations(user: User) -> bool:
    """Reference data (organisations) is kept by functional admins and regional staff."""
    return Membership.objects.active().filter(user=user, role__in=Membership.REGION_ROLES).exists()


def require_organisation_manager(user: User) -> None:
    if not can_manage_organisations(user):
        raise PermissionDenied


def grantable_roles(user: User, network: Network) -> tuple[str, ...]:
    """Network roles ``user`` may give in ``network`` (they already may manage it)."""
    is_region_keeper = (
        Membership.objects.active()
        .filter(user=user, region_id=network.region_id, role__in=Membership.REGION_ROLES)
        .exists()
    )
    if is_region_keeper:
        return tuple(role for role in Membership.Role.values if role not in Membership.REGION_ROLES)
    return Membership.STEERING_ROLES
