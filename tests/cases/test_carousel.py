# ruff: noqa: F811 (pm is a fixture imported from .planmakers)
"""The carousel signal (issue 19 §8) on a hand-made history, with a frozen clock."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.carousel import carousel_counts, refresh_all
from cases.models import CarouselSignal, CarouselSnapshot, CaseTeamMember
from ijh.models import AuditEvent
from networks.models import CarouselSettings, Membership

from ..factories import (
    CaseFactory,
    ClientConferenceFactory,
    MembershipFactory,
    NetworkFactory,
    OrganisationFactory,
    ReferralFactory,
    RegionFactory,
    UserFactory,
)
from .planmakers import pm  # noqa: F401

pytestmark = pytest.mark.django_db

READ_LOGGED_URL_NAMES = {"cases:carousel"}
NOT_A_READ_URL_NAMES = {"cases:carousel-index", "cases:carousel-settings", "cases:carousel-refresh"}
FUZZED_URL_NAMES = {"cases:carousel-settings", "cases:carousel-refresh"}
GET_ONLY_URL_NAMES = {"cases:carousel", "cases:carousel-index"}

D = datetime.date


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


JAN_5 = D(2026, 1, 5)
JAN_5_NOON = datetime.datetime(2026, 1, 5, 12, 0, tzinfo=datetime.UTC)


def passed_between(network, providers: int, *, since=JAN_5, until=None, last_name="Vermeersch"):
    """A case whose lead organisation and ``providers - 1`` others were on the team."""
    case = CaseFactory(network=network, opened_on=D(2025, 1, 5), client__last_name=last_name)
    for _ in range(providers - 1):
        CaseTeamMember.objects.create(case=case, organisation=OrganisationFactory(), since=since, until=until)
    return case


def ids(network):
    return {case_id for case_id, _, _ in carousel_counts(network)}


def test_four_providers_show_three_do_not(network, pm):
    four = passed_between(network, 4)
    three = passed_between(network, 3)
    assert ids(pm.network) == {four.pk}
    assert three.pk not in ids(pm.network)


def test_providers_from_referrals_and_conferences_count(network, pm):
    case = passed_between(network, 2)  # the lead organisation and one more
    ReferralFactory(case=case, sent_on=D(2026, 3, 1))
    assert ids(pm.network) == set()
    ClientConferenceFactory(
        case=case, requested_on=D(2026, 4, 1), requesting_organisation=OrganisationFactory()
    )
    assert ids(pm.network) == {case.pk}


def test_handoffs_count_ended_rows_and_accepted_referrals(network, pm):
    case = passed_between(network, 2, since=D(2025, 9, 1), until=D(2026, 2, 1))  # 1 hand-off
    partner = OrganisationFactory()
    CaseTeamMember.objects.create(case=case, organisation=partner, since=D(2026, 2, 1), until=D(2026, 5, 1))
    assert ids(pm.network) == set()  # 3 providers, 2 hand-offs
    ReferralFactory(case=case, to_organisation=partner, sent_on=D(2026, 5, 1), accepted_on=D(2026, 5, 3))
    [(case_id, providers, handoffs)] = carousel_counts(pm.network)
    assert (case_id, providers, handoffs) == (case.pk, 3, 3)


def test_a_new_worker_of_the_same_organisation_is_no_handoff(network, pm):
    """A hand-made history: the same service changes workers twice (no hand-off), another
    service hands over to a third (a hand-off), and one service takes a worker back only after
    seven weeks (a hand-off: nobody of that service was there in between)."""
    case = CaseFactory(network=network, opened_on=D(2025, 1, 5))
    same, handing, taking, gone = (OrganisationFactory() for _ in range(4))

    def row(organisation, since, until=None, user=None):
        CaseTeamMember.objects.create(
            case=case, organisation=organisation, user=user, since=since, until=until
        )

    row(same, D(2025, 11, 1), D(2026, 1, 31), user=UserFactory())  # worker 1
    row(same, D(2026, 2, 1), D(2026, 2, 28), user=UserFactory())  # worker 2, the next day
    row(same, D(2026, 3, 10), user=UserFactory())  # worker 3, nine days later: the same provider
    row(handing, D(2025, 12, 1), D(2026, 4, 1))  # hands over to another organisation
    row(taking, D(2026, 4, 2))
    row(gone, D(2025, 10, 1), D(2026, 1, 10))
    row(gone, D(2026, 3, 1))  # seven weeks later
    CarouselSettings.objects.create(network=pm.network, min_providers=9, min_handoffs=1)
    [(case_id, providers, handoffs)] = carousel_counts(pm.network)
    # The lead organisation and four others; hand-offs: "handing" and "gone", not "same" twice.
    assert (case_id, providers, handoffs) == (case.pk, 5, 2)
    # Two workers of one service side by side, one leaving: the service stays.
    row(same, D(2026, 1, 1), D(2026, 5, 1), user=UserFactory())
    assert carousel_counts(pm.network) == [(case.pk, 5, 2)]
    # The last worker of that service leaves and nobody of it follows: now a hand-off.
    CaseTeamMember.objects.filter(case=case, organisation=same, until__isnull=True).update(
        until=D(2026, 6, 1)
    )
    assert carousel_counts(pm.network) == [(case.pk, 5, 3)]


def test_outside_the_twelve_months_does_not_count(network, pm):
    case = passed_between(network, 5, since=D(2024, 1, 1), until=D(2025, 6, 15))  # ended the day before
    ReferralFactory(case=case, sent_on=D(2025, 3, 1), accepted_on=D(2025, 3, 5))
    assert ids(pm.network) == set()
    with time_machine.travel(datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC), tick=False):
        assert ids(pm.network) == {case.pk}


def test_thresholds_per_network_and_other_regions(network, pm):
    three = passed_between(network, 3)
    elsewhere = passed_between(NetworkFactory(region=RegionFactory(code="limburg")), 6)
    assert ids(pm.network) == set()
    CarouselSettings.objects.create(network=pm.network, min_providers=3, min_handoffs=3)
    assert ids(pm.network) == {three.pk}
    assert elsewhere.pk not in ids(pm.network)


def test_page_pseudonym_count_no_name_link_only_for_the_team(client, network, pm, case_organisation):
    mine = passed_between(network, 4, last_name="Vermeersch")
    theirs = passed_between(network, 5, last_name="Vermeersch")
    # The coordinator is also a caseworker on one of the two cases.
    MembershipFactory(
        user=pm.coordinator,
        network=network,
        role=Membership.Role.CASEWORKER,
        organisation=mine.lead_organisation,
    )
    CaseTeamMember.objects.create(case=mine, organisation=mine.lead_organisation, user=pm.coordinator)
    client.force_login(pm.coordinator)
    response = client.get(reverse("cases:carousel", args=[pm.network.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.client.pseudonym in html and theirs.client.pseudonym in html
    assert "Vermeersch" not in html and "Lotte" not in html
    assert reverse("cases:detail", args=[mine.pk]) in html
    assert reverse("cases:detail", args=[theirs.pk]) not in html
    assert AuditEvent.objects.filter(action="carousel.viewed", detail="carousel").count() == 1


def test_query_count_does_not_grow_with_cases(client, network, pm, django_assert_num_queries):
    passed_between(network, 4)
    client.force_login(pm.coordinator)
    url = reverse("cases:carousel", args=[pm.network.pk])
    client.get(url)  # computes the day's snapshot
    with django_assert_num_queries(11):
        client.get(url)
    for _ in range(4):
        passed_between(network, 5)
    client.post(reverse("cases:carousel-refresh", args=[pm.network.pk]))
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.context["rows"].__len__() == 5


def test_the_day_is_counted_once_then_read(client, network, pm, django_assert_num_queries):
    """The first view of the day counts (and stores); the next views read the stored rows, also
    for another coordinator; a new case shows after "Opnieuw tellen", a new day or new thresholds."""
    first = passed_between(network, 4)
    client.force_login(pm.coordinator)
    url = reverse("cases:carousel", args=[pm.network.pk])
    client.get(url)
    snapshot = CarouselSnapshot.objects.get(network=pm.network)
    assert (snapshot.computed_on, snapshot.min_providers, snapshot.min_handoffs) == (D(2026, 6, 15), 4, 3)
    assert list(CarouselSignal.objects.values_list("case_id", "providers", "handoffs")) == [(first.pk, 4, 0)]
    later = passed_between(network, 6)
    assert [row.case_id for row in client.get(url).context["rows"]] == [first.pk]
    html = client.get(url).content.decode()
    assert "Geteld op 15 juni 2026 12:00" in html
    response = client.post(reverse("cases:carousel-refresh", args=[pm.network.pk]), follow=True)
    assert "Het carrouselsignaal is opnieuw geteld." in response.content.decode()
    assert [row.case_id for row in response.context["rows"]] == [later.pk, first.pk]
    # New thresholds count again at the next view.
    CarouselSettings.objects.create(network=pm.network, min_providers=5, min_handoffs=3)
    assert [row.case_id for row in client.get(url).context["rows"]] == [later.pk]
    # A new day too; the old snapshot is replaced, never kept beside it.
    passed_between(network, 7)
    with time_machine.travel(datetime.datetime(2026, 6, 16, 9, 0, tzinfo=datetime.UTC), tick=False):
        client.force_login(pm.coordinator)  # a new day, a new session
        assert len(client.get(url).context["rows"]) == 2
    assert CarouselSnapshot.objects.get().computed_on == D(2026, 6, 16)
    assert CarouselSignal.objects.count() == 2


def test_beat_counts_every_planmaker_network_for_the_day(network, pm):
    passed_between(network, 4)
    CarouselSnapshot.objects.create(
        network=pm.network,
        computed_on=D(2026, 6, 14),
        computed_at=JAN_5_NOON,
        min_providers=4,
        min_handoffs=3,
    )
    assert refresh_all() >= 1
    snapshot = CarouselSnapshot.objects.get(network=pm.network)
    assert snapshot.computed_on == D(2026, 6, 15)
    assert snapshot.signals.count() == 1
    assert refresh_all() >= 1  # idempotent: the same rows again
    assert CarouselSignal.objects.filter(snapshot__network=pm.network).count() == 1


def test_index_redirects_the_coordinator(client, pm):
    client.force_login(pm.coordinator)
    response = client.get(reverse("cases:carousel-index"))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["planmaker", "steering", "caseworker", "outsider"])
def test_only_the_coordinator(client, network, pm, who, caseworker, outsider):
    user = {
        "planmaker": pm.planmaker,
        "steering": pm.steering,
        "caseworker": caseworker.user,
        "outsider": outsider.user,
    }[who]
    passed_between(network, 4)
    client.force_login(user)
    for url in (
        reverse("cases:carousel", args=[pm.network.pk]),
        reverse("cases:carousel-settings", args=[pm.network.pk]),
        reverse("cases:carousel-index"),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("cases:carousel-refresh", args=[pm.network.pk])).status_code == 404
    assert not CarouselSnapshot.objects.exists()
    assert (
        client.post(
            reverse("cases:carousel-settings", args=[pm.network.pk]), {"min_providers": 2}
        ).status_code
        == 404
    )
    assert not CarouselSettings.objects.exists()


def test_coordinator_edits_thresholds_dutch_errors_no_op(client, pm):
    client.force_login(pm.coordinator)
    url = reverse("cases:carousel-settings", args=[pm.network.pk])
    response = client.post(url, {"min_providers": 1, "min_handoffs": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Kies minstens 2 aanbieders." in html and "Vul het minimum aantal overdrachten in." in html
    assert client.post(url, {"min_providers": 4, "min_handoffs": 3}).status_code == 302
    assert not CarouselSettings.objects.exists()  # the defaults: nothing written
    assert not AuditEvent.objects.filter(action="carousel_settings.changed").exists()
    assert client.post(url, {"min_providers": 6, "min_handoffs": 2}).status_code == 302
    row = CarouselSettings.objects.get(network=pm.network)
    assert (row.min_providers, row.min_handoffs) == (6, 2)
    assert AuditEvent.objects.filter(action="carousel_settings.changed").count() == 1


FUZZ = settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GARBAGE = st.one_of(
    st.text(max_size=50),
    st.sampled_from(["", "0", "-1", "1", "2", "51", "99999999999999999999", "NaN", "\x00"]),
)


@FUZZ
@given(body=st.fixed_dictionaries({}, optional=dict.fromkeys(["min_providers", "min_handoffs"], GARBAGE)))
def test_fuzz_settings(client, pm, body):
    client.force_login(pm.coordinator)
    with transaction.atomic():
        before = list(CarouselSettings.objects.values_list("min_providers", "min_handoffs"))
        response = client.post(reverse("cases:carousel-settings", args=[pm.network.pk]), body)
        after = list(CarouselSettings.objects.values_list("min_providers", "min_handoffs"))
        transaction.set_rollback(True)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert before == after


@FUZZ
@given(body=st.dictionaries(st.sampled_from(["network", "min_providers", "x"]), GARBAGE, max_size=3))
def test_fuzz_refresh(client, pm, body):
    client.force_login(pm.coordinator)
    response = client.post(reverse("cases:carousel-refresh", args=[pm.network.pk]), body)
    assert response.status_code == 302
    assert CarouselSnapshot.objects.filter(network=pm.network).count() == 1


def test_demo_trips_the_signal_and_has_a_catalogue():
    from django.core.management import call_command

    from cases.demo_planmakers import NETWORK
    from cases.models import Case
    from instruments.models import Engagement
    from networks.models import Network

    call_command("load_demo")
    call_command("load_demo")  # idempotent
    network = Network.objects.get(name=NETWORK)
    listed = {Case.objects.get(pk=case_id).client.pseudonym for case_id in ids(network)}
    assert {"CL-CAR-01", "CL-CAR-02", "CL-CAR-03"} <= listed
    assert "CL-CAR-04" not in listed
    assert Engagement.objects.filter(network=network).count() == 5
    assert Engagement.objects.filter(network=network).active_on().count() == 4
    assert not Case.objects.filter(timeline__isnull=True).exists()
