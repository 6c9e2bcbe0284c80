"""Praktijkoverleg (issue 18 §5): providers disagree on the next step; logged, escalated to the
core group, resolved once with a recorded outcome; the core group sees no client data."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CrisisConflict, TimelineEvent
from cases.services import crisis as services
from ijh.models import AuditEvent
from networks.models import Body, Membership
from tests.factories import BodyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode(crisis):
    now = timezone.now()
    call, _created = services.register_call(
        programme=crisis.programme,
        by=crisis.meldpunt,
        token=uuid.uuid4(),
        received_at=now - datetime.timedelta(hours=1),
        caller="police",
        urgency="now",
        question="Jongere van 14 op straat, vader weigert opvang.",
        admissible=True,
        outcome="dispatched",
        provider=crisis.intervention,
        handed_over_at=now - datetime.timedelta(minutes=20),
    )
    return call.episode


@pytest.fixture
def core_member(crisis):
    body = BodyFactory(network=crisis.network, kind=Body.Kind.CORE_GROUP, name="Kerngroep crisis")
    membership = MembershipFactory(network=crisis.network, role=Membership.Role.STEERING_MEMBER)
    membership.bodies.add(body)
    return membership.user


def test_conflict_goes_to_the_core_group_and_is_decided_once(client, crisis, episode, core_member):
    client.force_login(crisis.provider_worker)
    services.start_step(
        episode=episode,
        kind="shelter",
        provider=crisis.shelter,
        started_at=timezone.now(),
        by=crisis.meldpunt,
    )
    response = client.post(
        reverse("cases:crisis-conflict-create", args=[episode.pk]),
        {
            "conflict-kind": "guidance",
            "conflict-first_organisation": crisis.guidance.organisation_id,
            "conflict-second_organisation": crisis.shelter.organisation_id,
            "conflict-question": "Wie begeleidt na de opvang?",
        },
    )
    assert response.status_code == 302
    conflict = CrisisConflict.objects.get()
    # The core group's page: the organisations, no question, no pseudonym.
    client.force_login(core_member)
    page = client.get(reverse("cases:crisis-conflicts", args=[crisis.network.pk])).content.decode()
    assert "VAPH De Horizon" in page and "Wie begeleidt" not in page and episode.client.pseudonym not in page
    assert client.get(reverse("cases:crisis-episode", args=[episode.pk])).status_code == 404
    url = reverse("cases:crisis-conflict-resolve", args=[conflict.pk])
    body = {
        f"resolve-{conflict.pk}-resolution": "first",
        f"resolve-{conflict.pk}-note": "VAPH heeft een plaats.",
    }
    assert client.post(url, body).status_code == 302
    response = client.post(url, body, follow=True)
    assert "Over dit praktijkoverleg is al beslist." in response.content.decode()
    conflict.refresh_from_db()
    assert conflict.resolution == "first" and conflict.resolved_by == core_member
    assert AuditEvent.objects.filter(action="crisisconflict.resolved").count() == 1


def test_same_organisation_twice_is_refused_in_dutch(client, crisis, episode):
    client.force_login(crisis.meldpunt)
    response = client.post(
        reverse("cases:crisis-conflict-create", args=[episode.pk]),
        {
            "conflict-kind": "shelter",
            "conflict-first_organisation": crisis.shelter.organisation_id,
            "conflict-second_organisation": crisis.shelter.organisation_id,
            "conflict-question": "x",
        },
    )
    assert response.status_code == 422
    assert "Kies twee verschillende organisaties." in response.content.decode()
    assert not CrisisConflict.objects.exists()


def test_only_the_core_group_and_coordinators_decide(client, crisis, episode):
    conflict = services.raise_conflict(
        episode=episode,
        kind="shelter",
        first_organisation=crisis.shelter.organisation,
        second_organisation=crisis.guidance.organisation,
        question="x",
        by=crisis.meldpunt,
    )
    url = reverse("cases:crisis-conflicts", args=[crisis.network.pk])
    for user in (crisis.steering, crisis.meldpunt, crisis.provider_worker, crisis.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert (
            client.post(reverse("cases:crisis-conflict-resolve", args=[conflict.pk]), {}).status_code == 404
        )
    client.force_login(crisis.coordinator)
    assert client.get(url).status_code == 200
    assert not TimelineEvent.objects.exists()  # no case linked: audit only
