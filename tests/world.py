"""A small world of every area's objects, for the suites that walk every URL of the product
(tests/test_cross_persona.py, tests/cases/test_read_log.py).

Two sides, each a network in its own region with its people and objects:

- ``theirs``: the side whose objects the suites aim at. Its owners (``theirs.personas``) may use
  them; every other persona may not.
- ``mine``: personas with every role in another network and region (caseworker, chair, organising
  cell, referral receiver, steering member, regional staff, admin), who own nothing of theirs.

And neighbours inside their network who must not reach their client data either: a caseworker
of a member organisation that is not on the team, a team member whose row ended yesterday, a
caseworker whose role ended, their steering member, the Flemish administration, a superuser.

A module adds its objects by appending a builder to ``SIDE_BUILDERS`` (called for each side with
the ``Side``; it may add personas and objects). URL keyword arguments are found in
``Side.objects`` as ``"<namespace>:<kwarg>"`` first, then ``"<kwarg>"``: ``item_id`` is an agenda
item in ``networks`` and a werkplan agreement in ``cases``.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cases.models import (
    CaseDocument,
    CaseTeamMember,
    ConferenceEvaluation,
    IntervisieEntry,
    SharedPlanItem,
    SharingReview,
    SupportPerson,
    Trajectory,
    TrajectoryMeeting,
)
from ijh.models import User, UserSession
from networks.models import Attachment, Bottleneck, Membership, Minutes, Network
from reports.models import HistoryImport, Narrative, ReportRun

from .factories import (
    ActionItemFactory,
    AgendaItemFactory,
    AgreementFactory,
    AttendanceFactory,
    BodyFactory,
    CarePlanItemFactory,
    CaseFactory,
    ClientConferenceFactory,
    ConferenceSessionFactory,
    ConsentFactory,
    GoalFactory,
    ImprovementActionFactory,
    InstrumentFactory,
    MeetingFactory,
    MembershipFactory,
    MinutesFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    PlaybookAdoptionFactory,
    PlaybookFactory,
    PlaybookStepFactory,
    PlaybookTaskFactory,
    ReferralAgreementFactory,
    ReferralFactory,
    RegionFactory,
    SelfAssessmentRoundFactory,
    SessionInvitationFactory,
    UserFactory,
    life_domain,
)

# Their client's name: a response to anyone but their owners must never contain it. (My side's
# client has another name, so my pages may show mine.)
CLIENT_FIRST_NAME = "Zulfira"
CLIENT_LAST_NAME = "Oosterlinck"
CLIENT_NAMES = {"theirs": (CLIENT_FIRST_NAME, CLIENT_LAST_NAME), "mine": ("Mirthe", "Mijnhoudt")}


@dataclass
class Side:
    name: str
    network: Network
    personas: dict[str, User] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def person(self, role: str, key: str, *, organisation=None, **extra) -> User:
        user = UserFactory(
            username=f"{self.name}-{key}", first_name=key.capitalize(), last_name=self.name.capitalize()
        )
        MembershipFactory(user=user, network=self.network, role=role, organisation=organisation, **extra)
        self.personas[key] = user
        return user


SideBuilder = Callable[[Side], None]


def _network_objects(side: Side) -> None:
    """Steering, instruments and reports objects of the side's network."""
    network = side.network
    coordinator = side.person(Membership.Role.COORDINATOR, "coordinator")
    body = BodyFactory(network=network)
    meeting = MeetingFactory(body=body)
    item = AgendaItemFactory(meeting=meeting)
    attendance = AttendanceFactory(meeting=meeting, user=coordinator)
    minutes = MinutesFactory(meeting=meeting)
    attachment = Attachment.objects.create(
        agenda_item=item, file=ContentFile(b"%PDF-1.4 bijlage", name="bijlage.pdf"), name="bijlage.pdf"
    )
    narrative = Narrative.objects.create(network=network, year=2025, half=2, conclusions="Conclusie.")
    run = ReportRun.objects.create(network=network, year=2025, half=2, status=ReportRun.Status.DONE)
    batch = HistoryImport.objects.create(
        network=network,
        kind=HistoryImport.Kind.values[0],
        file=ContentFile(b"referentie;datum\n", name="historiek.csv"),
        original_name="historiek.csv",
        sha256="0" * 64,
    )
    action = ActionItemFactory(meeting=meeting, owner=coordinator)
    goal = GoalFactory(network=network)
    agreement = AgreementFactory(network=network)
    assessment = SelfAssessmentRoundFactory(network=network, closed=True)
    instrument = InstrumentFactory(network=network)
    referral_agreement = ReferralAgreementFactory(network=network)
    playbook = PlaybookFactory(network=network)
    step = PlaybookStepFactory(playbook=playbook)
    task = PlaybookTaskFactory(step=step)
    adoption = PlaybookAdoptionFactory(playbook=playbook)
    improvement = ImprovementActionFactory(adoption=adoption)
    side.objects.update(
        {
            "network_id": network.pk,
            "region_id": network.region_id,
            "membership_id": side.personas["coordinator"].memberships.get().pk,
            "meeting_id": meeting.pk,
            "networks:item_id": item.pk,
            "attendance_id": attendance.pk,
            "minutes_id": minutes.pk,
            "attachment_id": attachment.pk,
            "narrative_id": narrative.pk,
            "run_id": run.pk,
            "batch_id": batch.pk,
            "kind": HistoryImport.Kind.values[0],
            "transition": Minutes.Status.CIRCULATED,
            "networks:action_id": action.pk,
            "goal_id": goal.pk,
            "networks:agreement_id": agreement.pk,
            "round_id": assessment.pk,
            "instrument_id": instrument.pk,
            "instruments:agreement_id": referral_agreement.pk,
            "playbook_id": playbook.pk,
            "step_id": step.pk,
            "task_id": task.pk,
            "adoption_id": adoption.pk,
            "instruments:action_id": improvement.pk,
            "fmt": "csv",
        }
    )


