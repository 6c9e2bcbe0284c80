"""Issue 20 §1: a detention network per prison — PMD chaired by the beleidsmedewerker, working
groups per domain, standing consultations, the strategic plan's five objectives."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ijh.models import AuditEvent
from networks import detention
from networks.models import Body, Goal

pytestmark = pytest.mark.django_db

FUZZED_URL_NAMES = {"networks:detention-setup"}
GET_ONLY_URL_NAMES = {"networks:detention"}


def test_set_up_makes_the_structure_once(prison, policy_officer):
    added = detention.set_up(prison, by=None)
    assert added == {"bodies": 1 + 6 + 2, "goals": 5}
    pmd = Body.objects.get(network=prison, kind=Body.Kind.PMD)
    assert pmd.chair == policy_officer.user
    assert pmd in policy_officer.user.memberships.get().bodies.all()
    assert Body.objects.filter(network=prison, kind=Body.Kind.WORKING_GROUP).count() == 6
    assert Body.objects.filter(network=prison, kind=Body.Kind.CONSULTATION).count() == 2
    titles = list(
        Goal.objects.filter(network=prison, kind=Goal.Kind.END_GOAL).values_list("title", flat=True)
    )
    assert "Een kwalitatief aanbod uitbouwen" in titles and len(titles) == 5
    # again: nothing added, nothing audited
    events = AuditEvent.objects.count()
    assert detention.set_up(prison, by=None) == {"bodies": 0, "goals": 0}
    assert AuditEvent.objects.count() == events
    assert detention.structure_of(prison).complete


def test_overview_access(client, prison, policy_officer, management, prison_outsider, network, member):
    url = reverse("networks:detention", args=[prison.pk])
    client.force_login(prison_outsider.user)
    assert client.get(url).status_code == 404
    client.force_login(member.user)  # a member of an RTJ network: its page is no prison page
    assert client.get(reverse("networks:detention", args=[network.pk])).status_code == 404
    client.force_login(management.user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Inrichten volgens het strategisch plan" not in response.content.decode()
    assert client.post(reverse("networks:detention-setup", args=[prison.pk])).status_code == 403
    assert not Body.objects.filter(network=prison).exists()


def test_policy_officer_sets_up_and_sees_it(client, prison, policy_officer, django_assert_num_queries):
    client.force_login(policy_officer.user)
    response = client.post(reverse("networks:detention-setup", args=[prison.pk]), follow=True)
    assert "Toegevoegd: 9 organen en 5 strategische doelstellingen." in response.content.decode()
    assert AuditEvent.objects.filter(action="body.chair_set").count() == 1
    # session, user, network with its manage flag, role check (can_set_up), bodies, goals,
    # officers, the base template's own (messages, nav: 3)
    with django_assert_num_queries(10):
        response = client.get(reverse("networks:detention", args=[prison.pk]))
    page = response.content.decode()
    assert "Werkgroep cultuur" in page and "Structureel overleg PSD – trajectbegeleiding" in page
    assert "Vlaamse beleidsmedewerker" in page


FUZZ = settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(data=st.dictionaries(st.text(max_size=20), st.text(max_size=50), max_size=4))
def test_setup_post_never_500(client, prison, policy_officer, data):
    client.force_login(policy_officer.user)
    response = client.post(reverse("networks:detention-setup", args=[prison.pk]), data)
    assert response.status_code in (302, 200)
