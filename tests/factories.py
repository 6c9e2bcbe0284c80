"""factory_boy factories for every model. Traits describe what matters in a test."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases.models import (
    CarePlanItem,
    Case,
    CaseDocument,
    CaseTeamMember,
    Client,
    ClientConference,
    ConferenceEvaluation,
    ConferenceSession,
    Consent,
    DataField,
    Referral,
    SessionInvitation,
    TimelineEvent,
)
from ijh.models import AuditEvent, User, WorkerPing
from instruments.models import (
    ImprovementAction,
    Instrument,
    LifeDomain,
    Playbook,
    PlaybookAdoption,
    PlaybookStep,
    PlaybookTask,
    ReferralAgreement,
    ReferralAgreementSignatory,
    ReferralArea,
    TaskCheck,
)
from networks.models import (
    ActionItem,
    AgendaItem,
    Agreement,
    AgreementSignatory,
    Attendance,
    Body,
    Criterion,
    Decision,
    Goal,
    GoalProgress,
    Meeting,
    Membership,
    Minutes,
    Network,
    NetworkMembership,
    Organisation,
    Region,
    Score,
    Sector,
    SelfAssessmentRound,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class RegionFactory(DjangoModelFactory):
    """Regions are seeded by a migration; the factory finds them by code."""

    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "oost-vlaanderen"
    name = factory.LazyAttribute(lambda region: region.code.replace("-", " ").title())


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.Sequence(lambda n: f"Sector {n}")
    abbreviation = factory.Sequence(lambda n: f"S{n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Voorziening {n}")
    sector = factory.SubFactory(SectorFactory)
    municipality = "Sint-Niklaas"
    postcode = "9100"
    kbo_number = ""

    class Params:
        with_kbo = factory.Trait(kbo_number="0123456749")


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Netwerk {n}")
    kind = Network.Kind.RTJ
    region = factory.SubFactory(RegionFactory)
    area = "Regio Waas en Dender"
    started_on = datetime.date(2015, 1, 1)

    class Params:
        crisis = factory.Trait(kind=Network.Kind.CRISIS)
        detention = factory.Trait(kind=Network.Kind.DETENTION)


class NetworkMembershipFactory(DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    since = datetime.date(2020, 1, 1)
    # Most test organisations take part in the draaiboek; tests of the broad entry say otherwise.
    is_broad_entry = True

    class Params:
        ended = factory.Trait(until=datetime.date(2021, 1, 1))


class BodyFactory(DjangoModelFactory):
    class Meta:
        model = Body

    network = factory.SubFactory(NetworkFactory)
    kind = Body.Kind.STEERING_GROUP
    name = factory.Sequence(lambda n: f"Stuurgroep {n}")


class MembershipFactory(DjangoModelFactory):
    """A person's role in a network (default: steering member)."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.STEERING_MEMBER
    network = factory.SubFactory(NetworkFactory)
    region = None
    since = datetime.date(2020, 1, 1)

    class Params:
        coordinator = factory.Trait(role=Membership.Role.COORDINATOR)
        chair = factory.Trait(role=Membership.Role.CHAIR)
        expired = factory.Trait(since=datetime.date(2019, 1, 1), until=datetime.date(2020, 12, 31))
        # Regional staff hold their role for a region, not a network.
        regional_staff = factory.Trait(
            role=Membership.Role.STAFF, network=None, region=factory.SubFactory(RegionFactory)
        )


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    actor = factory.SubFactory(UserFactory)
    actor_label = factory.LazyAttribute(lambda event: event.actor.username)
    action = "test.happened"
    object_type = "networks.network"
    object_id = "1"


class WorkerPingFactory(DjangoModelFactory):
    class Meta:
        model = WorkerPing

    requested_by = factory.SubFactory(UserFactory)


# --- steering ---------------------------------------------------------------------------------


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    network = factory.SelfAttribute("body.network")
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(hour=14, minute=0, second=0, microsecond=0)
    )
    location = "Stadhuis Sint-Niklaas, zaal 2"


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agendapunt {n}")


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    organisation = None
    status = Attendance.Status.INVITED

    class Params:
        present = factory.Trait(status=Attendance.Status.PRESENT)
        mandated = factory.Trait(holds_mandate=True)


