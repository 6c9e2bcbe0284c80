"""A prison network with its people (issue 20): the beleidsmedewerker, the organisatieondersteuner,
a trajectbegeleider, a provider's representative, a steering member (prison management sits in the
PMD as a steering member), and a second prison with its own trajectbegeleider."""

import pytest

from networks.models import Membership, Network
from tests.conftest import Persona
from tests.factories import MembershipFactory, NetworkFactory, NetworkMembershipFactory, RegionFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def prison(db) -> Network:
    return NetworkFactory(
        name="Gevangenis Testgem", detention=True, region=RegionFactory(code="oost-vlaanderen")
    )


@pytest.fixture
def other_prison(db) -> Network:
    return NetworkFactory(
        name="Gevangenis Elders", detention=True, region=RegionFactory(code="west-vlaanderen")
    )


@pytest.fixture
def jww(prison):
    return NetworkMembershipFactory(
        network=prison, organisation__name="CAW Testgem – gevangeniswerking"
    ).organisation


@pytest.fixture
def provider(prison):
    return NetworkMembershipFactory(network=prison, organisation__name="Sportdienst Testgem").organisation


@pytest.fixture
def other_jww(other_prison):
    return NetworkMembershipFactory(network=other_prison, organisation__name="CAW Elders").organisation


@pytest.fixture
def policy_officer(prison) -> Persona:
    return Persona(
        MembershipFactory(network=prison, role=Membership.Role.POLICY_OFFICER, user__username="beleid").user
    )


@pytest.fixture
def offer_coordinator(prison, jww) -> Persona:
    return Persona(
        MembershipFactory(
            network=prison, role=Membership.Role.OFFER_COORDINATOR, organisation=jww, user__username="orgond"
        ).user
    )


@pytest.fixture
def guide(prison, jww) -> Persona:
    return Persona(
        MembershipFactory(
            network=prison,
            role=Membership.Role.TRAJECTORY_GUIDE,
            organisation=jww,
            user__username="trajectb",
            user__first_name="Fatima",
            user__last_name="Bennani",
        ).user
    )


@pytest.fixture
def other_guide(other_prison, other_jww) -> Persona:
    return Persona(
        MembershipFactory(
            network=other_prison,
            role=Membership.Role.TRAJECTORY_GUIDE,
            organisation=other_jww,
            user__username="trajectb2",
        ).user
    )


@pytest.fixture
def provider_rep(prison, provider) -> Persona:
    return Persona(
        MembershipFactory(network=prison, organisation=provider, user__username="sportdienst").user
    )


@pytest.fixture
def management(prison) -> Persona:
    """Prison management: sits in the PMD, sees counts only."""
    return Persona(MembershipFactory(network=prison, user__username="directie").user)


@pytest.fixture
def prison_outsider(db) -> Persona:
    return Persona(MembershipFactory(user__username="buiten").user)
