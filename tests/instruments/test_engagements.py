"""The engagement catalogue (issue 19 §7): publishing, searching by life domain and age,
active/expired, who may publish and read, query counts, fuzzing."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ijh.models import AuditEvent
from instruments.models import Engagement
from networks.models import Membership

from ..factories import MembershipFactory, NetworkMembershipFactory, UserFactory, life_domain

pytestmark = pytest.mark.django_db

FUZZED_URL_NAMES = {"instruments:engagement-create", "instruments:engagement-edit"}
GET_ONLY_URL_NAMES = {"instruments:engagement-list"}

D = datetime.date
TODAY = D(2026, 6, 15)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def make(network, organisation, *, title="Gezinsbegeleiding binnen de week", domains=("family",), ages=(0, 18),
         valid_from=None, valid_until=None):  # fmt: skip
    engagement = Engagement.objects.create(
        network=network,
        organisation=organisation,
        title=title,
        method="Aanklampend, thuis.",
        contact_person="Sara Contact",
        contact_details="050 12 34 56",
        place="Brugge",
        time="binnen 5 werkdagen",
        age_from=ages[0],
        age_to=ages[1],
        valid_from=valid_from or D(2026, 1, 1),
        valid_until=valid_until,
        created_by=UserFactory(),
    )
    engagement.domains.set([life_domain(code) for code in domains])
    return engagement


def valid_body(organisation, **changes):
    body = {
        "organisation": organisation.pk,
        "title": "Time-out plaats",
        "method": "Twee weken, met terugkeer.",
        "contact_person": "Jan Peeters",
        "contact_details": "jan@example.org",
        "place": "Gent",
        "time": "binnen 48 uur",
        "domains": [life_domain("family").pk],
        "age_from": 12,
        "age_to": 18,
        "valid_from": "2026-06-01",
        "valid_until": "",
    }
    body.update(changes)
    return body


def titles(response):
    return [engagement.title for engagement in response.context["engagements"]]


def test_search_by_domain_age_and_status(client, network, member, member_organisation):
    make(network, member_organisation, title="Gezin", domains=("family",), ages=(0, 12))
    make(network, member_organisation, title="School", domains=("school",), ages=(12, 18))
    make(network, member_organisation, title="Oud", valid_from=D(2025, 1, 1), valid_until=D(2026, 6, 14))
    client.force_login(member.user)
    url = reverse("instruments:engagement-list", args=[network.pk])
    assert titles(client.get(url)) == ["Gezin", "School"]
    assert titles(client.get(url, {"domain": life_domain("school").pk})) == ["School"]
    assert titles(client.get(url, {"age": 14})) == ["School"]
    assert titles(client.get(url, {"age": 12})) == ["Gezin", "School"]
    assert titles(client.get(url, {"status": "expired"})) == ["Oud"]
    assert sorted(titles(client.get(url, {"status": "all"}))) == ["Gezin", "Oud", "School"]
    response = client.get(url, {"age": "abc"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.content.decode()


def test_list_query_count_constant(client, network, member, member_organisation, django_assert_num_queries):
    make(network, member_organisation)
    client.force_login(member.user)
    url = reverse("instruments:engagement-list", args=[network.pk])
    client.get(url)
    with django_assert_num_queries(10) as captured:
        client.get(url)
    for n in range(5):
        make(network, member_organisation, title=f"E{n}", domains=("family", "school"))
    with django_assert_num_queries(len(captured)):
        response = client.get(url)
    assert len(response.context["engagements"]) == 6


def test_steering_member_publishes_for_own_organisation_only(client, network, member, member_organisation):
    other = NetworkMembershipFactory(network=network).organisation
    client.force_login(member.user)
    url = reverse("instruments:engagement-create", args=[network.pk])
    response = client.post(url, valid_body(other))
    assert response.status_code == 422 and not Engagement.objects.exists()
    response = client.post(url, valid_body(member_organisation))
    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert engagement.organisation == member_organisation and engagement.is_active()
    assert AuditEvent.objects.filter(action="engagement.created").count() == 1


def test_caseworker_and_coordinator_publish_reader_does_not(client, network, manager, member_organisation):
    caseworker = UserFactory()
    MembershipFactory(
        user=caseworker, network=network, role=Membership.Role.CASEWORKER, organisation=member_organisation
    )
    url = reverse("instruments:engagement-create", args=[network.pk])
    for user in (caseworker, manager.user):
        client.force_login(user)
        assert client.post(url, valid_body(member_organisation)).status_code == 302
    assert Engagement.objects.count() == 2
    # A policy officer of the network reads, may not publish.
    reader = UserFactory()
    MembershipFactory(user=reader, network=network, role=Membership.Role.POLICY_OFFICER)
    client.force_login(reader)
    assert client.get(reverse("instruments:engagement-list", args=[network.pk])).status_code == 200
    assert client.get(url).status_code == 403
    engagement = Engagement.objects.first()
    assert client.post(reverse("instruments:engagement-edit", args=[engagement.pk]), {}).status_code == 403


def test_outsider_gets_404(client, network, outsider, member_organisation):
    engagement = make(network, member_organisation)
    client.force_login(outsider.user)
    assert client.get(reverse("instruments:engagement-list", args=[network.pk])).status_code == 404
    assert client.get(reverse("instruments:engagement-create", args=[network.pk])).status_code == 404
    assert client.get(reverse("instruments:engagement-edit", args=[engagement.pk])).status_code == 404


def test_edit_dutch_errors_and_no_op(client, network, member, member_organisation):
    engagement = make(network, member_organisation)
    client.force_login(member.user)
    url = reverse("instruments:engagement-edit", args=[engagement.pk])
    body = valid_body(member_organisation, domains=[], age_from=18, age_to=12, valid_until="2026-01-01")
    html = client.post(url, body).content.decode()
    assert "Kies minstens één levensdomein." in html
    assert "De leeftijd &#x27;tot en met&#x27; ligt vóór de leeftijd &#x27;van&#x27;." in html
    assert "&#x27;Geldig tot en met&#x27; ligt vóór &#x27;geldig vanaf&#x27;." in html
    same = {
        "organisation": member_organisation.pk, "title": engagement.title, "method": engagement.method,
        "contact_person": engagement.contact_person, "contact_details": engagement.contact_details,
        "place": engagement.place, "time": engagement.time, "domains": [life_domain("family").pk],
        "age_from": 0, "age_to": 18, "valid_from": "2026-01-01", "valid_until": "",
    }  # fmt: skip
    assert client.post(url, same).status_code == 302
    assert list(AuditEvent.objects.filter(action="engagement.changed").values_list("detail", flat=True)) == []
    assert client.post(url, {**same, "valid_until": "2026-06-14"}).status_code == 302
    engagement.refresh_from_db()
    assert not engagement.is_active()
    assert AuditEvent.objects.filter(action="engagement.changed").count() == 1


FUZZ = settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GARBAGE = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["", "0", "-1", "26", "99999999999999999999", "NaN", "\x00", "2026-02-30", "2026-06-01"]),
)
FIELDS = [
    "organisation", "title", "method", "contact_person", "contact_details", "place", "time", "domains",
    "age_from", "age_to", "valid_from", "valid_until",
]  # fmt: skip


@FUZZ
@given(body=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, GARBAGE)), edit=st.booleans())
def test_fuzz_create_and_edit(client, network, member, member_organisation, body, edit):
    client.force_login(member.user)
    with transaction.atomic():
        engagement = make(network, member_organisation)
        url = (
            reverse("instruments:engagement-edit", args=[engagement.pk])
            if edit
            else reverse("instruments:engagement-create", args=[network.pk])
        )
        before = list(Engagement.objects.order_by("pk").values_list("pk", "title", "age_from", "valid_until"))
        response = client.post(url, body)
        after = list(Engagement.objects.order_by("pk").values_list("pk", "title", "age_from", "valid_until"))
        transaction.set_rollback(True)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert before == after
