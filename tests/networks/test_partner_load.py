import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from networks.partner_load import organisation_load, person_load
from tests.factories import (
    AttendanceFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def load_url(network):
    return reverse("networks:partner-load", args=[network.pk])


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def busy(network, other_network):
    """One organisation and one person with load inside and outside ``network``, built by hand.

    organisation: member of network and other_network (active), of a third network until 2021;
    person: roles in network and other_network (plus an expired one), seats in 3 bodies through
    active roles (plus one through the expired role); invited to 4 meetings in the last half year,
    to 1 meeting 200 days ago and to 1 meeting next week.
    """
    third_network = NetworkFactory(name="Crisisnetwerk Derde")
    organisation = OrganisationFactory(name="CAW Druk Bezet")
    NetworkMembershipFactory(network=network, organisation=organisation)
    NetworkMembershipFactory(network=other_network, organisation=organisation)
    NetworkMembershipFactory(network=third_network, organisation=organisation, ended=True)

    person = UserFactory(first_name="Veerle", last_name="Overvol")
    here = MembershipFactory(network=network, user=person, organisation=organisation)
    elsewhere = MembershipFactory(network=other_network, user=person, organisation=organisation, chair=True)
    expired = MembershipFactory(network=third_network, user=person, organisation=organisation, expired=True)
    steering, working_group = BodyFactory(network=network), BodyFactory(network=network)
    other_steering = BodyFactory(network=other_network)
    here.bodies.add(steering, working_group)
    elsewhere.bodies.add(other_steering)
    expired.bodies.add(BodyFactory(network=third_network))

    recent = [
        MeetingFactory(body=body, starts_at=days_ago(days))
        for days, body in [(10, steering), (50, working_group), (100, other_steering), (180, steering)]
    ]
    too_old = MeetingFactory(body=steering, starts_at=days_ago(200))
    upcoming = MeetingFactory(body=steering, starts_at=days_ago(-7))
    for meeting in [*recent, too_old, upcoming]:
        AttendanceFactory(meeting=meeting, user=person, organisation=organisation)

    # A colleague at one of the same meetings: the organisation still went to 4 meetings, not 5.
    colleague = UserFactory(first_name="Wim", last_name="Collega")
    MembershipFactory(network=network, user=colleague, organisation=organisation).bodies.add(steering)
    AttendanceFactory(meeting=recent[0], user=colleague, organisation=organisation)
    return organisation, person, colleague


class TestFigures:
    def test_organisation(self, network, busy):
        organisation, _person, _colleague = busy
        row = organisation_load(network).get(pk=organisation.pk)
        assert (row.network_count, row.body_count, row.meeting_count) == (2, 3, 4)

    def test_person(self, network, busy):
        _organisation, person, _colleague = busy
        row = person_load(network).get(pk=person.pk)
        assert (row.network_count, row.body_count, row.meeting_count) == (2, 3, 4)
        assert [role.network_id for role in row.roles_here] == [network.pk]

    def test_colleague(self, network, busy):
        _organisation, _person, colleague = busy
        row = person_load(network).get(pk=colleague.pk)
        assert (row.network_count, row.body_count, row.meeting_count) == (1, 1, 1)

    def test_organisation_without_anything_else_counts_zero_not_null(self, network):
        quiet = NetworkMembershipFactory(network=network).organisation
        row = organisation_load(network).get(pk=quiet.pk)
        assert (row.network_count, row.body_count, row.meeting_count) == (1, 0, 0)

    def test_only_current_members_and_roles_are_listed(self, network, busy, former_member, regional_staff):
        ended = NetworkMembershipFactory(network=network, ended=True).organisation
        assert ended not in organisation_load(network)
        people = set(person_load(network))
        assert former_member.user not in people
        assert regional_staff.user not in people  # a region role is no role *in* this network

    def test_window_is_183_days(self, network, busy):
        _organisation, person, _colleague = busy
        # Four days later the meeting of 180 days ago has left the window; next week's has not started.
        later = timezone.now() + datetime.timedelta(days=4)
        assert person_load(network, now=later).get(pk=person.pk).meeting_count == 3


class TestSorting:
    def test_highest_meeting_load_first_by_default(self, network, busy):
        _organisation, person, colleague = busy
        MembershipFactory(network=network)  # nobody's invited this one anywhere
        people = list(person_load(network))
        assert people[0] == person
        assert people[1] == colleague

    def test_sort_by_networks(self, network, busy):
        _organisation, person, _colleague = busy
        globetrotter = MembershipFactory(network=network).user
        for _ in range(3):
            MembershipFactory(network=NetworkFactory(), user=globetrotter)
        people = list(person_load(network, sort="netwerken"))
        assert people[:2] == [globetrotter, person]

    def test_sort_by_bodies(self, network, busy):
        organisation, _person, _colleague = busy
        seated = NetworkMembershipFactory(network=network).organisation
        role = MembershipFactory(network=network, organisation=seated)
        role.bodies.add(*[BodyFactory(network=network) for _ in range(4)])
        organisations = list(organisation_load(network, sort="organen"))
        assert organisations[:2] == [seated, organisation]

    def test_unknown_sort_falls_back_to_meetings(self, as_user, network, member, busy):
        response = as_user(member).get(load_url(network), {"sorteer": "'; drop table"})
        assert response.status_code == 200


class TestPage:
    def test_shows_the_figures(self, as_user, network, member, busy):
        organisation, person, _colleague = busy
        html = as_user(member).get(load_url(network)).text
        row = re.search(rf'<tr data-person="{person.pk}">(.*?)</tr>', html, re.S).group(1)
        assert "Veerle Overvol" in row
        assert re.findall(r'data-count="(\w+)">(\d+)<', row) == [
            ("networks", "2"),
            ("bodies", "3"),
            ("meetings", "4"),
        ]
        row = re.search(rf'<tr data-organisation="{organisation.pk}">(.*?)</tr>', html, re.S).group(1)
        assert re.findall(r'data-count="(\w+)">(\d+)<', row) == [
            ("networks", "2"),
            ("bodies", "3"),
            ("meetings", "4"),
        ]

    def test_htmx_sort_returns_the_tables_only(self, as_user, network, member):
        response = as_user(member).get(
            load_url(network), {"sorteer": "organen"}, headers={"HX-Request": "true"}
        )
        assert response.text.lstrip().startswith('<div id="load">')
        assert "<html" not in response.text

    @pytest.mark.parametrize("size", [2, 20])
    def test_queries_do_not_grow(self, as_user, network, member, size, django_assert_num_queries):
        for _ in range(size):
            organisation = NetworkMembershipFactory(network=network).organisation
            role = MembershipFactory(network=network, organisation=organisation)
            body = BodyFactory(network=network)
            role.bodies.add(body)
            AttendanceFactory(meeting=MeetingFactory(body=body), user=role.user, organisation=organisation)
        client = as_user(member)
        # session, user, network (visible + manage flag), organisations with sector and three counts,
        # people with three counts, their roles here with organisation (prefetch),
        # session save (savepoint, update, release)
        with django_assert_num_queries(9):
            response = client.get(load_url(network))
        assert response.status_code == 200
        assert response.text.count("<tr data-person=") == size + 1


class TestAccess:
    def test_member_and_staff_see_it(self, as_user, network, member, regional_staff):
        assert as_user(member).get(load_url(network)).status_code == 200
        assert as_user(regional_staff).get(load_url(network)).status_code == 200

    def test_outsider_gets_404(self, as_user, network, outsider):
        assert as_user(outsider).get(load_url(network)).status_code == 404

    def test_former_member_gets_404(self, as_user, network, former_member):
        assert as_user(former_member).get(load_url(network)).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, network):
        response = client.get(load_url(network))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))
