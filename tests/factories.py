"""factory_boy factories for every model. Traits describe what matters in a test."""

import datetime

import factory
from factory.django import DjangoModelFactory

from ijh.models import AuditEvent, User, WorkerPing
from networks.models import Body, Membership, Network, NetworkMembership, Organisation, Region, Sector


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