class MinutesFactory(DjangoModelFactory):
    class Meta:
        model = Minutes

    meeting = factory.SubFactory(MeetingFactory)
    version = 1
    text = "Verslag van de vergadering."

    class Params:
        circulated = factory.Trait(status=Minutes.Status.CIRCULATED)
        approved = factory.Trait(
            status=Minutes.Status.APPROVED, approved_at=factory.LazyFunction(timezone.now)
        )


class DecisionFactory(DjangoModelFactory):
    class Meta:
        model = Decision

    agenda_item = factory.SubFactory(AgendaItemFactory)
    text = "De kerngroep keurt het voorstel goed."


class ActionItemFactory(DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory)
    network = factory.SelfAttribute("meeting.network")
    title = factory.Sequence(lambda n: f"Actie {n}")
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))

    class Params:
        overdue = factory.Trait(
            due_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
        )


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    network = factory.SubFactory(NetworkFactory)
    kind = Goal.Kind.END_GOAL
    title = factory.Sequence(lambda n: f"Doel {n}")

    class Params:
        operational = factory.Trait(
            kind=Goal.Kind.OPERATIONAL,
            parent=factory.SubFactory(
                "tests.factories.GoalFactory", network=factory.SelfAttribute("..network")
            ),
            indicator="Aantal aanvragen cliëntoverleg",
            target_value=40,
            deadline=datetime.date(2027, 6, 30),
        )


class GoalProgressFactory(DjangoModelFactory):
    class Meta:
        model = GoalProgress

    goal = factory.SubFactory(GoalFactory, operational=True)
    measured_on = factory.LazyFunction(timezone.localdate)
    value = 10


class AgreementFactory(DjangoModelFactory):
    class Meta:
        model = Agreement

    network = factory.SubFactory(NetworkFactory)
    kind = Agreement.Kind.PROTOCOL
    title = factory.Sequence(lambda n: f"Samenwerkingsprotocol {n}")
    valid_from = datetime.date(2024, 1, 1)


class AgreementSignatoryFactory(DjangoModelFactory):
    class Meta:
        model = AgreementSignatory

    agreement = factory.SubFactory(AgreementFactory)
    organisation = factory.LazyAttribute(
        lambda signatory: NetworkMembershipFactory(network=signatory.agreement.network).organisation
    )
    signed_on = datetime.date(2024, 1, 15)


class CriterionFactory(DjangoModelFactory):
    """Criteria are seeded by a migration; the factory finds them by code."""

    class Meta:
        model = Criterion
        django_get_or_create = ["code"]

    code = "vertrouwen"
    name = "Vertrouwen"
    dimension = Criterion.Dimension.RELATIONAL


class SelfAssessmentRoundFactory(DjangoModelFactory):
    class Meta:
        model = SelfAssessmentRound

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Zelfevaluatie {n}")
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))

    class Params:
        closed = factory.Trait(closed_at=factory.LazyFunction(timezone.now))


class ScoreFactory(DjangoModelFactory):
    class Meta:
        model = Score

    round = factory.SubFactory(SelfAssessmentRoundFactory)
    criterion = factory.SubFactory(CriterionFactory)
    respondent = factory.SubFactory(UserFactory)
    value = 3


# --- instruments ------------------------------------------------------------------------------


class InstrumentFactory(DjangoModelFactory):
    class Meta:
        model = Instrument

    network = factory.SubFactory(NetworkFactory)
    kind = Instrument.Kind.CLIENT_CONFERENCE
    name = factory.Sequence(lambda n: f"Instrument {n}")
    binding = Instrument.Binding.MANDATORY
    origin = Instrument.Origin.FLEMISH
    version = "1.0"


def life_domain(code: str = "family") -> LifeDomain:
    """Life domains are seeded by a migration; tests pick one by code."""
    return LifeDomain.objects.get(code=code)


class ReferralAgreementFactory(DjangoModelFactory):
    class Meta:
        model = ReferralAgreement
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    title = factory.Sequence(lambda n: f"Verwijsafspraak {n}")
    receiving_organisation = factory.SubFactory(OrganisationFactory)
    offer = "Contextbegeleiding"
    target_group = "Gezinnen met kinderen van 0 tot 12 jaar"
    contact_point = "Onthaal, elke werkdag 9–12 u"
    valid_from = datetime.date(2024, 1, 1)

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        if create and extracted:
            self.domains.set(extracted)

    @factory.post_generation
    def referring(self, create, extracted, **kwargs):
        if create and extracted:
            self.referring_organisations.set(extracted)


