"""Demo data of the planmakers (issue 19): Planmakers West-Vlaanderen with four planmakers (the
``planmaker`` login among them), a coordinator (``planmakercoordinator``) and a referring
caseworker (``hulpverlener.west``), trajectories in every phase, a shared plan on each trajectory
past the mandate, bottlenecks across categories, levels and statuses, and two learning-network
meetings where bottlenecks were discussed. Invented people only.

Idempotent: cases are found by a fixed pseudonym; a second run adds nothing.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ijh.models import AuditEvent, User
from instruments.models import LifeDomain
from networks import demo as network_demo
from networks.models import Body, Bottleneck, Meeting, Membership, Network, Organisation

from .models import (
    Case,
    CaseTeamMember,
    Client,
    Consent,
    DataField,
    IntervisieEntry,
    SharedPlanItem,
    SupportPerson,
    TimelineEvent,
    Trajectory,
    TrajectoryMeeting,
)
from .models.trajectory_meetings import FOLLOW_UP_MEETING_DAYS, START_MEETING_DAYS

NETWORK = "Planmakers West-Vlaanderen"
HOME = "Co-ncept Jeugdhulp (planmakers)"
# (username, first, last): the ``planmaker`` login comes from networks.demo.
PLANMAKERS = [("planmaker.jonas", "Jonas", "Vandenberghe"), ("planmaker.ilse", "Ilse", "Debruyne"),
              ("planmaker.kobe", "Kobe", "Vanhoutte")]  # fmt: skip
COORDINATOR = ("planmakercoordinator", "Marieke", "Dewulf")
REFERRERS = [
    ("hulpverlener.west", "Ward", "Callewaert", "CAW Centraal-West-Vlaanderen"),
    ("clb.west", "Sien", "Vermeulen", "Vrij CLB Westhoek"),
]
# (phase, outcome, days since the referral): at least one trajectory in every phase.
PLAN = [
    ("referred", "", 4),
    ("referred", "", 9),
    ("declined", "", 40),
    ("connecting", "", 20),
    ("connecting", "", 35),
    ("mandate", "", 60),
    ("mandate", "", 75),
    ("plan", "", 110),
    ("plan", "", 130),
    ("follow_up", "", 200),
    ("follow_up", "", 240),
    ("closed", "unblocked", 330),
    ("closed", "partly", 380),
    ("closed", "ended_by_family", 215),
]
FIRST_NAMES = ["Amber", "Milan", "Yara", "Lowie", "Noor", "Rayan", "Fien", "Senne", "Lina", "Wout",
               "Elif", "Jasper", "Kato", "Bilal"]  # fmt: skip
LAST_NAMES = ["Vandamme", "Declercq", "Verhaeghe", "Maes", "Deprez", "Lefever", "Vanneste", "Goethals",
              "Desmet", "Bogaert", "Dewitte", "Verstraete", "Coussement", "Dumon"]  # fmt: skip
QUESTIONS = [
    "Drie plaatsingen in een jaar zijn misgelopen. Hoe komen we tot één plan waar de jongere en mama achter staan?",
    "De voorziening wil stoppen, er is geen vervolgplek. Wie zet mee de schouders onder een nieuw perspectief?",
    "Combinatie van licht verstandelijke beperking en agressie: elke dienst verwijst door. Hoe breken we de cirkel?",
    "Schoolweigering en zorgen thuis; hulpverleners spreken elkaar tegen. Vraag naar één gedeelde lijn.",
]
INVOLVED = "Jongere, mama, papa (beperkt contact), grootmoeder, leefgroep, CGG, school (CLB), consulent OCJ."
PLAN_ITEMS = [
    ("family", "goal", "Mama en de jongere zien elkaar elke week, met begeleiding.", "Mama en leefgroep"),
    ("school", "agreement", "Aangepast lesrooster, terug naar school in halve dagen.", "CLB en school"),
    ("mental_health", "agreement", "Intake bij het CGG binnen vier weken.", "Planmaker"),
    ("leisure", "goal", "Eén vaste vrijetijdsactiviteit met een buddy.", "Buddy"),
]
BOTTLENECKS = [
    ("IQ-grens sluit jongeren met gedragsproblemen uit", "admission", "macro", "answered",
     "Voorzieningen voor gedragsproblemen weigeren bij een IQ onder 70; VAPH-voorzieningen weigeren bij "
     "ernstige gedragsproblemen. Jongeren met beide vallen tussen twee stoelen.", "Toelatingsvoorwaarden erkenning"),
    ("Wachtlijst kinder- en jeugdpsychiatrie", "waiting_list", "meso", "passed_on",
     "Acht tot twaalf maanden wachten op een opname; intussen escaleert de situatie.", "K-diensten regio"),
    ("Modules stoppen bij 18 jaar", "financing", "macro", "discussed",
     "Begeleiding stopt op de achttiende verjaardag, ook midden in een traject.", "Regelgeving meerderjarigheid"),
    ("Geen gedeeld dossier tussen diensten", "communication", "meso", "signalled",
     "Elke dienst vraagt het verhaal opnieuw; het gezin haakt af.", ""),
    ("Geen plaats in time-out voor jongeren onder 12", "capacity", "meso", "signalled",
     "Er is geen time-outplek voor kinderen jonger dan 12 in de regio.", "Aanbod regio West"),
    ("School schrijft uit tijdens opname", "school", "micro", "discussed",
     "Na een opname van meer dan drie maanden wordt de jongere uitgeschreven.", "Schoolreglement"),
]  # fmt: skip
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _person(username: str, first: str, last: str, *, login: bool) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if login:
        user.set_password(network_demo.DEMO_PASSWORD)
        user.save(update_fields=["password"])
    elif created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _role(user: User, role: str, network: Network, organisation: Organisation | None = None) -> None:
    Membership.objects.get_or_create(
        user=user,
        role=role,
        network=network,
        defaults={"organisation": organisation, "since": network_demo.START},
    )


@transaction.atomic
def load(networks: dict[str, Network], today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    network = networks.get(NETWORK)
    if network is None:
        return {"trajectories": 0}
    organisations = {
        org.name: org for org in Organisation.objects.filter(network_memberships__network=network)
    }
    home = organisations[HOME]
    planmakers = [User.objects.get(username="planmaker")]
    for username, first, last in PLANMAKERS:
        user = _person(username, first, last, login=False)
        _role(user, Membership.Role.PLANMAKER, network, home)
        planmakers.append(user)
    coordinator = _person(*COORDINATOR, login=True)
    _role(coordinator, Membership.Role.COORDINATOR, network)
    referrers = []
    for username, first, last, organisation_name in REFERRERS:
        user = _person(username, first, last, login=True)
        _role(user, Membership.Role.CASEWORKER, network, organisations[organisation_name])
        referrers.append((user, organisations[organisation_name]))
    domains = {domain.code: domain for domain in LifeDomain.objects.all()}
    bottlenecks = _bottlenecks(network, coordinator, today)
    created = 0
    for number, (phase, outcome, days) in enumerate(PLAN):
        pseudonym = f"CL-PMW{number // 10}-{number % 10:02d}PM"[:16]
        if Client.objects.filter(pseudonym=pseudonym).exists():
            continue
        referrer, organisation = referrers[number % len(referrers)]
        # The `planmaker` login is on most trajectories; a colleague on every third.
        assigned = [planmakers[0]] if number % 3 else [planmakers[1 + number % 3], planmakers[0]]
        if number % 5 == 4:
            assigned = [planmakers[2 + number % 2]]
        _trajectory(
            network=network, home=home, number=number, pseudonym=pseudonym, phase=phase, outcome=outcome,
            referred_on=today - datetime.timedelta(days=days), referrer=referrer, organisation=organisation,
            coordinator=coordinator, planmakers=assigned, domains=domains, bottlenecks=bottlenecks, today=today,
        )  # fmt: skip
        created += 1
    return {"trajectories": created}


def _bottlenecks(network: Network, coordinator: User, today: datetime.date) -> list[Bottleneck]:
    body = Body.objects.filter(network=network, kind=Body.Kind.LEARNING_NETWORK).first()
    meetings = []
    if body is not None:
        for days, location in (
            (150, "Vergaderzaal Co-ncept, Roeselare"),
            (60, "Provinciehuis Boeverbos, Brugge"),
        ):
            day = today - datetime.timedelta(days=days)
            meeting, _ = Meeting.objects.get_or_create(
                network=network,
                body=body,
                starts_at=datetime.datetime.combine(day, datetime.time(13, 30), tzinfo=TZ),
                defaults={"location": location, "created_by": coordinator},
            )
            meetings.append(meeting)
    rows = []
    for index, (title, category, level, status, description, concerns) in enumerate(BOTTLENECKS):
        signalled = today - datetime.timedelta(days=200 - index * 15)
        meeting = meetings[index % 2] if meetings else None
        fields = {
            "category": category, "level": level, "description": description, "concerns": concerns,
            "signalled_on": signalled, "created_by": coordinator, "status": status,
        }  # fmt: skip
        if status != "signalled":
            fields["discussed_on"] = meeting.date if meeting else signalled
            fields["findings"] = (
                "Het lerend netwerk herkent dit in meerdere trajecten en adviseert een signaal."
            )
        if status in ("passed_on", "answered"):
            fields["passed_on_on"] = fields["discussed_on"] + datetime.timedelta(days=10)
            fields["passed_to"] = "Agentschap Opgroeien – afdeling beleid"
        if status == "answered":
            fields["answered_on"] = fields["passed_on_on"] + datetime.timedelta(days=30)
            fields["answer"] = "Het agentschap neemt het mee in de evaluatie van de toelatingsvoorwaarden."
        bottleneck, created = Bottleneck.objects.get_or_create(network=network, title=title, defaults=fields)
        if created and meeting is not None and status != "signalled":
            bottleneck.discussed_in.add(meeting)
        rows.append(bottleneck)
    return rows


def _trajectory(
    *, network, home, number, pseudonym, phase, outcome, referred_on, referrer, organisation, coordinator,
    planmakers, domains, bottlenecks, today,
) -> Trajectory:  # fmt: skip
    client = Client.objects.create(
        pseudonym=pseudonym,
        first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
        last_name=LAST_NAMES[number % len(LAST_NAMES)],
        birth_year=today.year - 11 - number % 7,
        gender=[Client.Gender.FEMALE, Client.Gender.MALE][number % 2],
        postcode=["8800", "8500", "8900", "8000"][number % 4],
    )
    opened = referred_on - datetime.timedelta(days=120)
    case = Case.objects.create(
        network=network, client=client, lead_organisation=organisation, opened_on=opened,
        summary="Traject loopt vast na meerdere breuken in de hulpverlening.", created_by=referrer,
    )  # fmt: skip
    CaseTeamMember.objects.create(
        case=case, organisation=organisation, user=referrer, role=CaseTeamMember.Role.LEAD, since=opened
    )
    consent = Consent.objects.create(
        case=case,
        given_by=Consent.GivenBy.PARENT,
        giver_name="Mama",
        covers_case_team=True,
        covers_referrals=True,
        covers_conference=True,
        data_fields=[DataField.NAME, DataField.QUESTION],
        given_on=referred_on - datetime.timedelta(days=3),
        evidence_note="Ondertekend formulier in het dossier van de voorziening.",
        recorded_by=referrer,
    )
    consent.organisations.set([home, organisation])
    steps = ["referred", "connecting", "mandate", "plan", "follow_up", "closed"]
    reached = steps.index(phase) if phase in steps else 0
    spacing = [0, 5, 40, 75, 110, 200]
    dates = {
        step: referred_on + datetime.timedelta(days=spacing[i])
        for i, step in enumerate(steps)
        if i <= reached
    }
    dates = {step: min(day, today) for step, day in dates.items()}
    trajectory = Trajectory.objects.create(
        case=case,
        network=network,
        referring_organisation=organisation,
        referred_by=referrer,
        question=QUESTIONS[number % len(QUESTIONS)],
        in_facility_going_badly=number % 2 == 0,
        difficult_from_start=number % 2 == 1,
        involved=INVOLVED,
        referrer_engaged=True,
        consent=consent,
        phase=phase,
        referred_on=referred_on,
        decided_on=dates.get("connecting")
        or (referred_on + datetime.timedelta(days=6) if phase == "declined" else None),
        decided_by=coordinator if phase != "referred" else None,
        decline_reason="Er loopt al een cliëntoverleg met dezelfde vraag; eerst dat afwachten."
        if phase == "declined"
        else "",
        connecting_on=dates.get("connecting"),
        mandate_on=dates.get("mandate"),
        plan_on=dates.get("plan"),
        follow_up_on=dates.get("follow_up"),
        closed_on=dates.get("closed"),
        outcome=outcome,
        outcome_note="Er is een stabiele woonplek en een vast aanspreekpunt." if outcome else "",
    )
    events = [
        (TimelineEvent.Kind.OPENED, opened, referrer, str(organisation)),
        (TimelineEvent.Kind.TRAJECTORY_REFERRED, referred_on, referrer, str(network)),
    ]
    if "connecting" in dates:
        for user in planmakers:
            closed = dates.get("closed")
            CaseTeamMember.objects.create(
                case=case, organisation=home, user=user, role=CaseTeamMember.Role.PLANMAKER,
                since=dates["connecting"], added_by=coordinator,
                until=closed + datetime.timedelta(days=30) if closed else None,
            )  # fmt: skip
        events.append((TimelineEvent.Kind.TRAJECTORY_DECIDED, dates["connecting"], coordinator, "aanvaard"))
        for step in steps[2 : reached + 1]:
            events.append(
                (
                    TimelineEvent.Kind.TRAJECTORY_PHASE,
                    dates[step],
                    planmakers[0],
                    Trajectory.Phase(step).label,
                )
            )
    if "mandate" in dates:
        for index, (code, kind, text, owner) in enumerate(PLAN_ITEMS[: 2 + number % 3]):
            due = dates["mandate"] + datetime.timedelta(days=30 + 20 * index)
            status = (
                SharedPlanItem.Status.DONE
                if phase == "closed" or (phase == "follow_up" and index == 0)
                else SharedPlanItem.Status.OPEN
            )
            SharedPlanItem.objects.create(
                trajectory=trajectory, domain=domains.get(code) or next(iter(domains.values())), kind=kind,
                text=text, owner=owner, due_on=due, status=status, created_by=planmakers[0],
            )  # fmt: skip
            events.append((TimelineEvent.Kind.SHARED_PLAN_ADDED, dates["mandate"], planmakers[0], kind))
    if "connecting" in dates:
        linked = [bottlenecks[number % len(bottlenecks)], bottlenecks[(number * 2 + 1) % len(bottlenecks)]]
        trajectory.bottlenecks.add(*linked)
        for bottleneck in linked:
            events.append(
                (
                    TimelineEvent.Kind.BOTTLENECK_SIGNALLED,
                    dates["connecting"],
                    planmakers[0],
                    bottleneck.title,
                )
            )
    if "connecting" in dates:
        events += _meetings(trajectory, dates, planmakers, [home, organisation], number, today)
    if number % 4 == 1 and "connecting" in dates:
        SupportPerson.objects.create(
            case=case, name="Tante Griet", role="tante, ankerfiguur sinds de eerste opname",
            circle=SupportPerson.Circle.OWN, is_anchor=True, since=dates["connecting"], added_by=planmakers[0],
        )  # fmt: skip
        SupportPerson.objects.create(
            case=case, name="Jens (buddy)", role="buddy via de jeugdwerking",
            circle=SupportPerson.Circle.PROFESSIONAL, since=dates["connecting"], added_by=planmakers[0],
        )  # fmt: skip
        events.append(
            (TimelineEvent.Kind.SUPPORT_PERSON_ADDED, dates["connecting"], planmakers[0], "ankerfiguur")
        )
        # A buddy who stopped: history, with the day and the reason.
        SupportPerson.objects.create(
            case=case, name="Sam (vroegere buddy)", role="buddy", circle=SupportPerson.Circle.PROFESSIONAL,
            since=dates["connecting"], until=min(today, dates["connecting"] + datetime.timedelta(days=20)),
            end_reason="Verhuisd; Jens nam over.", added_by=planmakers[0],
        )  # fmt: skip
        events.append(
            (
                TimelineEvent.Kind.SUPPORT_PERSON_ENDED,
                min(today, dates["connecting"] + datetime.timedelta(days=20)),
                planmakers[0],
                "professioneel netwerk",
            )
        )
    for kind, day, actor, detail in events:
        # Every timeline line has its audit twin, as the services write them.
        at = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=TZ)
        target = case if kind == TimelineEvent.Kind.OPENED else trajectory
        TimelineEvent.objects.create(
            case=case, kind=kind, detail=detail[:250], actor=actor, at=at,
            object_type=target._meta.label_lower, object_id=str(target.pk),
        )  # fmt: skip
        AuditEvent.objects.create(
            at=at, actor=actor, actor_label=actor.username,
            action="case.opened" if kind == TimelineEvent.Kind.OPENED else f"trajectory.{kind}",
            object_type=target._meta.label_lower, object_id=str(target.pk), network_id=network.pk,
        )  # fmt: skip
    return trajectory


def _meetings(trajectory, dates, planmakers, invited, number, today) -> list:
    """The samenwerkingsoverleggen as the product schedules them: the start meeting 14 days after
    the acceptance (held once the mandate came; overdue on a trajectory still connecting), the
    three-month one 91 days after the start, an end meeting when closed; and one intervisie entry."""
    events = []
    start_due = dates["connecting"] + datetime.timedelta(days=START_MEETING_DAYS)
    held = dates.get("mandate")
    start = TrajectoryMeeting.objects.create(
        trajectory=trajectory, kind=TrajectoryMeeting.Kind.START, due_on=start_due, held_on=held,
        client_presence=(TrajectoryMeeting.ClientPresence.ATTENDED if number % 2 else
                         TrajectoryMeeting.ClientPresence.CONSULTED) if held else "",
        roles_agreed="De planmaker bewaakt het plan; de voorziening houdt de plaats vrij; mama belt de school."
        if held else "",
        findings="Iedereen wil verder; de jongere wil dichter bij huis wonen." if held else "",
        recorded_by=planmakers[0] if held else None,
    )  # fmt: skip
    events.append(
        (TimelineEvent.Kind.TRAJECTORY_MEETING_DUE, dates["connecting"], planmakers[0], "startoverleg")
    )
    if held:
        start.invited.set(invited)
        start.attended.set(invited[:1])
        start.family_presence = TrajectoryMeeting.FamilyPresence.ATTENDED
        start.save(update_fields=["family_presence"])
        events.append((TimelineEvent.Kind.TRAJECTORY_MEETING_HELD, held, planmakers[0], "startoverleg"))
        three_due = held + datetime.timedelta(days=FOLLOW_UP_MEETING_DAYS)
        three_held = dates.get("follow_up") if dates.get("follow_up") and dates["follow_up"] >= held else None
        three = TrajectoryMeeting.objects.create(
            trajectory=trajectory, kind=TrajectoryMeeting.Kind.THREE_MONTHS, due_on=three_due, held_on=three_held,
            client_presence=TrajectoryMeeting.ClientPresence.ATTENDED if three_held else "",
            findings="Het gedeeld plan loopt; school en voorziening overleggen nu zelf." if three_held else "",
            recorded_by=planmakers[0] if three_held else None,
        )  # fmt: skip
        if three_held:
            three.invited.set(invited)
            events.append(
                (
                    TimelineEvent.Kind.TRAJECTORY_MEETING_HELD,
                    three_held,
                    planmakers[0],
                    "overleg na drie maanden",
                )
            )
    if held and not dates.get("closed") and number % 2 == 0:
        # An ad hoc meeting planned ahead, with the young person and the family invited.
        ad_hoc = TrajectoryMeeting.objects.create(
            trajectory=trajectory, kind=TrajectoryMeeting.Kind.AD_HOC,
            planned_on=today + datetime.timedelta(days=10 + number), invite_client=True, invite_family=True,
            recorded_by=planmakers[0],
        )  # fmt: skip
        ad_hoc.invited.set(invited)
        events.append((TimelineEvent.Kind.TRAJECTORY_MEETING_PLANNED, today, planmakers[0], "ad-hocoverleg"))
    if dates.get("closed"):
        TrajectoryMeeting.objects.create(
            trajectory=trajectory, kind=TrajectoryMeeting.Kind.END, held_on=dates["closed"],
            client_presence=TrajectoryMeeting.ClientPresence.ATTENDED,
            findings="Afsluiting met de jongere en het gezin; het vaste aanspreekpunt blijft.",
            recorded_by=planmakers[0],
        )  # fmt: skip
        events.append(
            (TimelineEvent.Kind.TRAJECTORY_MEETING_HELD, dates["closed"], planmakers[0], "eindoverleg")
        )
    if number % 3 == 1:
        IntervisieEntry.objects.create(
            trajectory=trajectory, author=planmakers[0], created_at=datetime.datetime.combine(
                min(today, dates["connecting"] + datetime.timedelta(days=20)), datetime.time(15, 0), tzinfo=TZ),
            text="Hoe kunnen we verder? De voorziening en het CGG spreken elkaar tegen over de diagnose; "
            "voorstel: eerst samen met mama de vraag opnieuw formuleren, dan pas nieuwe hulp zoeken.",
        )  # fmt: skip
        events.append((TimelineEvent.Kind.INTERVISIE_ADDED, dates["connecting"], planmakers[0], ""))
    return events