def _case_objects(side: Side) -> None:
    """A case with every kind of object of the case area, and the people who own them."""
    network = side.network
    lead = NetworkMembershipFactory(network=network, organisation__name=f"CLB {side.name}").organisation
    receiving = NetworkMembershipFactory(network=network, organisation__name=f"CGG {side.name}").organisation
    caseworker = side.person(Membership.Role.CASEWORKER, "caseworker", organisation=lead)
    side.person(Membership.Role.CASEWORKER, "receiver", organisation=receiving)
    chair = side.person(Membership.Role.CHAIRPERSON_EXTERNAL, "chair")
    case = CaseFactory(
        network=network,
        lead_organisation=lead,
        team=[caseworker],
        client__first_name=CLIENT_NAMES[side.name][0],
        client__last_name=CLIENT_NAMES[side.name][1],
    )
    consent = ConsentFactory(case=case, organisations=[lead, receiving])
    conference = ClientConferenceFactory(
        case=case,
        consent=consent,
        requested_by=caseworker,
        admissible=True,
        chair=chair,
        chair_assigned_on=datetime.date(2026, 1, 16),
    )
    session = ConferenceSessionFactory(conference=conference)
    invitation = SessionInvitationFactory(session=session)
    plan_item = CarePlanItemFactory(made_in=session, conference=conference, owner=caseworker)
    referral = ReferralFactory(case=case, to_organisation=receiving, consent=consent, sent_by=caseworker)
    # A consent withdrawn after an organisation joined the team under it: a decision to make.
    withdrawn = ConsentFactory(case=case, organisations=[receiving], withdrawn_on=datetime.date(2026, 2, 1))
    shared_row = CaseTeamMember.objects.create(
        case=case, organisation=receiving, since=datetime.date(2026, 1, 10), consent=withdrawn
    )
    review = SharingReview.objects.create(consent=withdrawn, team_member=shared_row)
    document = CaseDocument.objects.create(
        case=case,
        kind=CaseDocument.Kind.CONFERENCE_REQUEST,
        source=f"conference:{conference.pk}",
        status=CaseDocument.Status.DONE,
        finished_at=timezone.now(),
    )
    side.objects.update(
        {
            "case_id": case.pk,
            "member_id": case.team.get(user=caseworker).pk,
            "consent_id": consent.pk,
            "conference_id": conference.pk,
            "respondent": ConferenceEvaluation.Respondent.CLIENT,
            "session_id": session.pk,
            "invitation_id": invitation.pk,
            "cases:item_id": plan_item.pk,
            "referral_id": referral.pk,
            "document_id": document.pk,
            "review_id": review.pk,
        }
    )
    side.objects["_case"] = case