class ReferralAreaFactory(DjangoModelFactory):
    class Meta:
        model = ReferralArea

    agreement = factory.SubFactory(ReferralAgreementFactory)
    postcode_from = 9100
    postcode_to = 9199


class ReferralAgreementSignatoryFactory(DjangoModelFactory):
    class Meta:
        model = ReferralAgreementSignatory

    agreement = factory.SubFactory(ReferralAgreementFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    signed_on = datetime.date(2024, 1, 1)


class PlaybookFactory(DjangoModelFactory):
    class Meta:
        model = Playbook

    network = factory.SubFactory(NetworkFactory)
    title = "Draaiboek brede instap"
    version = factory.Sequence(lambda n: f"1.{n}")
    status = Playbook.Status.PUBLISHED
    published_on = datetime.date(2024, 1, 1)


class PlaybookStepFactory(DjangoModelFactory):
    class Meta:
        model = PlaybookStep

    playbook = factory.SubFactory(PlaybookFactory)
    kind = PlaybookStep.Kind.RECEPTION
    order = 2


class PlaybookTaskFactory(DjangoModelFactory):
    class Meta:
        model = PlaybookTask

    step = factory.SubFactory(PlaybookStepFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Taak {n}")
    expected_result = "De vraag is helder voor jongere, ouders en hulpverlener."
    quality_check = "Staat de vraag in de woorden van de jongere in het dossier?"


class PlaybookAdoptionFactory(DjangoModelFactory):
    class Meta:
        model = PlaybookAdoption

    playbook = factory.SubFactory(PlaybookFactory)
    network = factory.SelfAttribute("playbook.network")
    organisation = factory.SubFactory(OrganisationFactory)
    started_on = datetime.date(2025, 3, 1)


class TaskCheckFactory(DjangoModelFactory):
    class Meta:
        model = TaskCheck

    adoption = factory.SubFactory(PlaybookAdoptionFactory)
    task = factory.SubFactory(PlaybookTaskFactory)
    rating = TaskCheck.Rating.PARTLY


class ImprovementActionFactory(DjangoModelFactory):
    class Meta:
        model = ImprovementAction

    adoption = factory.SubFactory(PlaybookAdoptionFactory)
    level = ImprovementAction.Level.ORGANISATION
    description = factory.Sequence(lambda n: f"Verbeteractie {n}")


# --- cases --------------------------------------------------------------------------------------


class ClientFactory(DjangoModelFactory):
    class Meta:
        model = Client

    first_name = "Lotte"
    last_name = factory.Sequence(lambda n: f"Vermeersch{n}")
    birth_date = datetime.date(2011, 4, 9)
    birth_year = 2011
    gender = Client.Gender.FEMALE
    postcode = "9100"


class CaseFactory(DjangoModelFactory):
    """A case with its lead organisation on the team. ``team=[org, user, ...]`` adds more rows."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    network = factory.SubFactory(NetworkFactory)
    client = factory.SubFactory(ClientFactory)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    opened_on = datetime.date(2026, 1, 5)
    summary = "Lotte loopt vast op school en thuis."

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if not create:
            return
        CaseTeamMember.objects.create(
            case=self,
            organisation=self.lead_organisation,
            role=CaseTeamMember.Role.LEAD,
            since=self.opened_on,
        )
        for member in extracted or ():
            if isinstance(member, Organisation):
                CaseTeamMember.objects.create(case=self, organisation=member, since=self.opened_on)
            else:  # a user: on the team by name, for the lead organisation
                CaseTeamMember.objects.create(
                    case=self, organisation=self.lead_organisation, user=member, since=self.opened_on
                )


class CaseTeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = CaseTeamMember

    case = factory.SubFactory(CaseFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    since = datetime.date(2026, 1, 5)


class ConsentFactory(DjangoModelFactory):
    """Consent by a parent for everything, naming ``organisations``."""

    class Meta:
        model = Consent
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    basis = Consent.Basis.CONSENT
    given_by = Consent.GivenBy.PARENT
    giver_name = "Moeder"
    covers_case_team = True
    covers_referrals = True
    covers_conference = True
    data_fields = factory.LazyFunction(lambda: [DataField.NAME, DataField.BIRTH_DATE, DataField.QUESTION])
    given_on = datetime.date(2026, 1, 6)
    evidence_note = "Mondeling gegeven in het gesprek van 6/1, formulier volgt."
    legal_ground = factory.Maybe("by_legal_ground", "Beschikking jeugdrechter", "")

    class Params:
        withdrawn = factory.Trait(withdrawn_on=datetime.date(2026, 2, 1))
        by_legal_ground = factory.Trait(
            basis=Consent.Basis.LEGAL_GROUND,
            given_by="",
            legal_ground="Beschikking jeugdrechter",
            evidence_note="",
        )

    @factory.post_generation
    def organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisations.set(extracted)


class TimelineEventFactory(DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    case = factory.SubFactory(CaseFactory)
    kind = TimelineEvent.Kind.UPDATED


class ClientConferenceFactory(DjangoModelFactory):
    class Meta:
        model = ClientConference

    case = factory.SubFactory(CaseFactory)
    network = factory.SelfAttribute("case.network")
    requested_by = factory.SubFactory(UserFactory)
    requesting_organisation = factory.SelfAttribute("case.lead_organisation")
    requested_on = datetime.date(2026, 1, 10)
    question = "Hoe krijgen we school, thuis en hulp weer op één lijn?"
    complexity = "Drie diensten, geen gedeeld plan, spijbelen en conflicten thuis."
    involved = "Moeder, vader, CLB, CGG, school"
    consent = factory.SubFactory(ConsentFactory, case=factory.SelfAttribute("..case"))

    class Params:
        admissible = factory.Trait(
            status=ClientConference.Status.ADMISSIBLE,
            decided_on=datetime.date(2026, 1, 15),
            admissibility_reason="Complexe situatie, meerdere sectoren.",
        )


class ConferenceSessionFactory(DjangoModelFactory):
    class Meta:
        model = ConferenceSession

    conference = factory.SubFactory(ClientConferenceFactory, admissible=True)
    kind = ConferenceSession.Kind.FIRST
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    )
    location = "CLB Sint-Niklaas, lokaal 3"


class SessionInvitationFactory(DjangoModelFactory):
    class Meta:
        model = SessionInvitation

    session = factory.SubFactory(ConferenceSessionFactory)
    kind = SessionInvitation.Kind.PROFESSIONAL
    name = factory.Sequence(lambda n: f"Hulpverlener {n}")
    bound_by_secrecy = True


class CarePlanItemFactory(DjangoModelFactory):
    class Meta:
        model = CarePlanItem

    made_in = factory.SubFactory(ConferenceSessionFactory)
    conference = factory.SelfAttribute("made_in.conference")
    domain = factory.LazyFunction(life_domain)
    description = "Wekelijks gesprek met de leerlingbegeleider"
    owner_label = "Leerlingbegeleider"
    due_on = datetime.date(2026, 3, 1)


class ConferenceEvaluationFactory(DjangoModelFactory):
    class Meta:
        model = ConferenceEvaluation

    conference = factory.SubFactory(ClientConferenceFactory)
    respondent = ConferenceEvaluation.Respondent.CHAIR
    heard = 4
    clear_agreements = 4
    helped = 3
    would_recommend = 4


class ReferralFactory(DjangoModelFactory):
    class Meta:
        model = Referral

    case = factory.SubFactory(CaseFactory)
    network = factory.SelfAttribute("case.network")
    from_organisation = factory.SelfAttribute("case.lead_organisation")
    to_organisation = factory.SubFactory(OrganisationFactory)
    consent = factory.SubFactory(ConsentFactory, case=factory.SelfAttribute("..case"))
    question = "Contextbegeleiding voor het gezin."
    sent_on = datetime.date(2026, 1, 20)
    sent_by = factory.SubFactory(UserFactory)
    outside_agreement = True


class CaseDocumentFactory(DjangoModelFactory):
    class Meta:
        model = CaseDocument

    case = factory.SubFactory(CaseFactory)
    kind = CaseDocument.Kind.CONFERENCE_REQUEST
    source = factory.Sequence(lambda n: f"conference:{n}")
