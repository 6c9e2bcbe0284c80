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
    "cases:guidance-register",
    "cases:guidance-goal",
    "cases:guidance-activity",
    "cases:guidance-outside",
    "cases:guidance-release",
    "cases:guidance-transfer",
    "cases:guidance-end",
    "cases:transfer-decide",
    "cases:guidance-goal-outcome",
    "cases:guidance-transfer-withdraw",
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


CASE_FIELDS = [
    "first_name",
    "last_name",
    "birth_year",
    "gender",
    "question",
    "planned_release_on",
    "domain",
    "text",
    "after_release",
    "activity",
    "service",
    "note",
    "to_network",
    "transfer_on",
    "reason",
    "decision",
    "refusal_reason",
    "network",
    "status",
    "on",
]


def case_snapshot():
    from cases.models import Case, Client, Guidance, GuidanceReferral, PlanGoal, TimelineEvent, Transfer

    return [
        list(model.objects.order_by("pk").values())
        for model in (Case, Client, Guidance, GuidanceReferral, PlanGoal, TimelineEvent, Transfer, Enrolment)
    ]


@pytest.fixture
def case_targets(prison, jww, guide, other_prison, other_jww, other_guide, provider):
    from cases.models import Client
    from cases.services import detention as guidance_services
    from instruments.models import LifeDomain
    from instruments.reference_data import ensure
    from tests.factories import ConsentFactory

    ensure(LifeDomain)
    ActivityFactory(network=prison, provider=provider, ends_on=datetime.date(2099, 1, 1))
    guidance = guidance_services.register_detainee(
        client=Client(first_name="A", last_name="B"), network=prison, organisation=jww, by=guide.user
    )
    other = guidance_services.register_detainee(
        client=Client(first_name="C", last_name="D"), network=prison, organisation=jww, by=guide.user
    )
    ConsentFactory(case=other.case, organisations=[jww, other_jww])
    transfer = guidance_services.propose_transfer(
        guidance=other, to_network=other_prison, transfer_on=datetime.date.today(), reason="", by=guide.user
    )
    paths = [
        (guide, reverse("cases:guidance-register")),
        (guide, reverse("cases:transfer-decide", args=[transfer.pk])),
    ]
    for name in ("goal", "activity", "outside", "release", "transfer", "end"):
        paths.append((guide, reverse(f"cases:guidance-{name}", args=[guidance.pk])))
    paths.append((other_guide, reverse("cases:transfer-decide", args=[transfer.pk])))
    goal = guidance_services.add_plan_goal(
        guidance=guidance, domain=LifeDomain.objects.first(), text="Werk", after_release=False, by=guide.user
    )
    paths.append((guide, reverse("cases:guidance-goal-outcome", args=[goal.pk])))
    paths.append((guide, reverse("cases:guidance-transfer-withdraw", args=[other.pk])))
    return paths


@FUZZ
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(CASE_FIELDS, GARBAGE)), which=st.integers(0, 10))
def test_guidance_posts_never_500(client, case_targets, data, which):
    persona, path = case_targets[which]
    client.force_login(persona.user)
    before = case_snapshot()
    response = client.post(path, data)
    assert response.status_code < 500
    if 400 <= response.status_code < 500:
        assert case_snapshot() == before
