"""The one door to client data (DESIGN.md §5), and the one place that says who reaches it and
until when. Views fetch every object through a ``get_<obj>_for_user`` helper here: not visible →
404, visible but not theirs to change → 403.

Access lasts while its reason lasts. Every path below has a reason with an end date; the path
gives access through that day (plus a grace period where the table says so) and answers 404 the
day after. The rule is written once, in ``reason_holds``; each path filters its reason rows with
it and with ``roles_in_effect`` (a role in its period and, for client-data roles, confirmed by
the organisation it represents).

===================  ============================================  ==========================================  =========================================
path                 who                                           reaches                                     ends
===================  ============================================  ==========================================  =========================================
role                 everyone below                                precondition: a client-data role in the     ``Membership.until``; an unconfirmed or
                                                                   network, in effect                          refused grant never starts
team by name         the person named on a team row                the case and everything on it               ``CaseTeamMember.until``
team by              caseworkers/planmakers of a team row's        the case and everything on it               ``CaseTeamMember.until``
organisation         organisation, in that network
conference chair     the chair of a conference, while in the       that conference only: the client's          ``ClientConference.closed_on`` (closed or
                     network's pool                                identity, request, sessions, invitations,   withdrawn) + ``CONFERENCE_CHAIR_GRACE_DAYS``
                                                                   attendance, werkplan, its consent, its
                                                                   documents — not the case
organising cell      the network's coordinators                    a conference request to decide on           its decision: not admissible, or a chair
                                                                   (pseudonym; the request text until the     assigned (back when that chair leaves the
                                                                   decision)                                   pool)
guidance team        the trajectbegeleider named on the team row   the guidance (onthaal, plan, referrals,     the team row's ``until``: the day the
(detainees)          (the case team of a prison case)              release date, transfers) and its history    guidance ends or the detainee is
                                                                   before a transfer                           transferred (write access ends at once)
sending team         the people named on the team at the hand-    the handed-over guidance, read only, and    their role in that prison
                     over, still trajectbegeleider there          only what they wrote up to the hand-over    (``Membership.until``), or the detainee's
                                                                                                               consent withdrawn (on any of his files)
prison staff named   steering members/chairs of the prison (PSD,   the running guidance, read only, without    the consent (withdrawn, expired), the
by consent           management) for an organisation that an      the history of earlier prisons              role, or the guidance's end
                     in-force prison-staff consent names
receiving team       trajectbegeleiders of the receiving prison    a transfer proposal: pseudonym, prisons,    its decision; then the new guidance
                                                                   date, reason                                through its team row
assigned planmaker   a planmaker of the trajectory's network,       the case and everything on it (the          ``CaseTeamMember.until``: set to the
                     named on a planmaker team row                  colleagues of their organisation do not)    unassignment, or closing + PLANMAKER_GRACE_DAYS
planmaker            the coordinators of a planmaker network        its trajectories: pseudonym, phase and      ``Membership.until`` of the coordinator
coordinator                                                        planmakers; the aanmelding text until       role
                                                                   the decision
referral receiver    caseworkers of the receiving organisation,    that referral, its data sheet (consented    ``Referral.declined_on`` /
                     in that network                               fields only), its letter                    ``Referral.withdrawn_on``
crisis meldpunt      the network's meldpunt operators              its crisis calls and their episodes         ``CrisisCall.closed_on`` (handled, or its
                                                                   (pseudonym, question, steps)                episode closed) + ``CRISIS_GRACE_DAYS``
crisis provider      caseworkers of a step's provider              that episode (pseudonym, question, steps)   ``CrisisStep.ended_on`` +
                     organisation, in that network                                                             ``CRISIS_GRACE_DAYS``
===================  ============================================  ==========================================  =========================================

Who may do what on top of reading: the team changes the case, records consent, adds team
members, refers and requests a conference; the organising cell decides admissibility and assigns
a chair; the chair plans sessions, records attendance, the werkplan and the closing (also in the
grace period, to finish the report); a referral's receiving organisation moves its status.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ijh.models import User
from networks.models import Bottleneck, Membership, Network

from .documents import parse_source
from .models import (
    CASE_ROLES,
    CarePlanItem,
    Case,
    CaseDocument,
    CaseTeamMember,
    ClientConference,
    ConferenceSession,
    Consent,
    CrisisCall,
    CrisisConflict,
    CrisisEpisode,
    CrisisStep,
    Guidance,
    PlanGoal,
    Referral,
    SharedPlanItem,
    SupportPerson,
    Trajectory,
    TrajectoryMeeting,
    Transfer,
)

# --- the rule --------------------------------------------------------------------------------------


def reason_holds(end_field: str, *, on: datetime.date | None = None, grace_days: int = 0) -> Q:
    """Rows whose reason for access still holds on ``on`` (today by default): no end date yet, or
    an end date on or after ``on`` minus ``grace_days``. THE rule of DESIGN.md §5, "access ends
    when its reason ends": access lasts through the end day (plus grace) and not a day longer."""
    day = on or timezone.localdate()
    return Q(**{f"{end_field}__isnull": True}) | Q(
        **{f"{end_field}__gte": day - datetime.timedelta(days=grace_days)}
    )