def _invitation_objects(side: Side) -> None:
    """An open invitation of the side's network (issue 21 §1)."""
    from networks.models import Invitation

    invited = UserFactory(
        username=f"{side.name}-invited@example.org", email=f"{side.name}-invited@example.org"
    )
    invited.is_active = False
    invited.save(update_fields=["is_active"])
    invitation = Invitation(
        user=invited,
        network=side.network,
        email=invited.email,
        invited_by=side.personas.get("coordinator"),
    )
    token = invitation.renew()
    invitation.save()
    # The person's own session (profile page) and the one-time links of the account area.
    session = UserSession.objects.create(
        user=side.personas["coordinator"], session_key=f"{side.name}-session-key"
    )
    side.objects.update(
        {
            "networks:invitation_id": invitation.pk,
            "account:session_id": session.pk,
            "account:token": token,
            "uidb64": "MQ",
        }
    )


def _offer_objects(side: Side) -> None:
    """The offer of a prison (issue 20): an activity, an enrolment by code, a welcome folder."""
    from instruments.models import OfferFolder
    from instruments.services_offer import enrol

    from .factories_detention import ActivityFactory

    provider = NetworkMembershipFactory(
        network=side.network, organisation__name=f"Sportdienst {side.name}"
    ).organisation
    activity = ActivityFactory(
        network=side.network,
        provider=provider,
        starts_on=datetime.date(2026, 1, 6),
        ends_on=datetime.date(2099, 12, 31),
    )
    enrolment = enrol(activity=activity, detainee_code=f"GD-{side.name.upper()}-1", by=None)
    folder = OfferFolder.objects.create(
        network=side.network,
        status=OfferFolder.Status.DONE,
        file=ContentFile(b"%PDF-1.4 onthaalmap", name="onthaalmap.pdf"),
        finished_at=timezone.now(),
    )
    side.objects.update({"activity_id": activity.pk, "enrolment_id": enrolment.pk, "folder_id": folder.pk})


def _guidance_objects(side: Side) -> None:
    """A detainee guided in a prison of the side's region, with a plan goal, consent, and a
    transfer proposed to a second prison whose trajectbegeleider (``receiver-guide``) decides."""
    from cases.models import Client
    from cases.services import detention as guidance_services
    from instruments.models import LifeDomain
    from instruments.reference_data import ensure as ensure_domains

    ensure_domains(LifeDomain)
    prisons = []
    for suffix in ("", " bis"):
        prison = NetworkFactory(
            name=f"Gevangenis {side.name}{suffix}", kind=Network.Kind.DETENTION, region=side.network.region
        )
        jww = NetworkMembershipFactory(
            network=prison, organisation__name=f"JWW {side.name}{suffix}"
        ).organisation
        prisons.append((prison, jww))
    (prison, jww), (other, other_jww) = prisons
    guide = UserFactory(username=f"{side.name}-guide", first_name="Guide", last_name=side.name.capitalize())
    MembershipFactory(user=guide, network=prison, role=Membership.Role.TRAJECTORY_GUIDE, organisation=jww)
    receiver = UserFactory(
        username=f"{side.name}-receiver-guide", first_name="Ontvanger", last_name=side.name
    )
    MembershipFactory(
        user=receiver, network=other, role=Membership.Role.TRAJECTORY_GUIDE, organisation=other_jww
    )
    side.personas["guide"] = guide
    side.personas["receiver-guide"] = receiver
    guidance = guidance_services.register_detainee(
        client=Client(first_name=CLIENT_NAMES[side.name][0], last_name=CLIENT_NAMES[side.name][1]),
        network=prison,
        organisation=jww,
        by=guide,
        question="Wil werk zoeken na de vrijlating.",
    )
    ConsentFactory(case=guidance.case, organisations=[jww, other_jww])
    goal = guidance_services.add_plan_goal(
        guidance=guidance, domain=LifeDomain.objects.first(), text="Werk zoeken", after_release=True, by=guide
    )
    transfer = guidance_services.propose_transfer(
        guidance=guidance, to_network=other, transfer_on=timezone.localdate(), reason="Plaatsgebrek", by=guide
    )
    side.objects.update({"guidance_id": guidance.pk, "transfer_id": transfer.pk, "plan_goal_id": goal.pk})


