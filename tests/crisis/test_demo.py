"""The crisis demo (issue 18 §9): a real night shift for the meldpunt login, loaded once."""

import pytest
from django.utils import timezone

from cases import demo_crisis
from cases.access import provider_crisis_steps, visible_crisis_calls
from cases.models import CrisisCall, CrisisConflict, CrisisEpisode, CrisisStep
from instruments.crisis_models import rota_gaps
from networks.models import Membership, Network
from tests.factories import MembershipFactory, NetworkFactory, NetworkMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_has_a_night_shift_and_loads_once():
    network = NetworkFactory(name=demo_crisis.NETWORK, kind=Network.Kind.CRISIS)
    names = {name for name, *_rest in demo_crisis.PROVIDERS} | {"Crisismeldpunt Minderjarigen Antwerpen"}
    for name in names:
        NetworkMembershipFactory(network=network, organisation__name=name)
    meldpunt = MembershipFactory(
        network=network, role=Membership.Role.MELDPUNT, user=UserFactory(username="meldpunt")
    ).user
    now = timezone.now()
    counts = demo_crisis.load({network.name: network}, now=now)
    assert counts["crisis_calls"] > 150
    assert demo_crisis.load({network.name: network}, now=now) == {"crisis_calls": 0}
    calls = visible_crisis_calls(meldpunt)
    assert calls.filter(received_at__gte=now - timezone.timedelta(hours=24)).exists()
    running = CrisisStep.objects.running()
    assert running.exists() and CrisisStep.objects.overdue().count() >= 2
    assert running.filter(extension_days__gt=0).exists()
    assert CrisisEpisode.objects.filter(closed_at__isnull=False).exists()
    assert set(CrisisCall.objects.values_list("outcome", flat=True)) == {"dispatched", "meldpunt", "referred"}
    assert len(rota_gaps(network.crisis_programme)) == 1
    assert CrisisConflict.objects.filter(resolved_at__isnull=True).count() == 1
    provider = Membership.objects.get(user__username="crisisopvang").user
    assert provider_crisis_steps(provider).running().exists()


@pytest.mark.parametrize("local_time", ["06:05", "20:20", "21:45", "23:59"])
def test_demo_loads_at_any_time_of_day(local_time):
    """The night shift is laid out from 20:00 back from now: a call of the last hour must not get
    an intervention that starts after now (it failed at 21:45, when CI runs)."""
    import datetime

    network = NetworkFactory(name=demo_crisis.NETWORK, kind=Network.Kind.CRISIS)
    names = {name for name, *_rest in demo_crisis.PROVIDERS} | {"Crisismeldpunt Minderjarigen Antwerpen"}
    for name in names:
        NetworkMembershipFactory(network=network, organisation__name=name)
    MembershipFactory(network=network, role=Membership.Role.MELDPUNT, user=UserFactory(username="meldpunt"))
    hour, minute = map(int, local_time.split(":"))
    now = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(hour, minute)))
    assert demo_crisis.load({network.name: network}, now=now)["crisis_calls"] > 150
    assert not CrisisStep.objects.filter(started_at__gt=now).exists()


def test_demo_kerngroep_login_sees_the_open_praktijkoverleg(client):
    from django.urls import reverse

    network = NetworkFactory(name=demo_crisis.NETWORK, kind=Network.Kind.CRISIS)
    names = {name for name, *_rest in demo_crisis.PROVIDERS} | {"Crisismeldpunt Minderjarigen Antwerpen"}
    for name in names:
        NetworkMembershipFactory(network=network, organisation__name=name)
    MembershipFactory(network=network, role=Membership.Role.MELDPUNT, user=UserFactory(username="meldpunt"))
    now = timezone.now()
    demo_crisis.load({network.name: network}, now=now)
    demo_crisis.load({network.name: network}, now=now)  # a second load adds no second seat or body
    user = Membership.objects.get(user__username="kerngroep").user
    assert user.check_password("demo-ijh-2026")
    assert network.bodies.filter(kind="core_group").count() == 1
    assert Membership.objects.filter(user=user).count() == 1
    client.force_login(user)
    # The programme page leads the kerngroep to the praktijkoverleg.
    programme = client.get(reverse("instruments:crisis-programme", args=[network.pk])).content.decode()
    assert reverse("cases:crisis-conflicts", args=[network.pk]) in programme
    page = client.get(reverse("cases:crisis-conflicts", args=[network.pk]))
    assert page.status_code == 200
    conflict = CrisisConflict.objects.get(resolved_at__isnull=True)
    text = page.content.decode()
    assert conflict.first_organisation.name in text and conflict.second_organisation.name in text
    # A steering member sees no client data: neither the episode nor the meldpunt's calls.
    assert client.get(reverse("cases:crisis-episode", args=[conflict.episode_id])).status_code == 404