def roles_in_effect(user: User, *, on: datetime.date | None = None):
    """The user's roles on ``on``: in their period and, for client-data roles, confirmed."""
    return Membership.objects.active(on).filter(user=user)


def _reason_rows(queryset, end_field: str, *, on: datetime.date | None, since_field: str = "since"):
    """Rows that started on or before ``on`` and whose reason holds on ``on``."""
    day = on or timezone.localdate()
    return queryset.filter(reason_holds(end_field, on=day), **{f"{since_field}__lte": day})


# --- the case team --------------------------------------------------------------------------------


def _team_rows(user: User, *, on: datetime.date | None = None):
    """Two querysets of team rows that give ``user`` the case: named on the row (while they hold
    a case role in that network), or through an organisation they work for there."""
    mine = roles_in_effect(user, on=on)
    rows = _reason_rows(CaseTeamMember.objects.all(), "until", on=on)
    by_name = rows.filter(user=user).filter(
        Q(case__network_id__in=mine.filter(role__in=CASE_ROLES).values("network_id"))
        # An assigned planmaker: a planmaker of the network the case was referred to (often not
        # the case's own network), named on a planmaker row.
        | Q(
            role=CaseTeamMember.Role.PLANMAKER,
            case_id__in=Trajectory.objects.filter(
                network_id__in=mine.filter(role=Membership.Role.PLANMAKER).values("network_id")
            ).values("case_id"),
        )
    )
    works_for = mine.filter(
        role__in=(Membership.Role.CASEWORKER, Membership.Role.PLANMAKER), organisation__isnull=False
    )
    # A planmaker row names one planmaker: their colleagues do not inherit the case through it.
    by_organisation = rows.exclude(role=CaseTeamMember.Role.PLANMAKER)
    by_organisation = by_organisation.filter(organisation_id__in=works_for.values("organisation_id")).filter(
        # the organisation counts only in the network where the user works for it
        Exists(
            works_for.filter(
                network_id=OuterRef("case__network_id"), organisation_id=OuterRef("organisation_id")
            )
        )
    )
    return by_name, by_organisation


def visible_cases(user: User, *, on: datetime.date | None = None) -> QuerySet[Case]:
    """The cases ``user`` reaches: their case teams (DESIGN.md §5). Nobody else — not the chair
    (the conference only), not the organising cell (the request only), not steering members,
    regional staff, admins or superusers (counts only).

    One query. Each branch starts from the user's own rows and the branches are a UNION of ids,
    so PostgreSQL looks cases up by primary key instead of correlating a subquery with every
    case: at 200,000 cases, 7 ms instead of 1 s.
    """
    if not user.is_authenticated:
        return Case.objects.none()
    by_name, by_organisation = _team_rows(user, on=on)
    # order_by(): the models' default orderings are not allowed inside a compound (SQLite).
    ids = by_name.order_by().values("case_id").union(by_organisation.order_by().values("case_id"))
    return Case.objects.filter(pk__in=ids)


def team_flag(user: User, *, case_ref: str = "pk", on: datetime.date | None = None):
    """EXISTS: ``user`` is on the team of the case at ``case_ref`` (for annotations on any rows
    that point at a case). The same rule as ``visible_cases``, correlated."""
    mine = roles_in_effect(user, on=on)
    rows = _reason_rows(CaseTeamMember.objects.filter(case_id=OuterRef(case_ref)), "until", on=on)
    by_name = rows.filter(user=user).filter(
        Exists(mine.filter(role__in=CASE_ROLES, network_id=OuterRef("case__network_id")))
        | (
            Q(role=CaseTeamMember.Role.PLANMAKER)
            & Exists(
                Trajectory.objects.filter(
                    case_id=OuterRef("case_id"),
                    network_id__in=mine.filter(role=Membership.Role.PLANMAKER).values("network_id"),
                )
            )
        )
    )
    by_organisation = rows.exclude(role=CaseTeamMember.Role.PLANMAKER).filter(
        Exists(
            mine.filter(
                role__in=(Membership.Role.CASEWORKER, Membership.Role.PLANMAKER),
                network_id=OuterRef("case__network_id"),
                organisation_id=OuterRef("organisation_id"),
            )
        )
    )
    return Exists(by_name) | Exists(by_organisation)


def get_case_for_user(user: User, case_id: int, *, write: bool = False) -> Case:
    """The case, for its team. Everyone who reaches a case is on its team. A detainee's file
    handed over to another prison is the exception: its sending team reads what it wrote through
    the guidance page only (``handed_over_guidances``: up to the hand-over, nothing after) and
    writes nothing, so the case pages answer 403 (issue 20 §5)."""
    case = get_object_or_404(
        visible_cases(user)
        .annotate(
            handed_over=Exists(
                Guidance.objects.filter(case_id=OuterRef("pk"), status=Guidance.Status.TRANSFERRED)
            )
        )
        .select_related("client", "network__region", "lead_organisation"),
        pk=case_id,
    )
    case.user_on_team = True
    if case.handed_over:
        raise PermissionDenied
    return case


