"""The one door to networks: not visible → 404, visible but not manageable → 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from ijh.models import User

from .models import Membership, Network


def get_network_for_user(user: User, network_id: int, *, write: bool = False) -> Network:
    network = get_object_or_404(
        Network.objects.visible_to(user).with_manage_flag(user).select_related("region"), pk=network_id
    )
    if write and not network.user_can_manage:
        raise PermissionDenied
    return network


def can_manage_organisations(user: User) -> bool:
    """Reference data (organisations) is kept by functional admins and regional staff."""
    return Membership.objects.active().filter(user=user, role__in=Membership.REGION_ROLES).exists()


def require_organisation_manager(user: User) -> None:
    if not can_manage_organisations(user):
        raise PermissionDenied
