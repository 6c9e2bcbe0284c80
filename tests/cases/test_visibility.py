"""``Case.objects.visible_to``: the need-to-know rule of DESIGN.md §5, persona by persona."""

import datetime

import pytest

from cases.models import Case
from networks.models import Membership

from ..factories import CaseFactory, CaseTeamMemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def visible(persona, case) -> bool:
    return Case.objects.visible_to(persona.user).filter(pk=case.pk).exists()


def test_team_caseworker_sees_the_case(caseworker, case):
    assert visible(caseworker, case)


def test_caseworker_of_a_team_organisation_sees_it_without_being_named(network, case, case_organisation):
    colleague = MembershipFactory(
        network=network, role=Membership.Role.CASEWORKER, organisation=case_organisation
    )
    assert Case.objects.visible_to(colleague.user).filter(pk=case.pk).exists()


def test_steering_member_of_the_same_organisation_does_not(network, case, case_organisation):
    steering = MembershipFactory(network=network, organisation=case_organisation)  # steering_member
    assert not Case.objects.visible_to(steering.user).filter(pk=case.pk).exists()


@pytest.mark.parametrize("persona", ["other_caseworker", "member", "regional_staff", "outsider", "superuser"])
def test_others_do_not(request, persona, case):
    assert not visible(request.getfixturevalue(persona), case)


def test_organising_cell_never_sees_the_case_only_the_open_conference(manager, case, request):
    from cases.access import cell_conferences
    from cases.models import ClientConference

    assert not visible(manager, case)
    conference = request.getfixturevalue("conference")
    assert not visible(manager, case)  # the case team's file stays with the case team
    assert cell_conferences(manager.user).filter(pk=conference.pk).exists()
    ClientConference.objects.filter(pk=conference.pk).update(status=ClientConference.Status.CLOSED)
    assert not cell_conferences(manager.user).filter(pk=conference.pk).exists()


def test_chair_sees_the_case_of_their_conference(conference_chair, conference, case):
    assert visible(conference_chair, case)


def test_chair_who_left_the_pool_loses_access(conference_chair, conference, case):
    Membership.objects.filter(user=conference_chair.user).update(until=datetime.date(2020, 6, 1))
    assert not visible(conference_chair, case)


def test_ended_team_row_ends_access(network, case, partner_organisation):
    worker = MembershipFactory(
        network=network, role=Membership.Role.CASEWORKER, organisation=partner_organisation
    )
    row = CaseTeamMemberFactory(case=case, organisation=partner_organisation, since=datetime.date(2026, 1, 5))
    assert Case.objects.visible_to(worker.user).filter(pk=case.pk).exists()
    row.until = datetime.date(2026, 1, 31)
    row.save()
    assert not Case.objects.visible_to(worker.user).filter(pk=case.pk).exists()


def test_named_team_member_who_left_the_network_loses_access(caseworker, case):
    Membership.objects.filter(user=caseworker.user).update(until=datetime.date(2020, 6, 1))
    assert not visible(caseworker, case)


def test_caseworker_of_the_same_organisation_in_another_network_does_not(
    case, case_organisation, other_network
):
    elsewhere = MembershipFactory(
        network=other_network, role=Membership.Role.CASEWORKER, organisation=case_organisation
    )
    assert not Case.objects.visible_to(elsewhere.user).filter(pk=case.pk).exists()


def test_visible_to_is_one_query(caseworker, network, case_organisation, django_assert_num_queries):
    CaseFactory.create_batch(5, network=network, lead_organisation=case_organisation)
    with django_assert_num_queries(1):
        assert len(list(Case.objects.visible_to(caseworker.user))) == 5