def _crisis_objects(side: Side) -> None:
    """The crisis programme of the side's network and, on it, a call with an episode and its
    steps (issue 18): the meldpunt operator and the shelter's caseworker own them."""
    from .crisis_world import build_crisis_side

    build_crisis_side(side)


def _trajectory_objects(side: Side) -> None:
    """A planmaker network beside the side's network, its planmaker and coordinator, and a
    trajectory on the side's case in the shared-plan phase with an item and a bottleneck."""
    case = side.objects["_case"]
    planmakers = NetworkFactory(
        name=f"Planmakers {side.name}", kind=Network.Kind.PLANMAKER, region=side.network.region
    )
    home = NetworkMembershipFactory(
        network=planmakers, organisation__name=f"Planmakers vzw {side.name}"
    ).organisation
    NetworkMembershipFactory(network=planmakers, organisation=case.lead_organisation)
    planmaker = UserFactory(
        username=f"{side.name}-planmaker", first_name="Plan", last_name=side.name.capitalize()
    )
    MembershipFactory(user=planmaker, network=planmakers, role=Membership.Role.PLANMAKER, organisation=home)
    coordinator = UserFactory(
        username=f"{side.name}-pm-coordinator", first_name="Coord", last_name=side.name.capitalize()
    )
    MembershipFactory(user=coordinator, network=planmakers, role=Membership.Role.COORDINATOR)
    side.personas["planmaker"] = planmaker
    side.personas["pm-coordinator"] = coordinator
    consent = ConsentFactory(case=case, organisations=[home])
    caseworker = side.personas["caseworker"]
    trajectory = Trajectory.objects.create(
        case=case,
        network=planmakers,
        referring_organisation=case.lead_organisation,
        referred_by=caseworker,
        question="Vastgelopen traject, vraag om een gedeeld plan.",
        difficult_from_start=True,
        involved="Moeder, school, CGG",
        referrer_engaged=True,
        consent=consent,
        phase=Trajectory.Phase.PLAN,
        referred_on=datetime.date(2026, 1, 20),
        decided_on=datetime.date(2026, 1, 22),
        connecting_on=datetime.date(2026, 1, 22),
        mandate_on=datetime.date(2026, 2, 10),
        plan_on=datetime.date(2026, 3, 1),
    )
    CaseTeamMember.objects.create(
        case=case,
        organisation=home,
        user=planmaker,
        role=CaseTeamMember.Role.PLANMAKER,
        since=datetime.date(2026, 1, 22),
    )
    item = SharedPlanItem.objects.create(
        trajectory=trajectory, domain=life_domain(), text="Elke week een gesprek thuis.", owner="Moeder"
    )
    bottleneck = Bottleneck.objects.create(
        network=planmakers,
        title="Geen plaats voor combinatie van problemen",
        category=Bottleneck.Category.ADMISSION,
        level=Bottleneck.Level.MESO,
        description="Voorzieningen weigeren bij een combinatie van problemen.",
    )
    trajectory.bottlenecks.add(bottleneck)
    # Issue 19 §3–§4: a held start meeting, an intervisie entry, and the anchor figure.
    meeting = TrajectoryMeeting.objects.create(
        trajectory=trajectory,
        kind=TrajectoryMeeting.Kind.START,
        due_on=datetime.date(2026, 2, 5),
        held_on=datetime.date(2026, 2, 3),
        client_presence=TrajectoryMeeting.ClientPresence.ATTENDED,
        roles_agreed="Moeder belt de school.",
        findings="Iedereen wil verder.",
    )
    meeting.invited.add(home)
    intervisie = IntervisieEntry.objects.create(
        trajectory=trajectory, author=planmaker, text=f"Intervisie {side.name}: hoe kunnen we verder?"
    )
    anchor = SupportPerson.objects.create(
        case=case, name=f"Tante {side.name}", role="tante", circle=SupportPerson.Circle.OWN, is_anchor=True
    )
    side.objects.update(
        {
            "trajectory_id": trajectory.pk,
            "plan_item_id": item.pk,
            "bottleneck_id": bottleneck.pk,
            "trajectory_meeting_id": meeting.pk,
            "intervisie_id": intervisie.pk,
            "support_person_id": anchor.pk,
        }
    )


