"""Who may see and make reports (issue 8 §9).

Regional staff generate and finalise reports for their region and every network in it. Chairs
and steering members of a network read its *final* reports. Everyone else gets a 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ijh.models import User
from networks.models import Membership, Network, Region

from .models import ReportRun

READER_ROLES = (Membership.Role.CHAIR, Membership.Role.STEERING_MEMBER)


@dataclass(frozen=True)
class Scope:
    network: Network | None
    region: Region
    can_write: bool

    @property
    def label(self) -> str:
        return str(self.network) if self.network else str(self.region)

    @property
    def filter(self) -> dict:
        return {"network": self.network} if self.network else {"region": self.region, "network__isnull": True}


def staff_region_ids(user: User) -> set[int]:
    return set(
        Membership.objects.active()
        .filter(user=user, role=Membership.Role.STAFF, region__isnull=False)
        .values_list("region_id", flat=True)
    )


def reader_network_ids(user: User) -> set[int]:
    return set(
        Membership.objects.active()
        .filter(user=user, role__in=READER_ROLES, network__isnull=False)
        .values_list("network_id", flat=True)
    )


def get_network_scope(user: User, network_id: int) -> Scope:
    network = get_object_or_404(Network.objects.select_related("region"), pk=network_id)
    if network.region_id in staff_region_ids(user):
        return Scope(network=network, region=network.region, can_write=True)
    if network.pk in reader_network_ids(user):
        return Scope(network=network, region=network.region, can_write=False)
    raise Http404


def get_region_scope(user: User, region_id: int) -> Scope:
    if region_id not in staff_region_ids(user):
        raise Http404
    return Scope(network=None, region=get_object_or_404(Region, pk=region_id), can_write=True)


def require_write(scope: Scope) -> None:
    if not scope.can_write:
        raise PermissionDenied


def visible_runs(user: User) -> QuerySet[ReportRun]:
    """Staff see every run of their region; readers only finished runs of a final narrative."""
    regions = staff_region_ids(user)
    networks = reader_network_ids(user)
    return ReportRun.objects.filter(
        Q(network__region_id__in=regions)
        | Q(region_id__in=regions)
        | Q(network_id__in=networks, status=ReportRun.Status.DONE, is_final=True)
    )


def get_run_for_user(user: User, run_id: int, *, write: bool = False) -> ReportRun:
    run = get_object_or_404(
        visible_runs(user).select_related("network__region", "region", "narrative"), pk=run_id
    )
    if write:
        scope_region = run.network.region_id if run.network_id else run.region_id
        if scope_region not in staff_region_ids(user):
            raise PermissionDenied
    return run
