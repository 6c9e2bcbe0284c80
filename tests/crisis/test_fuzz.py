"""Property: whatever is POSTed to the crisis views (by people who reach every form), never a 500,
and a refused submission (4xx) changes nothing in the crisis tables."""

import datetime
import os

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import (
    Case,
    CaseTeamMember,
    Client,
    Consent,
    CrisisCall,
    CrisisConflict,
    CrisisEpisode,
    CrisisStep,
)
from cases.services import crisis as crisis_services
from instruments.crisis_models import CrisisCapacityShare, CrisisProgramme, CrisisProvider, OnCallShift

from .conftest import build_crisis_world

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "15")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GARBAGE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        ["", " ", "0", "-1", "1", "101", "999999999999999999999", "NaN", "\x00", "😀" * 50, "²", "on"]
    ),
    st.sampled_from(
        ["2026-02-30T10:00", "0001-01-01T00:00", "9999-12-31T23:59", "2026-12-01T08:00", "31/12/2026"]
    ),
    st.dates().map(datetime.date.isoformat),
)
TABLES = [
    CrisisProgramme,
    CrisisCapacityShare,
    CrisisProvider,
    OnCallShift,
    CrisisCall,
    CrisisEpisode,
    CrisisStep,
    CrisisConflict,
    Case,
    CaseTeamMember,
    Consent,
    Client,
]


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in TABLES]


@pytest.fixture
def world(db):
    return build_crisis_world()


@pytest.fixture
def programme_targets(world):
    return _programme_targets(world)


@pytest.fixture
def episode_targets(world):
    return _episode_targets(world)


def _programme_targets(world):
    n = world.network.pk
    shares = [f"share_{s.sector_id}" for s in world.programme.capacity_shares.all()]
    shift = OnCallShift.objects.create(
        programme=world.programme,
        name="An",
        phone="1",
        starts_at=datetime.datetime(2026, 12, 1, 8, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2026, 12, 2, 8, tzinfo=datetime.UTC),
    )
    provider_fields = [
        "organisation",
        "step",
        "contact_line",
        "email",
        "places",
        "reserved_places",
        "is_active",
    ]
    return [
        (
            world.coordinator,
            reverse("instruments:crisis-programme-edit", args=[n]),
            [
                "meldpunt_organisation",
                "meldpunt_phone",
                "guidance_limit_days",
                "shelter_limit_days",
                "shelter_extension_days",
                "forfait_intervention",
                "forfait_guidance",
                "forfait_shelter",
                *shares,
            ],
        ),
        (world.coordinator, reverse("instruments:crisis-provider-create", args=[n]), provider_fields),
        (
            world.coordinator,
            reverse("instruments:crisis-provider-edit", args=[world.shelter.pk]),
            provider_fields,
        ),
        (
            world.provider_worker,
            reverse("instruments:crisis-provider-edit", args=[world.shelter.pk]),
            provider_fields,
        ),
        (
            world.coordinator,
            reverse("instruments:crisis-shift-create", args=[n]),
            ["person", "name", "phone", "starts_at", "ends_at"],
        ),
        (world.coordinator, reverse("instruments:crisis-shift-delete", args=[shift.pk]), ["x"]),
        (world.coordinator, reverse("instruments:crisis-programme-setup", args=[n]), ["x"]),
    ]


@FUZZ
@given(data=st.data(), htmx=st.booleans())
def test_programme_views_survive_any_post(client, programme_targets, data, htmx):
    user, url, names = data.draw(st.sampled_from(programme_targets))
    client.force_login(user)
    body = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(names, GARBAGE)))
    before = snapshot()
    with transaction.atomic():
        response = client.post(url, body, headers={"HX-Request": "true"} if htmx else {})
        after = snapshot()
        transaction.set_rollback(True)
    assert response.status_code < 500, (url, body)
    if 400 <= response.status_code < 500:
        assert after == before, (url, body)