def case_networks_for(user: User):
    """Networks where the user may open a case: they work there as caseworker or planmaker
    for an organisation."""
    return Network.objects.filter(
        Exists(
            roles_in_effect(user).filter(
                network_id=OuterRef("pk"),
                role__in=(Membership.Role.CASEWORKER, Membership.Role.PLANMAKER),
                organisation__isnull=False,
            )
        )
    )


def holds_case_role(user: User) -> bool:
    return roles_in_effect(user).filter(role__in=CASE_ROLES).exists()


# --- conferences ----------------------------------------------------------------------------------


def chaired_conferences(user: User, *, on: datetime.date | None = None) -> QuerySet[ClientConference]:
    """Conferences ``user`` chairs, while in the network's pool, until closed plus the grace
    period for the report."""
    pool = roles_in_effect(user, on=on).filter(
        role=Membership.Role.CHAIRPERSON_EXTERNAL, network_id=OuterRef("network_id")
    )
    return ClientConference.objects.filter(
        reason_holds("closed_on", on=on, grace_days=settings.CONFERENCE_CHAIR_GRACE_DAYS),
        Exists(pool),
        chair=user,
    )


def cell_conferences(user: User, *, on: datetime.date | None = None) -> QuerySet[ClientConference]:
    """The organising cell's work: requests to decide and admissible conferences without a chair
    (never assigned, or the chair left the pool) in the networks the user coordinates."""
    coordinated = roles_in_effect(user, on=on).filter(role=Membership.Role.COORDINATOR)
    chair_in_pool = Membership.objects.active(on).filter(
        role=Membership.Role.CHAIRPERSON_EXTERNAL,
        network_id=OuterRef("network_id"),
        user_id=OuterRef("chair_id"),
    )
    Status = ClientConference.Status
    return ClientConference.objects.filter(network_id__in=coordinated.values("network_id")).filter(
        Q(status=Status.REQUESTED)
        | Q(status__in=(Status.ADMISSIBLE, Status.RUNNING), chair__isnull=True)
        | (Q(status__in=(Status.ADMISSIBLE, Status.RUNNING)) & ~Exists(chair_in_pool))
    )


def visible_conferences(user: User, *, on: datetime.date | None = None) -> QuerySet[ClientConference]:
    """Conferences on the user's cases, the ones they chair, and the cell's requests."""
    if not user.is_authenticated:
        return ClientConference.objects.none()
    return ClientConference.objects.filter(
        Q(case__in=visible_cases(user, on=on))
        | Q(pk__in=chaired_conferences(user, on=on).values("pk"))
        | Q(pk__in=cell_conferences(user, on=on).values("pk"))
    )


def conferences_with_names(user: User) -> QuerySet[ClientConference]:
    """Conferences whose sessions, invitations and werkplan the user reads: the case team's and
    the chair's (the organising cell judges the request; it never reads these)."""
    return ClientConference.objects.filter(
        Q(case__in=visible_cases(user)) | Q(pk__in=chaired_conferences(user).values("pk"))
    )


def conference_flags(user: User, *, conference_ref: str = "pk", case_ref: str = "case_id") -> dict:
    """Annotations for rows that point at a conference: user_on_team, user_is_chair, user_in_cell."""
    return {
        "user_on_team": team_flag(user, case_ref=case_ref),
        "user_is_chair": Exists(chaired_conferences(user).filter(pk=OuterRef(conference_ref))),
        "user_in_cell": Exists(cell_conferences(user).filter(pk=OuterRef(conference_ref))),
    }


class ConferenceAction:
    READ = "read"
    TEAM = "team"  # the case team: withdraw the request, follow up their own agreements
    DECIDE = "decide"  # the organising cell: admissibility, chair
    CHAIR = "chair"  # the assigned chair: sessions, attendance, werkplan, closing


def get_conference_for_user(
    user: User, conference_id: int, *, action: str = ConferenceAction.READ
) -> ClientConference:
    conference = get_object_or_404(
        visible_conferences(user)
        .annotate(**conference_flags(user))
        .select_related(
            "case__client",
            "case__network",
            "network",
            "chair",
            "case_manager",
            "requesting_organisation",
            "requested_by",
            "consent",
        ),
        pk=conference_id,
    )
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
    conference_id = get_object_or_404(
        ConferenceSession.objects.filter(conference__in=conferences_with_names(user)).values_list(
            "conference_id", flat=True
        ),
        pk=session_id,
    )
    conference = get_conference_for_user(user, conference_id, action=action)
    session = ConferenceSession.objects.get(pk=session_id)
    session.conference = conference
    return session


