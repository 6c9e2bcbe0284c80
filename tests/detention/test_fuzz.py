"""Property: whatever is POSTed to the detention views, never a 500, and a refused submission
(4xx) changes nothing in the offer's tables."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instruments.models import Activity, ActivitySession, Enrolment, OfferFolder, SecurityEvent
from tests.factories_detention import ActivityFactory

pytestmark = pytest.mark.django_db

FUZZED_URL_NAMES = {
    "instruments:activity-create",
    "instruments:activity-enrol",
    "instruments:enrolment-end",
    "instruments:security",
    "instruments:folder-create",
}

FUZZ = settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
GARBAGE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999",
            "NaN",
            "\x00",
            "a\x00b",
            "2026-02-30",
            "9999-12-31T23:59",
            "25:99",
            "GD-0001",
            "sport",
            "lockdown",
        ]
    ),
    st.dates().map(datetime.date.isoformat),
)
FIELDS = [
    "domain",
    "title",
    "provider",
    "target_group",
    "places",
    "weekday",
    "start_time",
    "end_time",
    "starts_on",
    "ends_on",
    "detainee_code",
    "kind",
    "starts_at",
    "ends_at",
    "note",
]
TABLES = [Activity, ActivitySession, Enrolment, SecurityEvent, OfferFolder]


def snapshot():
    return [list(model.objects.order_by("pk").values()) for model in TABLES]


@pytest.fixture
def targets(prison, provider):
    activity = ActivityFactory(network=prison, provider=provider, ends_on=datetime.date(2099, 1, 1))
    enrolment = Enrolment.objects.create(
        activity=activity,
        detainee_code="GD-0009",
        status="enrolled",
        requested_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    return [
        reverse("instruments:activity-create", args=[prison.pk]),
        reverse("instruments:activity-enrol", args=[activity.pk]),
        reverse("instruments:security", args=[prison.pk]),
        reverse("instruments:folder-create", args=[prison.pk]),
        reverse("instruments:enrolment-end", args=[enrolment.pk]),
    ]


@FUZZ
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, GARBAGE)), which=st.integers(0, 4))
def test_posts_never_500(client, targets, offer_coordinator, fake_broker, data, which):
    client.force_login(offer_coordinator.user)
    before = snapshot()
    response = client.post(targets[which], data)
    assert response.status_code < 500
    if 400 <= response.status_code < 500:
        assert snapshot() == before