def _episode_targets(world):
    import uuid

    from django.utils import timezone

    now = timezone.now()
    call, _created = crisis_services.register_call(
        programme=world.programme,
        by=world.meldpunt,
        token=uuid.uuid4(),
        received_at=now - datetime.timedelta(hours=1),
        caller="parent",
        urgency="now",
        question="Vraag",
        admissible=True,
        outcome="dispatched",
        provider=world.intervention,
        handed_over_at=now - datetime.timedelta(minutes=30),
    )
    episode = call.episode
    shelter = crisis_services.start_step(
        episode=episode, kind="shelter", provider=world.shelter, started_at=now, by=world.meldpunt
    )
    conflict = crisis_services.raise_conflict(
        episode=episode,
        kind="shelter",
        first_organisation=world.shelter.organisation,
        second_organisation=world.guidance.organisation,
        question="Wie?",
        by=world.meldpunt,
    )
    n = world.network.pk
    return [
        (
            world.meldpunt,
            reverse("cases:crisis-call-create", args=[n]),
            [
                "token",
                "received_at",
                "caller",
                "urgency",
                "question",
                "admissible",
                "outcome",
                "provider",
                "handed_over_at",
                "referred_to",
            ],
        ),
        (
            world.meldpunt,
            reverse("cases:crisis-step-start", args=[episode.pk]),
            ["kind", "provider", "started_at"],
        ),
        (
            world.provider_worker,
            reverse("cases:crisis-step-end", args=[shelter.pk]),
            [f"end-{shelter.pk}-ended_at"],
        ),
        (
            world.provider_worker,
            reverse("cases:crisis-step-extend", args=[shelter.pk]),
            [f"extend-{shelter.pk}-extension_reason"],
        ),
        (world.meldpunt, reverse("cases:crisis-episode-close", args=[episode.pk]), ["outcome", "closed_at"]),
        (
            world.meldpunt,
            reverse("cases:crisis-conflict-create", args=[episode.pk]),
            [
                "conflict-kind",
                "conflict-first_organisation",
                "conflict-second_organisation",
                "conflict-question",
            ],
        ),
        (
            world.provider_worker,
            reverse("cases:crisis-case-open", args=[episode.pk]),
            [
                "case-lead_organisation",
                "case-basis",
                "case-given_by",
                "case-given_on",
                "case-evidence_note",
                "case-legal_ground",
                "case-first_name",
                "case-last_name",
                "case-birth_year",
            ],
        ),
        (world.meldpunt, reverse("cases:crisis-case-link", args=[episode.pk]), ["link-reference"]),
        (
            world.coordinator,
            reverse("cases:crisis-conflict-resolve", args=[conflict.pk]),
            [f"resolve-{conflict.pk}-resolution", f"resolve-{conflict.pk}-note"],
        ),
    ]


@FUZZ
@given(data=st.data(), htmx=st.booleans())
def test_episode_views_survive_any_post(client, episode_targets, data, htmx):
    user, url, names = data.draw(st.sampled_from(episode_targets))
    client.force_login(user)
    body = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(names, GARBAGE)))
    before = snapshot()
    with transaction.atomic():
        response = client.post(url, body, headers={"HX-Request": "true"} if htmx else {})
        after = snapshot()
        transaction.set_rollback(True)
    assert response.status_code < 500, (url, body)
    if 400 <= response.status_code < 500:
        assert after == before, (url, body)


FUZZED_URL_NAMES = {
    "cases:crisis-call-create",
    "cases:crisis-step-start",
    "cases:crisis-step-end",
    "cases:crisis-step-extend",
    "cases:crisis-episode-close",
    "cases:crisis-conflict-create",
    "cases:crisis-conflict-resolve",
    "cases:crisis-case-open",
    "cases:crisis-case-link",
    "instruments:crisis-programme-edit",
    "instruments:crisis-provider-create",
    "instruments:crisis-provider-edit",
    "instruments:crisis-shift-create",
    "instruments:crisis-shift-delete",
    "instruments:crisis-programme-setup",
}
GET_ONLY_URL_NAMES = {
    "instruments:crisis-programme",
    "cases:crisis-meldpunt",
    "cases:crisis-board",
    "cases:crisis-episode",
    "cases:crisis-my-steps",
    "cases:crisis-forfaits",
    "cases:crisis-conflicts",
}
