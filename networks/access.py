"""The one door to network data: not visible → 404, visible but not editable → 403.

Everything here is steering data (no client data): visible to everyone with an active role in
the network and to staff of its region; managed by its coordinators and chairs and by regional
staff (the secretariat).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh.models import User

from .models import (
    ActionItem,
    Agreement,
    Attendance,
    Goal,
    Invitation,
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


def get_invitation_for_user(user: User, invitation_id: int) -> Invitation:
    """Invitations are the managers' business (names and addresses of people without an
    account): 404 outside the network, 403 for its members who do not manage it."""
    return _get_network_owned(
        Invitation.objects.select_related("user", "membership__organisation", "invited_by"),
        user,
        invitation_id,
        write=True,
    )


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


# --- who may give which role (DESIGN.md §5, "nobody opens client data to themselves") ---------------
#
# - Steering roles (member, chair) and the detention network's policy officer and offer
#   coordinator: the network's managers (coordinators, chairs) and the staff of its region.
# - The coordinator role: the staff of the region (the secretariat appoints coordinators).
# - Client-data roles (caseworker, planmaker, meldpunt, chair pool, trajectbegeleider): only the
#   network's coordinators and chairs, to a person of a member organisation, in effect once a
#   contact person of that organisation (a second person: not the granter, not the grantee)
#   confirmed it; never to an account that also sees all of a region or of Flanders (regional
#   staff, functional admins, the Flemish administration, Django staff or superusers).
# - Nobody gives, changes or extends a role of their own.

NETWORK_WIDE_ROLES = (Membership.Role.POLICY_OFFICER, Membership.Role.OFFER_COORDINATOR)


def _is_region_keeper(user: User, network: Network) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, region_id=network.region_id, role__in=Membership.REGION_ROLES)
        .exists()
    )


def _manages_network(user: User, network: Network) -> bool:
    return (
        Membership.objects.active()
        .filter(user=user, network=network, role__in=Membership.MANAGING_NETWORK_ROLES)
        .exists()
    )


def grantable_roles(user: User, network: Network) -> tuple[str, ...]:
    """Network roles ``user`` may give in ``network`` (they already may manage it)."""
    roles: list[str] = []
    if _manages_network(user, network):
        roles += [*Membership.STEERING_ROLES, *NETWORK_WIDE_ROLES, *Membership.CLIENT_DATA_ROLES]
    if _is_region_keeper(user, network):
        roles += [*Membership.STEERING_ROLES, *NETWORK_WIDE_ROLES, Membership.Role.COORDINATOR]
    return tuple(role for role in Membership.Role.values if role in roles)


def holds_oversight(user: User) -> bool:
    """Sees counts across networks (regional staff, admins, the Flemish administration) or is
    Django staff: such an account never also opens client files (DESIGN.md §2)."""
    if user.is_staff or user.is_superuser:
        return True
    today = timezone.localdate()
    return (
        Membership.objects.filter(user=user, role__in=Membership.OVERSIGHT_ROLES)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .exists()
    )


def holds_client_data_role(user: User) -> bool:
    today = timezone.localdate()
    return (
        Membership.objects.filter(user=user, role__in=Membership.CLIENT_DATA_ROLES)
        .exclude(confirmation=Membership.Confirmation.REFUSED)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .exists()
    )


SEPARATE_ACCOUNT = _(
    "%(person)s heeft een rol bij het regioteam, het functioneel beheer of de Vlaamse administratie en "
    "ziet daardoor cijfers over meerdere netwerken. Wie ook dossiers opvolgt, doet dat met een aparte "
    "persoonlijke account."
)


def check_grant(*, granter: User | None, membership: Membership) -> None:
    """Refuse, with Dutch messages, a role that the rules above do not allow. ``granter`` None is
    a grant outside the product's pages (a data migration, the demo): only the account rules hold."""
    errors: dict[str, list[str]] = {}
    grantee = membership.user if membership.user_id else None
    role = membership.role
    if granter is not None and grantee is not None and grantee.pk == granter.pk:
        errors.setdefault("user", []).append(_("Je kan jezelf geen rol geven en je eigen rol niet wijzigen."))
    if (
        granter is not None
        and membership.network_id
        and role
        and role not in grantable_roles(granter, membership.network)
    ):
        if role in Membership.CLIENT_DATA_ROLES:
            message = _(
                "Een rol met toegang tot cliëntdossiers wordt alleen toegekend door een coördinator of "
                "voorzitter van het netwerk."
            )
        else:
            message = _("Deze rol kan je in dit netwerk niet toekennen.")
        errors.setdefault("role", []).append(message)
    if role in Membership.CLIENT_DATA_ROLES:
        if not membership.organisation_id:
            errors.setdefault("organisation", []).append(
                _(
                    "Een rol met toegang tot cliëntdossiers hoort bij de organisatie waarvoor de persoon werkt: "
                    "kies de organisatie."
                )
            )
        if grantee is not None and holds_oversight(grantee):
            errors.setdefault("user", []).append(SEPARATE_ACCOUNT % {"person": grantee})
    if role in Membership.OVERSIGHT_ROLES and grantee is not None and holds_client_data_role(grantee):
        errors.setdefault("user", []).append(
            _(
                "%(person)s volgt dossiers op. Een rol bij het regioteam, het functioneel beheer of de Vlaamse "
                "administratie vraagt een aparte persoonlijke account."
            )
            % {"person": grantee}
        )
    if errors:
        raise ValidationError(errors)


