"""The access paths of cases/access.py, persona by persona: who reaches a client's data, and the
day that ends (DESIGN.md §5, "access ends when its reason ends"; issue 16 §1).

Each path: through the last day of its reason (plus grace where the rule says so) the page
answers 200, the day after 404. The clock is frozen with time_machine.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.access import cell_conferences, chaired_conferences, receiving_referrals, visible_cases
from cases.models import CaseDocument, ClientConference, Referral
from networks.models import Membership

from ..factories import (
    CaseFactory,
    CaseTeamMemberFactory,
    ConferenceSessionFactory,
    MembershipFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 3, 31)  # the last day of the reason in every test below


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12, 0)), tick=False)


def status_on(client, day: datetime.date, url: str) -> int:
    """GET ``url`` on ``day``, logged in afresh (a session from another day would have expired)."""
    with on(day):
        client.force_login(client.session_user)
        return client.get(url).status_code


def login(client, user):
    client.session_user = user
    client.force_login(user)


def visible(persona, case) -> bool:
    return visible_cases(persona.user).filter(pk=case.pk).exists()


# --- who sees a case at all -----------------------------------------------------------------------


def test_team_caseworker_sees_the_case(caseworker, case):
    assert visible(caseworker, case)


def test_caseworker_of_a_team_organisation_sees_it_without_being_named(network, case, case_organisation):
    colleague = MembershipFactory(
        network=network, role=Membership.Role.CASEWORKER, organisation=case_organisation
    )
    assert visible_cases(colleague.user).filter(pk=case.pk).exists()


def test_steering_member_of_the_same_organisation_does_not(network, case, case_organisation):
    steering = MembershipFactory(network=network, organisation=case_organisation)  # steering_member
    assert not visible_cases(steering.user).filter(pk=case.pk).exists()


@pytest.mark.parametrize("persona", ["other_caseworker", "member", "regional_staff", "outsider", "superuser"])
def test_others_do_not(request, persona, case):
    assert not visible(request.getfixturevalue(persona), case)


def test_the_chair_reaches_the_conference_not_the_case(client, conference_chair, conference, case):
    assert not visible(conference_chair, case)
    login(client, conference_chair.user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:conference-detail", args=[conference.pk])).status_code == 200


def test_the_organising_cell_reaches_the_request_never_the_case(manager, case, conference):
    assert not visible(manager, case)
    ClientConference.objects.filter(pk=conference.pk).update(
        status=ClientConference.Status.REQUESTED, chair=None, decided_on=None
    )
    assert cell_conferences(manager.user).filter(pk=conference.pk).exists()


def test_caseworker_of_the_same_organisation_in_another_network_does_not(
    case, case_organisation, other_network
):
    elsewhere = MembershipFactory(
        network=other_network, role=Membership.Role.CASEWORKER, organisation=case_organisation
    )
    assert not visible_cases(elsewhere.user).filter(pk=case.pk).exists()


def test_visible_cases_is_one_query(caseworker, network, case_organisation, django_assert_num_queries):
    CaseFactory.create_batch(5, network=network, lead_organisation=case_organisation)
    with django_assert_num_queries(1):
        assert len(list(visible_cases(caseworker.user))) == 5


# --- each path ends on its day --------------------------------------------------------------------


def test_role_that_ended_ends_access_the_day_after(client, caseworker, case):
    Membership.objects.filter(user=caseworker.user).update(until=END)
    login(client, caseworker.user)
    url = reverse("cases:detail", args=[case.pk])
    assert status_on(client, END, url) == 200
    assert status_on(client, END + datetime.timedelta(days=1), url) == 404


def test_an_unconfirmed_grant_opens_nothing(client, network, case, case_organisation):
    pending = MembershipFactory(
        network=network,
        role=Membership.Role.CASEWORKER,
        organisation=case_organisation,
        confirmation=Membership.Confirmation.PENDING,
    )
    login(client, pending.user)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    Membership.objects.filter(pk=pending.pk).update(confirmation=Membership.Confirmation.CONFIRMED)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200


def test_team_row_by_name_ends_the_day_after_its_until(client, network, case, partner_organisation):
    # Named on the team for the partner organisation, while working for another one.
    worker = MembershipFactory(
        network=network, role=Membership.Role.CASEWORKER, organisation=partner_organisation
    )
    CaseTeamMemberFactory(case=case, organisation=case.lead_organisation, user=worker.user, until=END)
    login(client, worker.user)
    for url in (reverse("cases:detail", args=[case.pk]), reverse("cases:timeline", args=[case.pk])):
        assert status_on(client, END, url) == 200
        assert status_on(client, END + datetime.timedelta(days=1), url) == 404


def test_team_row_by_organisation_ends_the_day_after_its_until(client, network, case, partner_organisation):
    worker = MembershipFactory(
        network=network, role=Membership.Role.CASEWORKER, organisation=partner_organisation
    )
    CaseTeamMemberFactory(
        case=case, organisation=partner_organisation, since=datetime.date(2026, 1, 5), until=END
    )
    login(client, worker.user)
    url = reverse("cases:detail", args=[case.pk])
    assert status_on(client, END, url) == 200
    after = END + datetime.timedelta(days=1)
    assert status_on(client, after, url) == 404
    with on(after):  # htmx partials too
        login(client, worker.user)
        assert (
            client.get(reverse("cases:timeline", args=[case.pk]), headers={"HX-Request": "true"}).status_code
            == 404
        )


def test_the_chair_keeps_a_closed_conference_for_the_grace_period_then_404(
    client, settings, conference_chair, conference
):
    settings.CONFERENCE_CHAIR_GRACE_DAYS = 30
    session = ConferenceSessionFactory(conference=conference)
    document = CaseDocument.objects.create(
        case=conference.case,
        kind=CaseDocument.Kind.CARE_PLAN,
        source=f"conference:{conference.pk}",
        status=CaseDocument.Status.DONE,
    )
    ClientConference.objects.filter(pk=conference.pk).update(
        status=ClientConference.Status.CLOSED, closed_on=END
    )
    login(client, conference_chair.user)
    last_day = END + datetime.timedelta(days=30)
    for url in (
        reverse("cases:conference-detail", args=[conference.pk]),
        reverse("cases:conference-session", args=[session.pk]),
        reverse("cases:document-status", args=[document.pk]),
    ):
        assert status_on(client, last_day, url) == 200, url
        assert status_on(client, last_day + datetime.timedelta(days=1), url) == 404, url
    with on(last_day + datetime.timedelta(days=1)):
        assert not chaired_conferences(conference_chair.user).exists()


def test_the_chair_who_leaves_the_pool_loses_the_conference_the_day_after(
    client, conference_chair, conference
):
    Membership.objects.filter(user=conference_chair.user).update(until=END)
    login(client, conference_chair.user)
    url = reverse("cases:conference-detail", args=[conference.pk])
    assert status_on(client, END, url) == 200
    assert status_on(client, END + datetime.timedelta(days=1), url) == 404


def test_a_withdrawn_request_ends_the_chairs_access_after_the_grace_period(
    client, settings, conference_chair, conference
):
    settings.CONFERENCE_CHAIR_GRACE_DAYS = 30
    ClientConference.objects.filter(pk=conference.pk).update(
        status=ClientConference.Status.WITHDRAWN, closed_on=END
    )
    login(client, conference_chair.user)
    url = reverse("cases:conference-detail", args=[conference.pk])
    assert status_on(client, END + datetime.timedelta(days=30), url) == 200
    assert status_on(client, END + datetime.timedelta(days=31), url) == 404


def test_the_cell_loses_the_conference_at_its_decision_and_gets_it_back_when_the_chair_leaves(
    client, manager, conference, conference_chair
):
    login(client, manager.user)
    url = reverse("cases:conference-detail", args=[conference.pk])
    ClientConference.objects.filter(pk=conference.pk).update(
        status=ClientConference.Status.REQUESTED, chair=None, decided_on=None
    )
    assert client.get(url).status_code == 200  # to decide
    ClientConference.objects.filter(pk=conference.pk).update(
        status=ClientConference.Status.ADMISSIBLE, decided_on=datetime.date(2026, 1, 15)
    )
    assert client.get(url).status_code == 200  # to assign a chair
    ClientConference.objects.filter(pk=conference.pk).update(chair=conference_chair.user)
    assert client.get(url).status_code == 404  # decided and handed over
    Membership.objects.filter(user=conference_chair.user).update(until=END)
    assert status_on(client, END, url) == 404
    assert status_on(client, END + datetime.timedelta(days=1), url) == 200  # a new chair is needed


def test_the_cell_loses_a_request_it_declared_not_admissible(client, manager, conference):
    ClientConference.objects.filter(pk=conference.pk).update(
        status=ClientConference.Status.NOT_ADMISSIBLE, chair=None
    )
    login(client, manager.user)
    assert client.get(reverse("cases:conference-detail", args=[conference.pk])).status_code == 404


@pytest.mark.parametrize("ending", ["declined", "withdrawn"])
def test_a_referral_receiver_loses_it_the_day_after_decline_or_withdrawal(
    client, network, case, consent, caseworker, partner_organisation, ending
):
    receiver = MembershipFactory(
        network=network, role=Membership.Role.CASEWORKER, organisation=partner_organisation
    )
    referral = ReferralFactory(
        case=case, to_organisation=partner_organisation, consent=consent, sent_by=caseworker.user
    )
    fields = {"status": ending, f"{ending}_on": END}
    if ending == "declined":
        fields["decline_reason"] = Referral.DeclineReason.values[0]
    Referral.objects.filter(pk=referral.pk).update(**fields)
    login(client, receiver.user)
    url = reverse("cases:referral-detail", args=[referral.pk])
    assert status_on(client, END, url) == 200
    assert status_on(client, END + datetime.timedelta(days=1), url) == 404
    with on(END + datetime.timedelta(days=1)):
        assert not receiving_referrals(receiver.user).filter(pk=referral.pk).exists()