def _carousel_objects(side: Side) -> None:
    """Low thresholds on the side's planmaker network and an ended team row on the case, so the
    carousel list of the planmaker coordinator shows the side's case (by pseudonym)."""
    from networks.models import CarouselSettings

    planmakers = Network.objects.get(name=f"Planmakers {side.name}")
    CarouselSettings.objects.create(network=planmakers, min_providers=2, min_handoffs=1)
    case = side.objects["_case"]
    CaseTeamMember.objects.create(
        case=case,
        organisation=OrganisationFactory(name=f"Vorige voorziening {side.name}"),
        since=timezone.localdate() - datetime.timedelta(days=60),
        until=timezone.localdate() - datetime.timedelta(days=10),
    )
    side.objects["planmaker_network_id"] = planmakers.pk


def _engagement_objects(side: Side) -> None:
    """An engagement in the side's network catalogue, published by the case's lead organisation."""
    from instruments.models import Engagement, LifeDomain

    engagement = Engagement.objects.create(
        network=side.network,
        organisation=side.objects["_case"].lead_organisation,
        title=f"Gezinsbegeleiding binnen de week {side.name}",
        method="Aanklampend, thuis.",
        contact_person="Sara Contact",
        contact_details="050 12 34 56",
        place="Brugge",
        time="binnen 5 werkdagen",
        created_by=side.personas["coordinator"],
    )
    engagement.domains.set(LifeDomain.objects.all()[:1])
    side.objects["engagement_id"] = engagement.pk


def _learning_objects(side: Side) -> None:
    """The learning network of the side's planmaker network (issue 19 §6): a theme with the
    side's bottleneck, discussed in a held meeting, and a finished signal note with its PDF."""
    from networks.models import Body, LearningTheme, Meeting, SignalNote

    planmakers = Network.objects.get(name=f"Planmakers {side.name}")
    body = BodyFactory(
        network=planmakers, kind=Body.Kind.LEARNING_NETWORK, name=f"Lerend netwerk {side.name}"
    )
    meeting = Meeting.objects.create(
        network=planmakers, body=body, location="Zaal", starts_at=timezone.now() - datetime.timedelta(days=20)
    )
    theme = LearningTheme.objects.create(
        network=planmakers,
        title=f"Thema {side.name}",
        findings="Bevinding",
        advice="Advies",
        status="discussed",
    )
    theme.bottlenecks.add(side.objects["bottleneck_id"])
    theme.discussed_in.add(meeting)
    note = SignalNote.objects.create(
        network=planmakers, theme=theme, title=theme.title, addressed_to="Agentschap", request_key="w",
        status=SignalNote.Status.DONE, snapshot={"title": theme.title},
    )  # fmt: skip
    note.file.save("signaalnota.pdf", ContentFile(b"%PDF-1.4 signaalnota"), save=True)
    side.objects.update({"theme_id": theme.pk, "signal_note_id": note.pk})


SIDE_BUILDERS: list[SideBuilder] = [
    _network_objects,
    _case_objects,
    _invitation_objects,
    _offer_objects,
    _guidance_objects,
    _crisis_objects,
    _trajectory_objects,
    _carousel_objects,
    _engagement_objects,
    _learning_objects,
]


