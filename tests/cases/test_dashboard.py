"""Home page panels for case work: my werkplan agreements, due follow-ups, a chair's sessions."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases import dashboard
from cases.models import CarePlanItem, CaseTeamMember, ClientConference, ConferenceSession
from networks.models import Membership
from tests.factories import CarePlanItemFactory, ConferenceSessionFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def running(conference):
    conference.status = ClientConference.Status.RUNNING
    conference.save()
    return conference


@pytest.fixture
def first_session(running):
    return ConferenceSessionFactory(
        conference=running, starts_at=NOW - datetime.timedelta(days=20), status=ConferenceSession.Status.HELD
    )


def item(session, owner, due_on, **kwargs):
    return CarePlanItemFactory(made_in=session, owner=owner, owner_label="", due_on=due_on, **kwargs)


class TestMyAgreements:
    def test_open_agreements_overdue_first_with_names(self, as_user, caseworker, first_session):
        later = item(first_session, caseworker.user, datetime.date(2026, 12, 30), description="Later werk")
        late = item(first_session, caseworker.user, datetime.date(2026, 11, 1), description="Te laat werk")
        item(first_session, caseworker.user, datetime.date(2026, 11, 1), description="Klaar", status="done")
        response = as_user(caseworker).get(reverse("home"))
        text = response.text
        assert "Mijn afspraken uit werkplannen" in text
        assert text.index("Te laat werk") < text.index("Later werk")
        assert f'<tr id="plan-item-{late.pk}" class="overdue">' in text
        assert f'<tr id="plan-item-{later.pk}" class="">' in text
        assert "Klaar" not in text
        assert "Lotte Vermeersch" in text

    def test_someone_elses_agreement_is_not_mine(self, caseworker, conference_chair, first_session):
        item(first_session, conference_chair.user, datetime.date(2026, 12, 1))
        assert dashboard.my_plan_items(caseworker.user)["items"] == []

    def test_owner_who_left_the_team_no_longer_sees_it(self, caseworker, first_session):
        item(first_session, caseworker.user, datetime.date(2026, 12, 1))
        CaseTeamMember.objects.filter(case=first_session.conference.case).update(
            until=datetime.date(2026, 11, 1)
        )
        assert dashboard.my_plan_items(caseworker.user)["items"] == []

    def test_closed_conference_drops_off(self, caseworker, first_session):
        item(first_session, caseworker.user, datetime.date(2026, 12, 1))
        ClientConference.objects.update(
            status=ClientConference.Status.CLOSED, closed_on=datetime.date(2026, 11, 20)
        )
        assert dashboard.my_plan_items(caseworker.user)["items"] == []

    def test_follow_up_from_the_dashboard(self, as_user, caseworker, first_session):
        mine = item(first_session, caseworker.user, datetime.date(2026, 12, 1))
        response = as_user(caseworker).post(
            reverse("cases:conference-plan-item-follow-up", args=[mine.pk]),
            {"status": "done", "next": "home"},
        )
        assert response["Location"] == reverse("home")
        mine.refresh_from_db()
        assert mine.status == CarePlanItem.Status.DONE

    def test_nothing_to_show_renders_nothing(self, as_user, member):
        text = as_user(member).get(reverse("home")).text
        assert "Mijn afspraken uit werkplannen" not in text
        assert "Komende cliëntoverleggen" not in text

    @pytest.mark.parametrize("size", [1, 12])
    def test_one_query_each(self, caseworker, first_session, size, django_assert_num_queries):
        for n in range(size):
            item(first_session, caseworker.user, datetime.date(2026, 11, 20) + datetime.timedelta(days=n))
        with django_assert_num_queries(1):
            assert len(dashboard.my_plan_items(caseworker.user)["items"]) == size
        with django_assert_num_queries(1):
            dashboard.plan_item_deadlines(caseworker.user)


class TestDeadlines:
    def test_due_within_fourteen_days(self, caseworker, first_session):
        soon = item(first_session, caseworker.user, datetime.date(2026, 12, 5))
        item(first_session, caseworker.user, datetime.date(2026, 12, 8))  # 15 days: not yet
        late = item(first_session, caseworker.user, datetime.date(2026, 11, 2))
        deadlines = dashboard.plan_item_deadlines(caseworker.user)
        assert [d.due for d in deadlines] == [late.due_on, soon.due_on]
        assert deadlines[0].url.endswith(f"/clientoverleg/{first_session.conference_id}/#werkplan")
        assert first_session.conference.case.client.pseudonym in deadlines[0].label

    def test_on_the_home_page(self, as_user, caseworker, first_session):
        item(first_session, caseworker.user, datetime.date(2026, 12, 5), description="Intake CGG regelen")
        text = as_user(caseworker).get(reverse("home")).text
        assert "Werkplan" in text and "05/12/2026" in text


class TestSessions:
    def test_chair_sees_upcoming_sessions_for_thirty_days(self, conference_chair, running):
        soon = ConferenceSessionFactory(conference=running, starts_at=NOW + datetime.timedelta(days=3))
        ConferenceSessionFactory(conference=running, starts_at=NOW + datetime.timedelta(days=31))
        ConferenceSessionFactory(
            conference=running,
            starts_at=NOW + datetime.timedelta(days=4),
            status=ConferenceSession.Status.CANCELLED,
        )
        ConferenceSessionFactory(conference=running, starts_at=NOW - datetime.timedelta(days=1))
        sessions = dashboard.my_sessions(conference_chair.user)["sessions"]
        assert sessions == [soon]
        assert sessions[0].user_is_chair

    def test_chair_out_of_the_pool_sees_nothing(self, conference_chair, running):
        ConferenceSessionFactory(conference=running, starts_at=NOW + datetime.timedelta(days=3))
        Membership.objects.filter(user=conference_chair.user).update(until=datetime.date(2026, 11, 1))
        assert dashboard.my_sessions(conference_chair.user)["sessions"] == []

    def test_team_sees_follow_ups_not_first_sessions(self, caseworker, running):
        ConferenceSessionFactory(conference=running, starts_at=NOW + datetime.timedelta(days=2))
        follow_up = ConferenceSessionFactory(
            conference=running,
            kind=ConferenceSession.Kind.FOLLOW_UP,
            starts_at=NOW + datetime.timedelta(days=5),
        )
        assert dashboard.my_sessions(caseworker.user)["sessions"] == [follow_up]

    def test_outsiders_see_nothing(self, other_caseworker, manager, running):
        ConferenceSessionFactory(
            conference=running,
            kind=ConferenceSession.Kind.FOLLOW_UP,
            starts_at=NOW + datetime.timedelta(days=5),
        )
        assert dashboard.my_sessions(other_caseworker.user)["sessions"] == []
        # the organising cell does not get sessions on its home page
        assert dashboard.my_sessions(manager.user)["sessions"] == []

    def test_panel_shows_pseudonym_and_name_to_the_chair(self, as_user, conference_chair, running):
        session = ConferenceSessionFactory(conference=running, starts_at=NOW + datetime.timedelta(days=3))
        text = as_user(conference_chair).get(reverse("home")).text
        assert "Komende cliëntoverleggen" in text
        assert f"{running.case.client.pseudonym} · Lotte Vermeersch" in text
        assert reverse("cases:conference-session", args=[session.pk]) in text

    @pytest.mark.parametrize("size", [1, 10])
    def test_one_query(self, conference_chair, running, size, django_assert_num_queries):
        for n in range(size):
            ConferenceSessionFactory(conference=running, starts_at=NOW + datetime.timedelta(days=1 + n))
        with django_assert_num_queries(1):
            assert len(dashboard.my_sessions(conference_chair.user)["sessions"]) == size


@pytest.mark.parametrize("size", [1, 10])
def test_home_page_queries_do_not_grow(as_user, caseworker, first_session, size, django_assert_num_queries):
    for n in range(size):
        item(first_session, caseworker.user, datetime.date(2026, 11, 25) + datetime.timedelta(days=n))
        ConferenceSessionFactory(
            conference=first_session.conference,
            kind=ConferenceSession.Kind.FOLLOW_UP,
            starts_at=timezone.now() + datetime.timedelta(days=1 + n),
        )
    client = as_user(caseworker)
    client.get(reverse("home"))
    # Measured as a difference, so the panels of other apps don't matter here: the same count
    # for 1 and 10 rows. (Ours: my agreements, my sessions, my deadlines = 3 queries.)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("home"))
    ours = [
        q
        for q in captured.captured_queries
        if "cases_careplanitem" in q["sql"] or "cases_conferencesession" in q["sql"]
    ]
    assert len(ours) == 3


def test_the_home_page_logs_a_read_when_it_shows_client_data(client, caseworker, conference):
    from ijh.models import AuditEvent
    from tests.factories import CarePlanItemFactory, ConferenceSessionFactory

    session = ConferenceSessionFactory(conference=conference)
    CarePlanItemFactory(made_in=session, conference=conference, owner=caseworker.user)
    client.force_login(caseworker.user)
    client.get(reverse("home"))
    assert (
        AuditEvent.objects.filter(action="dashboard.viewed", actor=caseworker.user, detail="home").count()
        == 1
    )


def test_the_home_page_logs_nothing_without_client_data(client, member):
    from ijh.models import AuditEvent

    client.force_login(member.user)
    client.get(reverse("home"))
    assert not AuditEvent.objects.filter(action="dashboard.viewed").exists()
