"""generate_scale at its smallest preset: one network, whose kind the seed drew at random, used to
have no network with conferences and failed when it seated the benchmark logins."""

import pytest
from django.core.management import call_command

from cases.models import Case
from ijh.models import User
from networks.models import Membership, Network

pytestmark = pytest.mark.django_db


def test_network_scale_has_a_conference_network_and_the_benchmark_logins(capsys):
    call_command("generate_scale", "--scale", "network")
    network = Network.objects.get(name="Bench antwerpen 001")
    assert network.kind == Network.Kind.RTJ
    assert Case.objects.filter(network=network).count() == 3000
    caseworker = User.objects.get(username="bench-caseworker")
    assert Membership.objects.filter(
        user=caseworker, network=network, role=Membership.Role.CASEWORKER
    ).exists()
    assert "done in" in capsys.readouterr().out