def build_side(name: str, region_code: str) -> Side:
    network = NetworkFactory(name=f"RTJ {name.capitalize()}", region=RegionFactory(code=region_code))
    side = Side(name=name, network=network)
    for build in SIDE_BUILDERS:
        build(side)
    return side


@dataclass
class World:
    theirs: Side
    mine: Side
    neighbours: dict[str, User]

    @property
    def outsiders(self) -> dict[str, User]:
        """Everyone who must reach none of their client data."""
        return {**{f"mine-{key}": user for key, user in self.mine.personas.items()}, **self.neighbours}


def build_world() -> World:
    theirs = build_side("theirs", "oost-vlaanderen")
    mine = build_side("mine", "limburg")
    mine.personas["staff"] = MembershipFactory(regional_staff=True, region=mine.network.region).user
    mine.personas["admin"] = MembershipFactory(
        role=Membership.Role.ADMIN, network=None, region=mine.network.region
    ).user
    mine.personas["steering"] = mine.person(Membership.Role.STEERING_MEMBER, "steering")
    network = theirs.network
    case = theirs.objects["_case"]
    neighbours: dict[str, User] = {}
    # A caseworker of a member organisation that is not on the team.
    colleague_org = NetworkMembershipFactory(
        network=network, organisation__name="CAW naast de deur"
    ).organisation
    neighbours["colleague"] = _person(
        network, "colleague", Membership.Role.CASEWORKER, organisation=colleague_org
    )
    # Was on the team by name until yesterday.
    former = _person(network, "former", Membership.Role.CASEWORKER, organisation=case.lead_organisation)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    CaseTeamMember.objects.create(
        case=case, organisation=colleague_org, user=former, since=case.opened_on, until=yesterday
    )
    Membership.objects.filter(user=former).update(organisation=colleague_org)
    neighbours["former"] = former
    # Worked for the lead organisation; the role ended yesterday.
    neighbours["left"] = _person(
        network, "left", Membership.Role.CASEWORKER, organisation=case.lead_organisation, until=yesterday
    )
    neighbours["steering"] = _person(network, "steering", Membership.Role.STEERING_MEMBER)
    neighbours["agency"] = UserFactory(username="neighbour-agency")
    Membership.objects.create(
        user=neighbours["agency"], role=Membership.Role.AGENCY, since=datetime.date(2020, 1, 1)
    )
    neighbours["superuser"] = UserFactory(username="neighbour-root", is_superuser=True, is_staff=True)
    return World(theirs=theirs, mine=mine, neighbours=neighbours)


def _person(network, key: str, role: str, **extra) -> User:
    user = UserFactory(username=f"neighbour-{key}", first_name=key.capitalize(), last_name="Buur")
    MembershipFactory(user=user, network=network, role=role, **extra)
    return user


# --- URLs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    namespace: str
    name: str
    pattern: str
    kwargs: tuple[str, ...]

    @property
    def url_name(self) -> str:
        return f"{self.namespace}:{self.name}"

    def path(self, objects: dict) -> str:
        from django.urls import reverse

        values = {}
        for kwarg in self.kwargs:
            key = f"{self.namespace}:{kwarg}"
            if key not in objects and kwarg not in objects:
                raise LookupError(
                    f"tests/world.py has no object for {kwarg} of {self.url_name}: add it to a builder"
                )
            values[kwarg] = objects.get(key, objects.get(kwarg))
        return reverse(self.url_name, kwargs=values)


def routes(*namespaces: str) -> list[Route]:
    """Every named URL of the given app namespaces, with its keyword arguments."""
    found = []

    def walk(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name and namespace in namespaces:
                text = prefix + str(pattern.pattern)
                kwargs = tuple(re.findall(r"<(?:\w+:)?(\w+)>", text))
                found.append(Route(namespace, pattern.name, text, kwargs))

    walk(get_resolver().url_patterns, "", "")
    return sorted(found, key=lambda route: route.url_name)
