"""Instrument fixtures. Personas (network, member, manager, regional_staff, outsider) come from
tests/conftest.py; ``member`` is a steering member representing ``member_organisation``."""

import datetime

import pytest

from instruments.demo import ensure_flemish_playbook
from instruments.models import Playbook, PlaybookAdoption, PlaybookStep
from tests.factories import (
    InstrumentFactory,
    NetworkMembershipFactory,
    PlaybookAdoptionFactory,
    PlaybookFactory,
    PlaybookStepFactory,
    PlaybookTaskFactory,
    ReferralAgreementFactory,
    ReferralAreaFactory,
    life_domain,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def receiving_organisation(network):
    return NetworkMembershipFactory(network=network, organisation__name="CKG De Zonnewijzer").organisation


@pytest.fixture
def instrument(network):
    return InstrumentFactory(network=network, name="Cliëntoverleg (netwerktafel)")


@pytest.fixture
def agreement(network, receiving_organisation, member_organisation):
    agreement = ReferralAgreementFactory(
        network=network,
        title="Verwijsafspraak mobiele opvoedingsondersteuning",
        receiving_organisation=receiving_organisation,
        offer="Mobiele opvoedingsondersteuning",
        target_group="Gezinnen met kinderen van 0 tot 12 jaar",
        age_min=0,
        age_max=12,
        domains=[life_domain("family")],
        referring=[member_organisation],
        letter_requirements="De hulpvraag in de woorden van het gezin.",
    )
    ReferralAreaFactory(agreement=agreement, postcode_from=9100, postcode_to=9190)
    return agreement


@pytest.fixture
def flemish_playbook(db) -> Playbook:
    return ensure_flemish_playbook()


@pytest.fixture
def draft_playbook(network) -> Playbook:
    """A draft version of the network itself, with two steps and a task each."""
    playbook = PlaybookFactory(network=network, version="2", status=Playbook.Status.DRAFT, published_on=None)
    reception = PlaybookStepFactory(playbook=playbook, kind=PlaybookStep.Kind.RECEPTION, order=2)
    dispatching = PlaybookStepFactory(playbook=playbook, kind=PlaybookStep.Kind.DISPATCHING, order=6)
    PlaybookTaskFactory(step=reception, order=1, title="Elke aanmelding binnen vijf werkdagen beantwoorden")
    PlaybookTaskFactory(step=dispatching, order=1, title="Warme overdracht organiseren")
    return playbook


@pytest.fixture
def adoption(network, member_organisation, flemish_playbook, member) -> PlaybookAdoption:
    return PlaybookAdoptionFactory(
        network=network,
        organisation=member_organisation,
        playbook=flemish_playbook,
        performed_by=member.user,
        started_on=datetime.date(2026, 1, 5),
    )
