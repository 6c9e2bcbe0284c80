"""Case personas (DESIGN.md §2, §5). ``network``, ``member`` (steering), ``manager`` (coordinator =
organising cell), ``regional_staff`` and ``outsider`` come from tests/conftest.py."""

import pytest

from networks.models import Membership

from ..conftest import Persona
from ..factories import (
    CaseFactory,
    ClientConferenceFactory,
    ConsentFactory,
    MembershipFactory,
    NetworkMembershipFactory,
    UserFactory,
)


@pytest.fixture
def case_organisation(network):
    return NetworkMembershipFactory(network=network, organisation__name="CLB Waasland").organisation


@pytest.fixture
def partner_organisation(network):
    """Another member organisation of the network, not (yet) on the case team."""
    return NetworkMembershipFactory(network=network, organisation__name="CGG Waas en Dender").organisation


@pytest.fixture
def caseworker(network, case_organisation) -> Persona:
    """A caseworker of the case's lead organisation: on the team through that organisation."""
    user = UserFactory(username="hulpverlener", first_name="Hanne", last_name="Hulp")
    MembershipFactory(
        user=user, network=network, role=Membership.Role.CASEWORKER, organisation=case_organisation
    )
    return Persona(user)


@pytest.fixture
def other_caseworker(network, partner_organisation) -> Persona:
    """A caseworker in the same network, for an organisation that is not on the case team."""
    # Fixed names: a random first name could be the client's and fool the "name not shown" checks.
    user = UserFactory(username="andere-hulpverlener", first_name="Wout", last_name="Ontvanger")
    MembershipFactory(
        user=user, network=network, role=Membership.Role.CASEWORKER, organisation=partner_organisation
    )
    return Persona(user)


@pytest.fixture
def case(network, case_organisation, caseworker):
    return CaseFactory(
        network=network,
        lead_organisation=case_organisation,
        team=[caseworker.user],
        client__first_name="Lotte",
        client__last_name="Vermeersch",
    )


@pytest.fixture
def consent(case, case_organisation, partner_organisation):
    return ConsentFactory(case=case, organisations=[case_organisation, partner_organisation])


@pytest.fixture
def conference_chair(network) -> Persona:
    user = UserFactory(username="voorzitter-co", first_name="Chris", last_name="Voorzitter")
    MembershipFactory(user=user, network=network, role=Membership.Role.CHAIRPERSON_EXTERNAL)
    return Persona(user)


@pytest.fixture
def conference(case, consent, caseworker, conference_chair):
    return ClientConferenceFactory(
        case=case, consent=consent, requested_by=caseworker.user, admissible=True, chair=conference_chair.user
    )


@pytest.fixture
def superuser(db) -> Persona:
    """Operations only: no back door to case data in the UI (DESIGN.md §2)."""
    return Persona(UserFactory(username="root", is_superuser=True, is_staff=True))
