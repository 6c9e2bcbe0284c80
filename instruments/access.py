"""The one door to the instruments of a network: not visible → 404, visible but not editable → 403.

Instruments are network data (no client data): visible to everyone with an active role in the
network and to staff of its region, managed by its coordinators and chairs and by regional staff
(``networks.access``). Two additions: a self-check may also be filled in by the people who
represent the organisation it is about, and Flemish playbooks (no network) are visible from every
network but edited by none through these pages.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from ijh.models import User
from networks.access import _get_network_owned, get_network_for_user
from networks.models import Membership, Network

from .models import ImprovementAction, Instrument, Playbook, PlaybookAdoption, ReferralAgreement


def get_instrument_for_user(user: User, instrument_id: int, *, write: bool = False) -> Instrument:
    return _get_network_owned(
        Instrument.objects.select_related("contact_person"), user, instrument_id, write=write
    )


def get_referral_agreement_for_user(
    user: User, agreement_id: int, *, write: bool = False
) -> ReferralAgreement:
    return _get_network_owned(
        ReferralAgreement.objects.select_related("receiving_organisation", "created_by"),
        user,
        agreement_id,
        write=write,
    )


def get_playbook_for_user(
    user: User, network_id: int, playbook_id: int, *, write: bool = False
) -> tuple[Network, Playbook]:
    """A playbook seen from one network: its own versions and the Flemish ones (network empty).

    Writing means changing the playbook itself, so it needs a manager of the network that owns it;
    a Flemish version is read-only here (a network adapts it by making its own new version).
    """
    network = get_network_for_user(user, network_id)
    playbook = get_object_or_404(
        Playbook.objects.filter(Q(network=network) | Q(network__isnull=True)).select_related("previous"),
        pk=playbook_id,
    )
    if write and not (network.user_can_manage and playbook.network_id == network.pk):
        raise PermissionDenied
    return network, playbook


def represents(user: User, network_id: int, organisation_id: int) -> bool:
    """Does ``user`` hold an active role in the network on behalf of this organisation?"""
    return (
        Membership.objects.active()
        .filter(user=user, network_id=network_id, organisation_id=organisation_id)
        .exists()
    )


def _represents_expression(user: User):
    return Exists(
        Membership.objects.active().filter(
            user=user, network_id=OuterRef("network_id"), organisation_id=OuterRef("organisation_id")
        )
    )


def get_adoption_for_user(user: User, adoption_id: int, *, write: bool = False) -> PlaybookAdoption:
    """A self-check: read by the network; filled in by the organisation's people or the managers."""
    adoption = _get_network_owned(
        PlaybookAdoption.objects.select_related("organisation", "playbook", "performed_by").annotate(
            user_represents=_represents_expression(user)
        ),
        user,
        adoption_id,
        write=False,
    )
    adoption.user_can_edit = bool(adoption.user_can_manage or adoption.user_represents)
    if write and not adoption.user_can_edit:
        raise PermissionDenied
    return adoption


def get_improvement_action_for_user(
    user: User, action_id: int, *, write: bool = False
) -> tuple[PlaybookAdoption, ImprovementAction]:
    """An improvement action goes through its self-check; its owner may also move it along."""
    action = get_object_or_404(ImprovementAction.objects.only("adoption_id", "owner_id"), pk=action_id)
    adoption = get_adoption_for_user(user, action.adoption_id)
    if write and not (adoption.user_can_edit or action.owner_id == user.pk):
        raise PermissionDenied
    action = ImprovementAction.objects.select_related("owner", "task").get(pk=action_id)
    return adoption, action