def get_plan_item_for_user(user: User, item_id: int, *, write: bool = False) -> CarePlanItem:
    item = get_object_or_404(
        CarePlanItem.objects.filter(conference__in=conferences_with_names(user)).select_related(
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


# --- referrals ------------------------------------------------------------------------------------


def receiving_referrals(user: User, *, on: datetime.date | None = None) -> QuerySet[Referral]:
    """Referrals sent to an organisation the user is a caseworker of, in that network, until the
    referral is declined or withdrawn.

    Driven from the user's organisations (indexed by receiver), not correlated with every referral.
    """
    works_for = roles_in_effect(user, on=on).filter(
        role=Membership.Role.CASEWORKER, organisation__isnull=False
    )
    return (
        Referral.objects.filter(to_organisation_id__in=works_for.values("organisation_id"))
        .filter(
            Exists(
                works_for.filter(
                    network_id=OuterRef("network_id"), organisation_id=OuterRef("to_organisation_id")
                )
            )
        )
        .filter(reason_holds("declined_on", on=on), reason_holds("withdrawn_on", on=on))
    )


def get_referral_for_user(user: User, referral_id: int, *, write: bool = False) -> Referral:
    """The sender's team sees the referral on the case; the receiver sees it (and its data sheet).

    ``write`` means the receiving side moving the status along; the sending team withdraws
    through ``get_case_for_user(write=True)`` instead.
    """
    referral = get_object_or_404(
        Referral.objects.filter(
            Q(case__in=visible_cases(user)) | Q(pk__in=receiving_referrals(user).values("pk"))
        )
        .annotate(
            user_on_team=team_flag(user, case_ref="case_id"),
            user_receives=Exists(receiving_referrals(user).filter(pk=OuterRef("pk"))),
        )
        .select_related(
            "case__client", "network", "to_organisation", "from_organisation", "agreement", "consent"
        ),
        pk=referral_id,
    )
    if write and not referral.user_receives:
        raise PermissionDenied
    return referral


# --- generated documents --------------------------------------------------------------------------


def document_flags(user: User, document: CaseDocument) -> dict:
    """What ``user`` is to a document's source: on the case team, chair of its conference (within
    the chair's time), receiver of its referral. One query."""
    source_type, source_id = parse_source(document.source)
    flags = {"user_on_team": team_flag(user, case_ref="pk")}
    if source_type in ("conference", "session"):
        conferences = chaired_conferences(user)
        if source_type == "session":
            conferences = conferences.filter(sessions__pk=source_id)
        else:
            conferences = conferences.filter(pk=source_id)
        flags["user_is_chair"] = Exists(conferences.filter(case_id=OuterRef("pk")))
    else:
        flags["user_receives"] = Exists(
            receiving_referrals(user).filter(pk=source_id, case_id=OuterRef("pk"))
        )
    row = Case.objects.filter(pk=document.case_id).annotate(**flags).values(*flags).first() or {}
    return {key: bool(value) for key, value in row.items()}


def get_document_for_user(user: User, document_id: int) -> CaseDocument:
    """A generated document carries client names, so it goes where names may go (DESIGN.md §5):
    conference documents to the case team and that conference's chair; referral letters to the
    sending team and the receiving organisation. The organising cell sees the case by its
    pseudonym only and gets a 404 here, like everyone else."""
    document = get_object_or_404(CaseDocument.objects.select_related("case__client"), pk=document_id)
    flags = document_flags(user, document)
    if any(flags.values()):
        return document
    raise Http404


# --- trajectory guidance of detainees (issue 20) ----------------------------------------------------
#
# The guidance team is the case team of the detainee's case in the prison's network. The prison's
# psychosocial service and management are not on it and reach nothing here: professional secrecy
# against the prison's reporting duty (research 001:4535-4537). They see counts in the reports.


def _consent_holds_after_handover(on: datetime.date):
    """The detainee's consent still holds for the guidance handed over at OuterRef: some consent
    for the guidance team is in force on one of the detainee's files (it moves with the file at a
    transfer) and none was withdrawn since the hand-over. A withdrawal on the receiving side ends
    the sender's reading at once."""
    client_consents = Consent.objects.filter(
        case__client_id=OuterRef("case__client_id"), covers_case_team=True
    )
    return Exists(client_consents.in_force(on)) & ~Exists(
        client_consents.filter(withdrawn_on__lte=on, withdrawn_on__gte=OuterRef("ended_on"))
    )


def handed_over_guidances(user: User, *, on: datetime.date | None = None) -> QuerySet[Guidance]:
    """Guidances handed over at a transfer, for the sending team: the people named on its team on
    the day of the hand-over, while they are still trajectbegeleider (or caseworker) in that
    prison and the detainee's consent holds. Read only, and only what the sending team wrote up
    to the hand-over (``sender_records``)."""
    day = on or timezone.localdate()
    still_there = roles_in_effect(user, on=day).filter(
        role__in=(Membership.Role.TRAJECTORY_GUIDE, Membership.Role.CASEWORKER),
        network_id=OuterRef("network_id"),
    )
    on_sending_team = CaseTeamMember.objects.filter(
        Q(until__isnull=True) | Q(until__gte=OuterRef("ended_on")),
        case_id=OuterRef("case_id"),
        user=user,
        since__lte=OuterRef("ended_on"),
    )
    return Guidance.objects.filter(
        Exists(on_sending_team),
        Exists(still_there),
        _consent_holds_after_handover(day),
        status=Guidance.Status.TRANSFERRED,
    )


def sending_team_ids(guidance: Guidance) -> list[int]:
    """The people named on the team of a handed-over guidance's case: whose records its sender
    still reads."""
    return list(
        CaseTeamMember.objects.filter(case_id=guidance.case_id, user__isnull=False)
        .filter(since__lte=guidance.ended_on)
        .values_list("user_id", flat=True)
    )


def sender_records(
    records: list, *, authors: set[int], until, author: str = "created_by_id", at: str = "created_at"
):
    """Of ``records``, what the sending team wrote up to the hand-over: the sender's view of a
    handed-over guidance. System lines (no author, e.g. the release warning) up to it count too."""
    return [
        record
        for record in records
        if getattr(record, at) <= until
        and (getattr(record, author) is None or getattr(record, author) in authors)
    ]


# Prison staff (the psychosocial service, prison management) hold these roles in the prison's
# network, for the service they represent; the consent names that service.
PRISON_STAFF_ROLES = (Membership.Role.STEERING_MEMBER, Membership.Role.CHAIR)


def consented_prison_staff_guidances(user: User, *, on: datetime.date | None = None) -> QuerySet[Guidance]:
    """Running guidances whose detainee's consent (for prison staff, in force) names an
    organisation ``user`` represents in that prison as a steering member or chair: the
    psychosocial service or management the detainee chose to let in. Read only; it ends with
    the consent (withdrawn, expired), the role, or the guidance."""
    day = on or timezone.localdate()
    staff = roles_in_effect(user, on=day).filter(
        role__in=PRISON_STAFF_ROLES, organisation__isnull=False, network__kind=Network.Kind.DETENTION
    )
    named = Consent.objects.in_force(day).filter(
        case_id=OuterRef("case_id"),
        covers_prison_staff=True,
        organisations__in=staff.filter(network_id=OuterRef(OuterRef("network_id"))).values("organisation_id"),
    )
    return Guidance.objects.filter(
        Exists(named),
        status=Guidance.Status.ACTIVE,
        network_id__in=staff.values("network_id"),
    )


def team_guidances(user: User, *, on: datetime.date | None = None) -> QuerySet[Guidance]:
    """The guidances of the user's case teams (the caseload; not what others let them read)."""
    if not user.is_authenticated:
        return Guidance.objects.none()
    return Guidance.objects.filter(case__in=visible_cases(user, on=on))


def visible_guidances(user: User, *, on: datetime.date | None = None) -> QuerySet[Guidance]:
    if not user.is_authenticated:
        return Guidance.objects.none()
    return Guidance.objects.filter(
        Q(case__in=visible_cases(user, on=on))
        | Q(pk__in=handed_over_guidances(user, on=on).values("pk"))
        | Q(pk__in=consented_prison_staff_guidances(user, on=on).values("pk"))
    )


def get_guidance_for_user(user: User, guidance_id: int, *, write: bool = False) -> Guidance:
    """The guidance for its team (404 for everyone else). Writing needs the team and a guidance
    still running: a transferred or ended guidance is read only. A handed-over guidance shows
    its sending team only what it wrote up to the hand-over, whoever looks (``sender_view``)."""
    guidance = get_object_or_404(
        visible_guidances(user)
        .annotate(user_on_team=team_flag(user, case_ref="case_id"))
        .select_related("case__client", "case__network", "network", "guide", "transferred_from__network"),
        pk=guidance_id,
    )
    guidance.user_can_write = bool(guidance.user_on_team) and guidance.status == Guidance.Status.ACTIVE
    guidance.sender_view = guidance.status == Guidance.Status.TRANSFERRED
    # Not on the team and not its sender: prison staff the detainee's consent names (read only,
    # this prison's guidance without the history of earlier prisons).
    guidance.staff_view = not guidance.user_on_team and not guidance.sender_view
    if write and not guidance.user_can_write:
        raise PermissionDenied
    return guidance


def get_plan_goal_for_user(user: User, goal_id: int, *, write: bool = False) -> PlanGoal:
    """A goal of a plan, through its guidance's door (404 / 403 as the guidance)."""
    guidance_id = PlanGoal.objects.filter(pk=goal_id).values_list("guidance_id", flat=True).first()
    if guidance_id is None:
        raise Http404
    guidance = get_guidance_for_user(user, guidance_id, write=write)
    goal = get_object_or_404(PlanGoal.objects.select_related("domain"), pk=goal_id)
    goal.guidance = guidance
    return goal


def guide_networks(user: User, *, on: datetime.date | None = None):
    """Prison networks where ``user`` is trajectbegeleider, for an organisation, in effect."""
    return roles_in_effect(user, on=on).filter(
        role=Membership.Role.TRAJECTORY_GUIDE,
        organisation__isnull=False,
        network__kind=Network.Kind.DETENTION,
    )


def incoming_transfers(user: User, *, on: datetime.date | None = None) -> QuerySet[Transfer]:
    """Transfers to a prison where ``user`` is trajectbegeleider (pseudonym only until accepted)."""
    return Transfer.objects.filter(to_network_id__in=guide_networks(user, on=on).values("network_id"))


def get_transfer_for_user(user: User, transfer_id: int) -> Transfer:
    """A transfer for the receiving prison's trajectbegeleiders to decide on; 404 for others."""
    return get_object_or_404(
        incoming_transfers(user).select_related(
            "guidance__case__client", "guidance__network", "to_network", "proposed_by", "decided_by"
        ),
        pk=transfer_id,
    )


# --- crisis calls and episodes (issue 18) ---------------------------------------------------------


def meldpunt_network_ids(user: User, *, on: datetime.date | None = None):
    """Networks where ``user`` answers the meldpunt (a subquery of ids)."""
    return roles_in_effect(user, on=on).filter(role=Membership.Role.MELDPUNT).values("network_id")


def visible_crisis_calls(user: User, *, on: datetime.date | None = None) -> QuerySet[CrisisCall]:
    """The meldpunt's calls, until handled (or their episode closed) plus the grace period."""
    if not user.is_authenticated:
        return CrisisCall.objects.none()
    return CrisisCall.objects.filter(
        reason_holds("closed_on", on=on, grace_days=settings.CRISIS_GRACE_DAYS),
        network_id__in=meldpunt_network_ids(user, on=on),
    )


def provider_crisis_steps(user: User, *, on: datetime.date | None = None) -> QuerySet[CrisisStep]:
    """Steps of an organisation the user is a caseworker of, in that network, until the step
    ended plus the grace period. Driven from the user's organisations (indexed by provider)."""
    works_for = roles_in_effect(user, on=on).filter(
        role=Membership.Role.CASEWORKER, organisation__isnull=False
    )
    return (
        CrisisStep.objects.filter(provider__organisation_id__in=works_for.values("organisation_id"))
        .filter(
            Exists(
                works_for.filter(
                    network_id=OuterRef("episode__network_id"),
                    organisation_id=OuterRef("provider__organisation_id"),
                )
            )
        )
        .filter(reason_holds("ended_on", on=on, grace_days=settings.CRISIS_GRACE_DAYS))
    )


def visible_crisis_episodes(user: User, *, on: datetime.date | None = None) -> QuerySet[CrisisEpisode]:
    if not user.is_authenticated:
        return CrisisEpisode.objects.none()
    return CrisisEpisode.objects.filter(
        Q(call__in=visible_crisis_calls(user, on=on).values("pk"))
        | Q(pk__in=provider_crisis_steps(user, on=on).values("episode_id"))
    )


def crisis_flags(user: User, *, episode_ref: str = "pk", call_ref: str = "call_id") -> dict:
    """Annotations for rows that point at an episode: user_is_meldpunt, user_is_provider."""
    return {
        "user_is_meldpunt": Exists(visible_crisis_calls(user).filter(pk=OuterRef(call_ref))),
        "user_is_provider": Exists(provider_crisis_steps(user).filter(episode_id=OuterRef(episode_ref))),
    }


def get_crisis_call_for_user(user: User, call_id: int) -> CrisisCall:
    return get_object_or_404(
        visible_crisis_calls(user).select_related("network", "programme", "registered_by"), pk=call_id
    )


def get_crisis_episode_for_user(user: User, episode_id: int, *, write: bool = False) -> CrisisEpisode:
    """Read: the meldpunt and the providers of its steps. Write (hand over, close): the meldpunt
    and the providers of its running steps; each step's end is its own provider's."""
    episode = get_object_or_404(
        visible_crisis_episodes(user)
        .annotate(**crisis_flags(user))
        .select_related("call__programme", "network", "client", "case__client"),
        pk=episode_id,
    )
    if write and not (episode.user_is_meldpunt or episode.user_is_provider):
        raise PermissionDenied
    if write and episode.closed_at is not None:
        raise PermissionDenied
    return episode


def get_crisis_step_for_user(user: User, step_id: int, *, write: bool = False) -> CrisisStep:
    """A step, through its episode. Writing (end, extend): the meldpunt or that step's provider."""
    step = get_object_or_404(
        CrisisStep.objects.filter(episode__in=visible_crisis_episodes(user))
        .annotate(
            user_is_meldpunt=Exists(visible_crisis_calls(user).filter(pk=OuterRef("episode__call_id"))),
            user_is_step_provider=Exists(provider_crisis_steps(user).filter(pk=OuterRef("pk"))),
        )
        .select_related("episode__call__programme", "provider__organisation"),
        pk=step_id,
    )
    if write and not (step.user_is_meldpunt or step.user_is_step_provider):
        raise PermissionDenied
    return step


def crisis_board_networks(user: User):
    """Networks whose capacity board the user reads: the meldpunt, the caseworkers of a crisis
    provider and the coordinators (free places per provider: no client data, but not for all)."""
    from instruments.models import CrisisProvider

    mine = roles_in_effect(user)
    providers = CrisisProvider.objects.filter(
        is_active=True,
        programme__network_id=OuterRef("network_id"),
        organisation_id=OuterRef("organisation_id"),
    )
    return Network.objects.filter(
        pk__in=mine.filter(
            Q(role__in=(Membership.Role.MELDPUNT, Membership.Role.COORDINATOR))
            | Q(role=Membership.Role.CASEWORKER, organisation__isnull=False) & Exists(providers)
        ).values("network_id")
    )


def get_crisis_board_network_for_user(user: User, network_id: int) -> Network:
    return get_object_or_404(crisis_board_networks(user).select_related("crisis_programme"), pk=network_id)


def get_meldpunt_network_for_user(user: User, network_id: int) -> Network:
    """A network where the user answers the meldpunt and which has a programme."""
    return get_object_or_404(
        Network.objects.filter(
            pk__in=meldpunt_network_ids(user), crisis_programme__isnull=False
        ).select_related("crisis_programme"),
        pk=network_id,
    )


def crisis_overview_allowed(user: User, network: Network) -> bool:
    """The forfait overview (amounts per provider): the network's coordinators and meldpunt."""
    return (
        roles_in_effect(user)
        .filter(network=network, role__in=(Membership.Role.MELDPUNT, Membership.Role.COORDINATOR))
        .exists()
    )


# --- planmaker trajectories -----------------------------------------------------------------------


def coordinated_trajectories(user: User, *, on: datetime.date | None = None) -> QuerySet[Trajectory]:
    """Trajectories of the planmaker networks ``user`` coordinates (pseudonym and phase; the
    aanmelding text until the decision)."""
    coordinated = roles_in_effect(user, on=on).filter(
        role=Membership.Role.COORDINATOR, network__kind=Network.Kind.PLANMAKER
    )
    return Trajectory.objects.filter(network_id__in=coordinated.values("network_id"))


def carousel_networks(user: User, *, on: datetime.date | None = None) -> QuerySet[Network]:
    """Planmaker networks whose carousel signal ``user`` reads and tunes: their coordinators.
    The list shows pseudonyms and counts; opening a case still needs ``visible_cases``."""
    coordinated = roles_in_effect(user, on=on).filter(
        role=Membership.Role.COORDINATOR, network__kind=Network.Kind.PLANMAKER
    )
    return Network.objects.filter(pk__in=coordinated.values("network_id"))


def get_carousel_network_for_user(user: User, network_id: int) -> Network:
    return get_object_or_404(carousel_networks(user).select_related("region"), pk=network_id)


def assigned_flag(user: User, *, case_ref: str = "case_id", network_ref: str = "network_id"):
    """EXISTS: ``user`` is an assigned planmaker of the trajectory (a planmaker row on its case
    that still holds, while a planmaker of the trajectory's network)."""
    rows = _reason_rows(
        CaseTeamMember.objects.filter(
            case_id=OuterRef(case_ref), user=user, role=CaseTeamMember.Role.PLANMAKER
        ),
        "until",
        on=None,
    )
    role = roles_in_effect(user).filter(
        role=Membership.Role.PLANMAKER, network_id=OuterRef(OuterRef(network_ref))
    )
    return Exists(rows.filter(Exists(role)))


def visible_trajectories(user: User, *, on: datetime.date | None = None) -> QuerySet[Trajectory]:
    """Trajectories on the user's cases (the referrer's team, the assigned planmakers) and those of
    the planmaker networks they coordinate."""
    if not user.is_authenticated:
        return Trajectory.objects.none()
    return Trajectory.objects.filter(
        Q(case__in=visible_cases(user, on=on)) | Q(pk__in=coordinated_trajectories(user, on=on).values("pk"))
    )


class TrajectoryAction:
    READ = "read"
    DECIDE = "decide"  # the coordinator: accept or decline, assign planmakers
    WORK = "work"  # an assigned planmaker: phases, the shared plan, bottlenecks
    # Intervisie (issue 19 §3): the assigned planmakers and the planmaker coordinator, nobody else
    # (the referrer's case team included).
    INTERVISIE = "intervisie"


def get_trajectory_for_user(
    user: User, trajectory_id: int, *, action: str = TrajectoryAction.READ
) -> Trajectory:
    trajectory = get_object_or_404(
        visible_trajectories(user)
        .annotate(
            user_on_team=team_flag(user, case_ref="case_id"),
            user_is_planmaker=assigned_flag(user),
            user_coordinates=Exists(coordinated_trajectories(user).filter(pk=OuterRef("pk"))),
        )
        .select_related("case__client", "case__network", "network", "referring_organisation", "referred_by"),
        pk=trajectory_id,
    )
    allowed = {
        TrajectoryAction.READ: True,
        TrajectoryAction.DECIDE: trajectory.user_coordinates,
        TrajectoryAction.WORK: trajectory.user_is_planmaker,
        TrajectoryAction.INTERVISIE: sees_intervisie(trajectory),
    }[action]
    if not allowed:
        raise PermissionDenied
    return trajectory


def sees_intervisie(trajectory: Trajectory) -> bool:
    """On a trajectory from ``get_trajectory_for_user``: may this user read (and write) its
    intervisie? Only an assigned planmaker or the coordinator of its planmaker network."""
    return bool(trajectory.user_is_planmaker or trajectory.user_coordinates)


def get_support_person_for_user(user: User, support_person_id: int, *, write: bool = False) -> SupportPerson:
    """A support person of a case the user sees (404 otherwise; 403 when the user may not write)."""
    case_id = get_object_or_404(
        SupportPerson.objects.filter(case__in=visible_cases(user)).values_list("case_id", flat=True),
        pk=support_person_id,
    )
    case = get_case_for_user(user, case_id, write=write)
    person = SupportPerson.objects.get(pk=support_person_id)
    person.case = case
    return person


def get_trajectory_meeting_for_user(user: User, meeting_id: int) -> TrajectoryMeeting:
    """A samenwerkingsoverleg, for an assigned planmaker of its trajectory (404 to whoever does not
    see the trajectory, 403 to the rest)."""
    trajectory_id = get_object_or_404(
        TrajectoryMeeting.objects.filter(trajectory__in=visible_trajectories(user)).values_list(
            "trajectory_id", flat=True
        ),
        pk=meeting_id,
    )
    trajectory = get_trajectory_for_user(user, trajectory_id, action=TrajectoryAction.WORK)
    meeting = TrajectoryMeeting.objects.get(pk=meeting_id)
    meeting.trajectory = trajectory
    return meeting


def get_plan_item_of_trajectory(user: User, item_id: int) -> SharedPlanItem:
    """A shared-plan item, for an assigned planmaker of its trajectory (404 to whoever does not
    see the trajectory, 403 to the rest of the team)."""
    trajectory_id = get_object_or_404(
        SharedPlanItem.objects.filter(trajectory__in=visible_trajectories(user)).values_list(
            "trajectory_id", flat=True
        ),
        pk=item_id,
    )
    trajectory = get_trajectory_for_user(user, trajectory_id, action=TrajectoryAction.WORK)
    item = SharedPlanItem.objects.select_related("domain").get(pk=item_id)
    item.trajectory = trajectory
    return item


# --- bottlenecks (no client data) -------------------------------------------------------------------


def bottleneck_networks(user: User) -> QuerySet[Network]:
    """Planmaker networks whose bottlenecks ``user`` reads: any role in effect there (steering
    members included: a bottleneck holds no client data; the trajectory counts are suppressed for
    everyone but the planmaker team, see ``works_on_bottlenecks``)."""
    return Network.objects.filter(
        kind=Network.Kind.PLANMAKER, pk__in=roles_in_effect(user).values("network_id")
    )


def works_on_bottlenecks(user: User, network_id: int) -> bool:
    """The planmaker team of the network: its planmakers and coordinators see exact counts."""
    return (
        roles_in_effect(user)
        .filter(network_id=network_id, role__in=(Membership.Role.PLANMAKER, Membership.Role.COORDINATOR))
        .exists()
    )


def get_bottleneck_for_user(user: User, bottleneck_id: int, *, write: bool = False) -> Bottleneck:
    """404 outside the network; ``write`` (moving the status) is the coordinator's."""
    bottleneck = get_object_or_404(
        Bottleneck.objects.filter(network__in=bottleneck_networks(user)).select_related("network"),
        pk=bottleneck_id,
    )
    if (
        write
        and not roles_in_effect(user)
        .filter(network_id=bottleneck.network_id, role=Membership.Role.COORDINATOR)
        .exists()
    ):
        raise PermissionDenied
    return bottleneck


def core_group_network_ids(user: User):
    """Networks whose praktijkoverleg the user decides on: they sit in its kerngroep, or
    coordinate it. Steering data: they see organisations and dates, no client data."""
    from networks.models import Body

    mine = roles_in_effect(user)
    in_core_group = mine.filter(
        Exists(
            Body.seats.through.objects.filter(membership_id=OuterRef("pk"), body__kind=Body.Kind.CORE_GROUP)
        )
    )
    return mine.filter(
        Q(pk__in=in_core_group.values("pk")) | Q(role=Membership.Role.COORDINATOR), network__isnull=False
    ).values("network_id")


def get_core_group_network_for_user(user: User, network_id: int) -> Network:
    return get_object_or_404(Network.objects.filter(pk__in=core_group_network_ids(user)), pk=network_id)


def get_crisis_conflict_for_user(user: User, conflict_id: int) -> CrisisConflict:
    """For the core group (and coordinators) of its network: they decide it."""
    return get_object_or_404(
        CrisisConflict.objects.filter(network_id__in=core_group_network_ids(user)).select_related(
            "first_organisation", "second_organisation", "network"
        ),
        pk=conflict_id,
    )
