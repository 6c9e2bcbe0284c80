"""generate_scale's crisis rows (issue 18 §9): calls, episodes and steps written with COPY that the
pages and the constraints accept."""

import pytest

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
