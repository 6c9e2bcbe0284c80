"""generate_scale's crisis rows (issue 18 §9): calls, episodes and steps written with COPY that the
pages and the constraints accept."""

import datetime
import zoneinfo

import pytest
from django.db.models import F

from cases.access import visible_crisis_calls
from cases.models import CrisisCall, CrisisEpisode, CrisisStep
from cases.scale_crisis import generate_crisis
from networks.models import Membership, Network
from tests.factories import MembershipFactory, NetworkFactory, NetworkMembershipFactory

pytestmark = pytest.mark.django_db


def test_generate_crisis_fills_every_crisis_network():
    network = NetworkFactory(name="Bench crisis 1", kind=Network.Kind.CRISIS)
    organisations = [NetworkMembershipFactory(network=network).organisation for _n in range(9)]
    MembershipFactory(network=network, role=Membership.Role.CASEWORKER, organisation=organisations[0])
    meldpunt = MembershipFactory(network=network, role=Membership.Role.MELDPUNT).user
    counts = generate_crisis(calls_per_year=200, seed=1)
    assert counts["crisis_calls"] == 200 == CrisisCall.objects.count()
    assert counts["crisis_episodes"] == CrisisEpisode.objects.count() > 50
    assert CrisisStep.objects.count() == counts["crisis_steps"]
    assert visible_crisis_calls(meldpunt).exists()
    # New rows after the COPY get fresh ids (sequences reset).
    top = max(CrisisCall.objects.values_list("pk", flat=True))
    call = CrisisCall.objects.create(
        network=network,
        programme=network.crisis_programme,
        received_at=CrisisCall.objects.first().received_at,
        caller="parent",
        question="x",
        admissible=False,
        outcome="meldpunt",
        registered_by=meldpunt,
    )
    assert call.pk > top


def test_a_set_made_late_in_the_evening_has_no_step_that_starts_after_now():
    # The Flanders set failed when made at 23:26: a call of the last hour got an intervention
    # that started after now and ended (clamped to now) before it started.
    network = NetworkFactory(name="Bench crisis 2", kind=Network.Kind.CRISIS)
    organisations = [NetworkMembershipFactory(network=network).organisation for _n in range(9)]
    MembershipFactory(network=network, role=Membership.Role.CASEWORKER, organisation=organisations[0])
    MembershipFactory(network=network, role=Membership.Role.MELDPUNT)
    now = datetime.datetime(2026, 12, 4, 23, 26, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
    generate_crisis(calls_per_year=20_000, seed=1, now=now)
    steps = CrisisStep.objects.all()
    assert steps.filter(started_at=now).exists()  # the late calls were there and clamped
    assert not steps.filter(started_at__gt=now).exists()
    assert not steps.filter(ended_at__lt=F("started_at")).exists()
