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


# --- the offer in a prison (issue 20) ----------------------------------------------------------------
#
# Network data without client data, so everyone in the network sees the offer, its places and its
# waiting counts. The participant and waiting lists (pseudonymous codes, still about persons) are
# for those who work with them: the organisatieondersteuner who keeps the offer (and the network's
# managers), the trajectbegeleiders who enrol their detainees, and the people of the activity's own
# provider. The beleidsmedewerker, prison management and other members see counts.

OFFER_KEEPING_ROLES = (Membership.Role.OFFER_COORDINATOR, *Membership.MANAGING_NETWORK_ROLES)
ENROLLING_ROLES = (*OFFER_KEEPING_ROLES, Membership.Role.TRAJECTORY_GUIDE)
SECURITY_ROLES = (*OFFER_KEEPING_ROLES, Membership.Role.POLICY_OFFICER)


def _holds(user: User, roles, network_ref: str = "network_id"):
    return Exists(
        Membership.objects.active().filter(user=user, network_id=OuterRef(network_ref), role__in=roles)
    )


def offer_flags(user: User) -> dict:
    """Annotations for a network row (``pk``) or a row with ``network_id``."""
    return {
        "user_keeps_offer": _holds(user, OFFER_KEEPING_ROLES, "pk"),
        "user_enrols": _holds(user, ENROLLING_ROLES, "pk"),
        "user_registers_security": _holds(user, SECURITY_ROLES, "pk"),
    }


def get_offer_network_for_user(user: User, network_id: int) -> Network:
    """A prison network, with the offer flags; 404 for other kinds and for outsiders."""
    network = get_object_or_404(
        Network.objects.visible_to(user)
        .filter(kind=Network.Kind.DETENTION)
        .with_manage_flag(user)
        .annotate(**offer_flags(user))
        .select_related("region"),
        pk=network_id,
    )
    return network


def get_activity_for_user(user: User, activity_id: int, *, write: bool = False):
    from .models import Activity

    activity = _get_network_owned(
        Activity.objects.select_related("provider").annotate(
            user_keeps_offer=_holds(user, OFFER_KEEPING_ROLES),
            user_enrols=_holds(user, ENROLLING_ROLES),
            user_of_provider=Exists(
                Membership.objects.active().filter(
                    user=user, network_id=OuterRef("network_id"), organisation_id=OuterRef("provider_id")
                )
            ),
        ),
        user,
        activity_id,
        write=False,
    )
    activity.user_sees_participants = bool(
        activity.user_keeps_offer or activity.user_enrols or activity.user_of_provider
    )
    if write and not activity.user_keeps_offer:
        raise PermissionDenied
    return activity


def get_enrolment_for_user(user: User, enrolment_id: int):
    """An enrolment to end: for the offer keepers and the trajectbegeleiders of the prison."""
    from .models import Enrolment

    network_id = get_object_or_404(
        Enrolment.objects.values_list("activity__network_id", flat=True), pk=enrolment_id
    )
    activity_id = Enrolment.objects.values_list("activity_id", flat=True).get(pk=enrolment_id)
    get_network_for_user(user, network_id)  # 404 for outsiders
    activity = get_activity_for_user(user, activity_id)
    if not activity.user_enrols:
        raise PermissionDenied
    enrolment = Enrolment.objects.get(pk=enrolment_id)
    enrolment.activity = activity
    return enrolment


def get_folder_for_user(user: User, folder_id: int):
    from .models import OfferFolder

    return _get_network_owned(OfferFolder.objects.all(), user, folder_id, write=False)


# --- the engagement catalogue (issue 19 §7) ------------------------------------------------------

ENGAGEMENT_PUBLISHER_ROLES = (Membership.Role.CASEWORKER, Membership.Role.STEERING_MEMBER)


def engagement_organisations(user: User, network: Network):
    """Organisations ``user`` may publish engagements for in ``network``: every member
    organisation for its managers (coordinator, chair, regional staff); otherwise those the user
    represents as caseworker or steering member, while the organisation is a member."""
    from networks.models import Organisation

    members = Organisation.objects.filter(network_memberships__network=network)
    if getattr(network, "user_can_manage", False):
        return members
    mine = Membership.objects.active().filter(user=user, network=network, role__in=ENGAGEMENT_PUBLISHER_ROLES)
    return members.filter(pk__in=mine.values("organisation_id"))


def get_engagement_for_user(user: User, engagement_id: int, *, write: bool = False):
    """Readable by everyone who sees the network; editable by its managers and by the people who
    represent the engagement's organisation (caseworker or steering member)."""
    from .models import Engagement

    engagement = get_object_or_404(
        Engagement.objects.filter(network__in=Network.objects.visible_to(user)).select_related(
            "organisation", "network"
        ),
        pk=engagement_id,
    )
    if write:
        network = get_network_for_user(user, engagement.network_id)
        if not engagement_organisations(user, network).filter(pk=engagement.organisation_id).exists():
            raise PermissionDenied
        engagement.network = network
    return engagement
