"""Who may see and make reports (issue 8 §9, issue 17 §5).

| who                                   | network reports       | region reports        | Flanders reports |
|---------------------------------------|-----------------------|-----------------------|------------------|
| regional staff (`staff`)              | write, own region     | write, own region     | –                |
| chair, steering member of the network | read final runs       | –                     | –                |
| Flemish administration (`agency`)     | read final runs, all  | read final runs, all  | write            |
| anyone else                           | 404                   | 404                   | 404              |

"Write": generate runs, write and finalise the narrative, see drafts. The agency sees counts
only: reports are aggregates, and no case page is open to it (its role opens no client data).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ijh.models import User
from networks.models import Membership, Network, Region

from .models import FLANDERS_LABEL, ReportRun

READER_ROLES = (Membership.Role.CHAIR, Membership.Role.STEERING_MEMBER)


@dataclass(frozen=True)
class Scope:
    network: Network | None
    region: Region | None
    can_write: bool

    @property
    def is_flanders(self) -> bool:
        return self.network is None and self.region is None

    @property
    def label(self) -> str:
        if self.network:
            return str(self.network)
        if self.region:
            return str(self.region)
        return str(FLANDERS_LABEL)

    @property
    def filter(self) -> dict:
        if self.network:
            return {"network": self.network}
        if self.region:
            return {"region": self.region, "network__isnull": True}
        return {"network__isnull": True, "region__isnull": True}

    @property
    def kwargs(self) -> dict:
        """The scope as the services take it."""
        if self.network:
            return {"network": self.network}
        if self.region:
            return {"region": self.region}
        return {"flanders": True}


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


def is_agency(user: User) -> bool:
    """Works for the Flemish administration: a role for all of Flanders, counts only."""
    return Membership.objects.active().filter(user=user, role__in=Membership.FLANDERS_ROLES).exists()


def get_network_scope(user: User, network_id: int) -> Scope:
    network = get_object_or_404(Network.objects.select_related("region"), pk=network_id)
    if network.region_id in staff_region_ids(user):
        return Scope(network=network, region=network.region, can_write=True)
    if network.pk in reader_network_ids(user) or is_agency(user):
        return Scope(network=network, region=network.region, can_write=False)
    raise Http404


def get_region_scope(user: User, region_id: int) -> Scope:
    if region_id in staff_region_ids(user):
        return Scope(network=None, region=get_object_or_404(Region, pk=region_id), can_write=True)
    if is_agency(user):
        return Scope(network=None, region=get_object_or_404(Region, pk=region_id), can_write=False)
    raise Http404


def get_flanders_scope(user: User) -> Scope:
    if not is_agency(user):
        raise Http404
    return Scope(network=None, region=None, can_write=True)


def require_write(scope: Scope) -> None:
    if not scope.can_write:
        raise PermissionDenied


def visible_runs(user: User) -> QuerySet[ReportRun]:
    """Staff see every run of their region; readers only finished runs of a final narrative; the
    agency every Flanders run and the finished final runs of every network and region."""
    regions = staff_region_ids(user)
    networks = reader_network_ids(user)
    visible = (
        Q(network__region_id__in=regions)
        | Q(region_id__in=regions)
        | Q(network_id__in=networks, status=ReportRun.Status.DONE, is_final=True)
    )
    if is_agency(user):
        visible |= Q(network__isnull=True, region__isnull=True) | Q(
            status=ReportRun.Status.DONE, is_final=True
        )
    return ReportRun.objects.filter(visible)


def can_write_run(user: User, run: ReportRun) -> bool:
    if run.is_flanders:
        return is_agency(user)
    scope_region = run.network.region_id if run.network_id else run.region_id
    return scope_region in staff_region_ids(user)


def get_run_for_user(user: User, run_id: int, *, write: bool = False) -> ReportRun:
    run = get_object_or_404(
        visible_runs(user).select_related("network__region", "region", "narrative"), pk=run_id
    )
    if write and not can_write_run(user, run):
        raise PermissionDenied
    return run
