"""Issue 20 §6 on the home page: the trajectbegeleider's caseload with the upcoming releases (the
three-month warning marked), the organisatieondersteuner's offer with free places and waiting
lists; nothing (and no query) for the other personas."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import Client
from cases.services import detention as services
from instruments import services_offer
from tests.factories_detention import ActivityFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 10, 5)
# The home page of someone without these roles (tests/ijh/test_views.py): session, user, one
# query per dashboard part, the session saved again.
BASE_HOME_QUERIES = 15


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 10, 5, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _register(prison, jww, guide, n, release):
    return [
        services.register_detainee(
            client=Client(first_name=f"Naam{i}", last_name="Geheim"),
            network=prison,
            organisation=jww,
            by=guide.user,
            planned_release_on=release,
        )
        for i in range(n)
    ]


def test_guide_sees_caseload_and_upcoming_releases(client, prison, jww, guide, django_assert_num_queries):
    soon = _register(prison, jww, guide, 1, DAY + datetime.timedelta(days=60))[0]
    later = _register(prison, jww, guide, 1, DAY + datetime.timedelta(days=150))[0]
    far = _register(prison, jww, guide, 1, DAY + datetime.timedelta(days=400))[0]
    _register(prison, jww, guide, 1, None)
    client.force_login(guide.user)
    client.get(reverse("home"))
    # the base, plus three for the trajectbegeleider: the caseload's counts, the next releases,
    # the transfers to decide
    with django_assert_num_queries(BASE_HOME_QUERIES + 3):
        page = client.get(reverse("home")).content.decode()
    assert "4 lopende begeleidingen" in page
    assert "1 vrijlating binnen drie maanden" in page
    assert soon.case.client.pseudonym in page and later.case.client.pseudonym in page
    assert far.case.client.pseudonym not in page  # beyond six months
    assert page.count("binnen drie maanden: voorbereiding starten") == 1
    assert "Geheim" not in page  # pseudonyms only on the home page
    _register(prison, jww, guide, 5, DAY + datetime.timedelta(days=30))
    with django_assert_num_queries(BASE_HOME_QUERIES + 3):
        page = client.get(reverse("home")).content.decode()
    assert "6 vrijlatingen binnen drie maanden" in page


def test_offer_coordinator_sees_free_places_and_waiting_lists(
    client, prison, provider, offer_coordinator, django_assert_num_queries
):
    full = ActivityFactory(network=prison, provider=provider, title="Zaalvoetbal", places=2)
    ActivityFactory(network=prison, provider=provider, title="Schilderen", places=5)
    ActivityFactory(network=prison, provider=provider, title="Voorbij", ends_on=datetime.date(2026, 9, 30))
    for code in ("GD-0001", "GD-0002", "GD-0003", "GD-0004"):
        services_offer.enrol(activity=full, detainee_code=code, by=offer_coordinator.user)
    client.force_login(offer_coordinator.user)
    client.get(reverse("home"))
    with django_assert_num_queries(BASE_HOME_QUERIES + 1):  # the running activities with their counts
        page = client.get(reverse("home")).content.decode()
    assert "vrije plaatsen en wachtlijsten" in page
    assert f'data-free="{full.pk}">0<' in page and f'data-waiting="{full.pk}">2<' in page
    assert "Schilderen" in page and "Voorbij" not in page
    assert "5 vrije plaatsen · 2 op een wachtlijst" in page
    assert "GD-0001" not in page  # counts, no detainee codes
    ActivityFactory.create_batch(4, network=prison, provider=provider)
    with django_assert_num_queries(BASE_HOME_QUERIES + 1):
        client.get(reverse("home"))


def test_other_personas_get_neither_panel_and_no_query(
    client, prison, jww, guide, management, policy_officer, provider_rep, django_assert_num_queries
):
    _register(prison, jww, guide, 2, DAY + datetime.timedelta(days=30))
    ActivityFactory(network=prison, title="Zaalvoetbal")
    for persona in (management, policy_officer, provider_rep):
        client.force_login(persona.user)
        client.get(reverse("home"))
        with django_assert_num_queries(BASE_HOME_QUERIES):
            page = client.get(reverse("home")).content.decode()
        assert "Mijn caseload trajectbegeleiding" not in page
        assert "vrije plaatsen en wachtlijsten" not in page
