"""factory_boy factories for every model. Traits describe what matters in a test."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from ijh.models import AuditEvent, User, WorkerPing
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
