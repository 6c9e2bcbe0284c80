# ruff: noqa: F811 (pm and referable are fixtures imported from .planmakers)
"""Property: whatever is POSTed to the planmaker views, never a 500, and a refused submission
(4xx) changes nothing (no trajectory, phase, plan item, bottleneck or timeline line)."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import SharedPlanItem, TimelineEvent, Trajectory
from cases.services import trajectories as services
from networks.models import Bottleneck

from ..factories import life_domain
from .planmakers import TODAY, accepted, pm, referable, referred  # noqa: F401

pytestmark = pytest.mark.django_db

FUZZED_URL_NAMES = {
    "cases:trajectory-create",
    "cases:trajectory-decide",
    "cases:trajectory-phase",
    "cases:trajectory-plan-add",
    "cases:trajectory-plan-item",
    "cases:trajectory-bottleneck",
    "cases:bottleneck-status",
}
GET_ONLY_URL_NAMES = {
    "cases:trajectory-list",
    "cases:trajectory-detail",
    "cases:bottleneck-list",
    "cases:bottleneck-detail",
}

FUZZ = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GARBAGE = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["", " ", "0", "-1", "999999999999999999999", "NaN", "\x00", "😀" * 50, "on"]),
    st.sampled_from(["2026-02-30", "0001-01-01", "9999-12-31", "31/12/2026", TODAY.isoformat()]),
)
FIELDS = [
    "referring_organisation", "network", "question", "in_facility_going_badly", "difficult_from_start",
    "involved", "referrer_engaged", "decision", "planmakers", "reason", "on", "seen_phase", "outcome",
    "outcome_note", "domain", "kind", "text", "owner", "due_on", "status", "existing", "title", "category",
    "level", "description", "concerns", "meeting", "findings", "passed_to", "answer",
]  # fmt: skip
BODY = st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, GARBAGE))


def snapshot():
    return (
        list(Trajectory.objects.order_by("pk").values_list("pk", "phase", "outcome")),
        list(SharedPlanItem.objects.order_by("pk").values_list("pk", "status", "due_on")),
        list(Bottleneck.objects.order_by("pk").values_list("pk", "status")),
        TimelineEvent.objects.count(),
    )


def post(client, url, data):
    before = snapshot()
    with transaction.atomic():
        response = client.post(url, data)
        changed = snapshot() != before
        transaction.set_rollback(True)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert not changed


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime.datetime.combine(TODAY, datetime.time(12, 0)), tick=False):
        yield


@pytest.fixture
def worked(referable, pm, caseworker):
    """A trajectory in the mandate phase with a plan item and a bottleneck, and a fresh aanmelding."""
    trajectory = accepted(referable, pm, caseworker)
    trajectory = services.move_phase(
        trajectory=trajectory, by=pm.planmaker, seen_phase="connecting", on=TODAY
    )
    item = services.add_plan_item(
        trajectory=trajectory,
        by=pm.planmaker,
        domain=life_domain(),
        kind="goal",
        text="D",
        owner="J",
        due_on=None,
    )
    bottleneck = services.signal_bottleneck(
        trajectory=trajectory, by=pm.planmaker, title="K", category="capacity", level="meso", description="Z"
    )
    Trajectory.objects.filter(pk=trajectory.pk).update(referred_on=datetime.date(2026, 1, 1))
    return trajectory, item, bottleneck


@FUZZ
@given(data=BODY)
def test_planmaker_posts_survive_anything(client, worked, pm, data):
    trajectory, item, _bottleneck = worked
    client.force_login(pm.planmaker)
    for name, args in (
        ("cases:trajectory-phase", [trajectory.pk]),
        ("cases:trajectory-plan-add", [trajectory.pk]),
        ("cases:trajectory-plan-item", [item.pk]),
        ("cases:trajectory-bottleneck", [trajectory.pk]),
    ):
        post(client, reverse(name, args=args), data)


@FUZZ
@given(data=BODY)
def test_coordinator_and_referrer_posts_survive_anything(client, worked, referable, pm, caseworker, data):
    _trajectory, _item, bottleneck = worked
    fresh = Trajectory.objects.create(
        case=referable, network=pm.network, referring_organisation=referable.lead_organisation,
        referred_by=caseworker.user, question="Q", involved="I", referrer_engaged=True,
        consent=referable.consents.first(), referred_on=datetime.date(2026, 1, 1),
    )  # fmt: skip
    client.force_login(pm.coordinator)
    post(client, reverse("cases:trajectory-decide", args=[fresh.pk]), data)
    post(client, reverse("cases:bottleneck-status", args=[bottleneck.pk]), data)
    client.force_login(caseworker.user)
    post(client, reverse("cases:trajectory-create", args=[referable.pk]), data)
