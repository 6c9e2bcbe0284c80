"""The one door to case data (DESIGN.md §5): not visible → 404, visible but not yours to change → 403.

Who sees a case (``Case.objects.visible_to``): its team (by name, or caseworkers of a team
organisation), the chair of a conference on it, and the network's organising cell (coordinators)
once a conference is requested. Who may do what on top of that:

- the team changes the case, records consent, adds team members, refers, requests a conference;
- the organising cell decides admissibility and assigns a chair;
- the chair plans sessions, records attendance, the werkplan and the closing;
- a referral's receiving organisation sees that referral (not the case) and moves its status.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from ijh.models import User
from networks.models import Membership, Network

from .models import (
    CASE_ROLES,
    CarePlanItem,
    Case,
    CaseDocument,
    ClientConference,
    ConferenceSession,
    Referral,
)


def get_case_for_user(user: User, case_id: int, *, write: bool = False) -> Case:
    case = get_object_or_404(
        Case.objects.visible_to(user)
        .with_access_flags(user)
        .select_related("client", "network__region", "lead_organisation"),
        pk=case_id,
    )
    if write and not case.user_on_team:
        raise PermissionDenied
    return case


class ConferenceAction:
    READ = "read"
    TEAM = "team"  # the case team: withdraw the request, follow up their own agreements
    DECIDE = "decide"  # the organising cell: admissibility, chair
    CHAIR = "chair"  # the assigned chair: sessions, attendance, werkplan, closing


def cell_conferences(user: User):
    """Open conferences of the networks the user coordinates: the organising cell's work."""
    return ClientConference.objects.open().filter(
        network_id__in=Membership.objects.active()
        .filter(user=user, role=Membership.Role.COORDINATOR)
        .values("network_id")
    )


def get_conference_for_user(
    user: User, conference_id: int, *, action: str = ConferenceAction.READ
) -> ClientConference:
    conference = get_object_or_404(
        ClientConference.objects.filter(
            Q(case__in=Case.objects.visible_to(user)) | Q(pk__in=cell_conferences(user).values("pk"))
        ).select_related(
            "case__client",
            "case__network",
            "network",
            "chair",
            "case_manager",
            "requesting_organisation",
            "requested_by",
        ),
        pk=conference_id,
    )
    case = (
        Case.objects.with_access_flags(user)
        .filter(pk=conference.case_id)
        .values("user_on_team", "user_chairs", "user_in_cell")
        .get()
    )
    conference.user_on_team = case["user_on_team"]
    conference.user_in_cell = case["user_in_cell"]
    conference.user_is_chair = conference.chair_id == user.pk and case["user_chairs"]
    allowed = {
        ConferenceAction.READ: True,
        ConferenceAction.TEAM: conference.user_on_team,
        ConferenceAction.DECIDE: conference.user_in_cell,
        ConferenceAction.CHAIR: conference.user_is_chair,
    }[action]
    if not allowed:
        raise PermissionDenied
    return conference


def get_session_for_user(
    user: User, session_id: int, *, action: str = ConferenceAction.READ
) -> ConferenceSession:
    session = get_object_or_404(
        ConferenceSession.objects.filter(conference__case__in=Case.objects.visible_to(user)).only(
            "pk", "conference_id"
        ),
        pk=session_id,
    )
    conference = get_conference_for_user(user, session.conference_id, action=action)
    session = ConferenceSession.objects.get(pk=session.pk)
    session.conference = conference
    return session


def get_plan_item_for_user(user: User, item_id: int, *, write: bool = False) -> CarePlanItem:
    item = get_object_or_404(
        CarePlanItem.objects.filter(conference__case__in=Case.objects.visible_to(user)).select_related(
            "domain", "owner", "owner_organisation", "conference__case__client"
        ),
        pk=item_id,
    )
    if write:
        conference = get_conference_for_user(user, item.conference_id)
        # The owner follows up their own agreement; the chair and the team may update any.
        if not (item.owner_id == user.pk or conference.user_is_chair or conference.user_on_team):
            raise PermissionDenied
    return item


def receiving_referrals(user: User):
    """Referrals sent to an organisation the user is a caseworker of, in that network.

    Driven from the user's organisations (indexed by receiver), not correlated with every referral.
    """
    works_for = Membership.objects.active().filter(
        user=user, role=Membership.Role.CASEWORKER, organisation__isnull=False
    )
    return Referral.objects.filter(to_organisation_id__in=works_for.values("organisation_id")).filter(
        Exists(
            works_for.filter(
                network_id=OuterRef("network_id"), organisation_id=OuterRef("to_organisation_id")
            )
        )
    )


def get_referral_for_user(user: User, referral_id: int, *, write: bool = False) -> Referral:
    """The sender's team sees the referral on the case; the receiver sees it (and its data sheet).

    ``write`` means the receiving side moving the status along; the sending team withdraws
    through ``get_case_for_user(write=True)`` instead.
    """
    referral = get_object_or_404(
        Referral.objects.filter(
            Q(case__in=Case.objects.visible_to(user)) | Q(pk__in=receiving_referrals(user).values("pk"))
        )
        .annotate(user_receives=Exists(receiving_referrals(user).filter(pk=OuterRef("pk"))))
        .select_related(
            "case__client", "network", "to_organisation", "from_organisation", "agreement", "consent"
        ),
        pk=referral_id,
    )
    if write and not referral.user_receives:
        raise PermissionDenied
    return referral


def get_document_for_user(user: User, document_id: int) -> CaseDocument:
    """A generated document carries client names, so it goes where names may go (DESIGN.md §5):
    conference documents to the case team and the conference chair; referral letters to the
    sending team and the receiving organisation. The organising cell sees the case by its
    pseudonym only and gets a 404 here, like everyone else."""
    document = get_object_or_404(CaseDocument.objects.select_related("case__client"), pk=document_id)
    flags = (
        Case.objects.with_access_flags(user)
        .filter(pk=document.case_id)
        .values("user_on_team", "user_chairs")
        .first()
    ) or {"user_on_team": False, "user_chairs": False}
    if document.kind == CaseDocument.Kind.REFERRAL_LETTER:
        if flags["user_on_team"]:
            return document
        referral_id = int(document.source.split(":")[1])
        if receiving_referrals(user).filter(pk=referral_id).exists():
            return document
    elif flags["user_on_team"] or flags["user_chairs"]:
        return document
    raise Http404


def case_networks_for(user: User):
    """Networks where the user may open a case: they work there as caseworker or planmaker
    for an organisation."""
    return Network.objects.filter(
        Exists(
            Membership.objects.active().filter(
                user=user,
                network_id=OuterRef("pk"),
                role__in=(Membership.Role.CASEWORKER, Membership.Role.PLANMAKER),
                organisation__isnull=False,
            )
        )
    )


def holds_case_role(user: User) -> bool:
    return Membership.objects.active().filter(user=user, role__in=CASE_ROLES).exists()