def check_role_edit(*, editor: User, membership: Membership) -> None:
    """Nobody changes or extends a role of their own."""
    if membership.user_id == editor.pk:
        raise PermissionDenied(
            _("Je kan je eigen rol niet wijzigen of verlengen: vraag het aan een andere coördinator.")
        )


def needs_confirmation(membership: Membership) -> bool:
    return membership.role in Membership.CLIENT_DATA_ROLES


def confirmable_grants(user: User):
    """Grants waiting for the confirmation of ``user`` as contact person of the organisation:
    not their own, not given by them."""
    return (
        Membership.objects.awaiting_confirmation()
        .filter(organisation__contact_people=user)
        .exclude(user=user)
        .exclude(granted_by=user)
    )


def get_grant_for_confirmation(user: User, membership_id: int) -> Membership:
    """A grant this contact person may confirm, or has decided: 404 for everyone else."""
    return get_object_or_404(
        Membership.objects.filter(organisation__contact_people=user, role__in=Membership.CLIENT_DATA_ROLES)
        .exclude(user=user)
        .exclude(granted_by=user)
        .select_related("user", "network", "organisation", "granted_by", "confirmed_by"),
        pk=membership_id,
    )


# --- the learning network of a planmaker network (issue 19 §6; no client data) ---------------------


def learning_flags(user: User, *, network_path: str = "network_id", region_path: str = "network__region_id"):
    """Two boolean expressions for rows of a planmaker network: ``user_edits_learning`` (its
    planmakers and coordinators, and the staff of its region: themes, findings, expertise,
    discussions, the forum) and ``user_signals`` (its coordinators and the staff of its region:
    signal notes to the administration)."""
    from django.db.models import BooleanField, ExpressionWrapper

    mine = Membership.objects.active().filter(user=user)
    staff = Exists(mine.filter(region=OuterRef(region_path), role=Membership.Role.STAFF))
    team = Exists(
        mine.filter(
            network=OuterRef(network_path),
            role__in=(Membership.Role.PLANMAKER, Membership.Role.COORDINATOR),
        )
    )
    coordinator = Exists(mine.filter(network=OuterRef(network_path), role=Membership.Role.COORDINATOR))
    return {
        "user_edits_learning": ExpressionWrapper(Q(team) | Q(staff), output_field=BooleanField()),
        "user_signals": ExpressionWrapper(Q(coordinator) | Q(staff), output_field=BooleanField()),
    }


def learning_networks(user: User) -> QuerySet[Network]:
    """Planmaker networks whose learning network ``user`` reads: anyone with a role in effect there
    (steering members included: themes and signal notes hold no client data) and the staff of
    its region."""
    return Network.objects.visible_to(user).filter(kind=Network.Kind.PLANMAKER)


def get_learning_network_for_user(user: User, network_id: int, *, write: bool = False) -> Network:
    network = get_object_or_404(
        learning_networks(user)
        .annotate(**learning_flags(user, network_path="pk", region_path="region_id"))
        .select_related("region"),
        pk=network_id,
    )
    if write and not network.user_edits_learning:
        raise PermissionDenied
    return network


def _get_learning_owned(queryset: QuerySet, user: User, pk: int, *, write: bool, signal: bool = False):
    obj = get_object_or_404(
        queryset.filter(network__in=learning_networks(user))
        .annotate(**learning_flags(user))
        .select_related("network__region"),
        pk=pk,
    )
    if (write and not obj.user_edits_learning) or (signal and not obj.user_signals):
        raise PermissionDenied
    return obj


def get_theme_for_user(user: User, theme_id: int, *, write: bool = False, signal: bool = False):
    """404 outside the planmaker network; ``write`` is the team's and regional staff's, ``signal``
    (a signal note from the theme) the coordinator's and regional staff's."""
    from .models import LearningTheme

    return _get_learning_owned(LearningTheme.objects.all(), user, theme_id, write=write, signal=signal)


def get_signal_note_for_user(user: User, note_id: int, *, write: bool = False):
    from .models import SignalNote

    return _get_learning_owned(
        SignalNote.objects.select_related("theme", "presented_at"), user, note_id, write=write
    )
