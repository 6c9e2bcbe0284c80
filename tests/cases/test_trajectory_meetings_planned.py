# ruff: noqa: F811 (pm and referable are fixtures imported from .planmakers)
"""Meetings planned ahead and re-planned, attendance of the young person and the family, and
support persons that end (issue 19 §3–§4, second round): the planned day and the reason on the
timeline, held recorded separately with attendance, invitations under consent, an ended anchor
figure no longer the case's anchor while its history stays; bad input in Dutch; access; fuzzing."""

import datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import IntervisieEntry, SupportPerson, TimelineEvent, Trajectory, TrajectoryMeeting
from cases.services import trajectory_meetings as meetings
from ijh.models import AuditEvent

from ..factories import NetworkMembershipFactory, UserFactory
from .planmakers import TODAY, accepted, pm, referable  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

FUZZED_URL_NAMES = {
    "cases:trajectory-meeting-plan",
    "cases:trajectory-meeting-replan",
    "cases:support-person-end",
}
# No new GET URLs: planning shows on the trajectory page, ended support persons on the case page.
READ_LOGGED_URL_NAMES: set[str] = set()
NOT_A_READ_URL_NAMES: set[str] = set()

SECRET = "Intervisie-geheim: de oom in Brugge wil helpen"


def frozen(day: datetime.date = TODAY):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12, 0)), tick=False)


@pytest.fixture(autouse=True)
def _clock():
    with frozen():
        yield


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def plan_post(client, trajectory, htmx=False, **overrides):
    data = {"kind": "ad_hoc", "planned_on": days(10).isoformat(), **overrides}
    data = {key: value for key, value in data.items() if value is not None}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("cases:trajectory-meeting-plan", args=[trajectory.pk]), data, **headers)


def replan_post(client, meeting, **fields):
    data = {f"replan-{meeting.pk}-{key}": value for key, value in fields.items()}
    return client.post(reverse("cases:trajectory-meeting-replan", args=[meeting.pk]), data)


def end_post(client, person, **fields):
    data = {f"end-{person.pk}-{key}": value for key, value in fields.items()}
    return client.post(reverse("cases:support-person-end", args=[person.pk]), data)


# --- planning ahead -----------------------------------------------------------------------------------


def test_ad_hoc_and_end_meetings_are_planned_ahead_with_the_young_person_and_the_family(
    client, referable, pm, caseworker
):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    response = plan_post(client, trajectory, invited=[pm.home.pk], invite_client="on", invite_family="on")
    assert response.status_code == 302
    assert plan_post(client, trajectory, kind="end", planned_on=days(120).isoformat()).status_code == 302
    ad_hoc = TrajectoryMeeting.objects.get(trajectory=trajectory, kind="ad_hoc")
    end = TrajectoryMeeting.objects.get(trajectory=trajectory, kind="end")
    assert (ad_hoc.planned_on, ad_hoc.held_on, ad_hoc.invite_client, ad_hoc.invite_family) == (
        days(10),
        None,
        True,
        True,
    )
    assert list(ad_hoc.invited.values_list("pk", flat=True)) == [pm.home.pk]
    assert ad_hoc.state(TODAY) == "due" and end.state(TODAY) == "planned"
    assert end.state(days(121)) == "overdue"  # planned day passed and not recorded as held
    lines = TimelineEvent.objects.filter(case=referable, kind="trajectory_meeting_planned")
    assert sorted(lines.values_list("detail", flat=True)) == [
        f"ad-hocoverleg: {days(10):%d/%m/%Y}",
        f"eindoverleg: {days(120):%d/%m/%Y}",
    ]
    page = client.get(reverse("cases:trajectory-detail", args=[trajectory.pk])).content.decode()
    assert "de jongere, het gezin" in page
    assert f"{days(120):%d/%m/%Y}" in page


def test_a_planned_meeting_shows_when_it_is_due_and_on_the_home_panel(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    meetings.record_meeting(
        trajectory=trajectory, by=pm.planmaker, kind="start", held_on=TODAY, client_presence="attended",
        roles_agreed="", findings="",
    )  # fmt: skip
    meetings.plan_meeting(trajectory=trajectory, by=pm.planmaker, kind="ad_hoc", planned_on=days(5))
    client.force_login(pm.planmaker)
    page = client.get(reverse("cases:trajectory-detail", args=[trajectory.pk])).content.decode()
    assert f"Het ad-hocoverleg is binnenkort: tegen {days(5):%d/%m/%Y}." in page
    assert f"overleg tegen {days(5):%d/%m/%Y}" in client.get(reverse("home")).content.decode()
    with frozen(days(6)):
        client.force_login(pm.planmaker)
        page = client.get(reverse("cases:trajectory-detail", args=[trajectory.pk])).content.decode()
        assert f"Het ad-hocoverleg is over tijd (te houden tegen {days(5):%d/%m/%Y})." in page
        assert "overleg over tijd" in client.get(reverse("home")).content.decode()


def test_the_scheduled_start_meeting_gets_its_day(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    assert plan_post(client, trajectory, kind="start", planned_on=days(12).isoformat()).status_code == 302
    start = TrajectoryMeeting.objects.get(trajectory=trajectory)  # still the one scheduled meeting
    assert (start.due_on, start.planned_on) == (days(14), days(12))
    again = plan_post(client, trajectory, kind="start", planned_on=days(13).isoformat())
    assert again.status_code == 422 and "is al gepland op" in again.content.decode()
    three = plan_post(client, trajectory, kind="three_months")
    assert three.status_code == 422 and "Registreer eerst het startoverleg." in three.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"planned_on": days(-1).isoformat()}, "Deze datum ligt in het verleden."),
        ({"planned_on": ""}, "Vul de datum in waarop het overleg plaatsvindt."),
        ({"planned_on": "31/02/2026"}, "Vul een geldige datum in"),
        ({"kind": "koffie"}, "Kies de soort overleg."),
    ],
)
def test_bad_planning_input_answers_in_dutch_and_saves_nothing(
    client, referable, pm, caseworker, overrides, message
):
    trajectory = accepted(referable, pm, caseworker)
    before = (TrajectoryMeeting.objects.count(), TimelineEvent.objects.count())
    client.force_login(pm.planmaker)
    response = plan_post(client, trajectory, htmx=True, **overrides)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "<html" not in response.content.decode()
    assert (TrajectoryMeeting.objects.count(), TimelineEvent.objects.count()) == before


def test_planned_invitations_only_to_organisations_the_consent_allows(
    client, referable, pm, caseworker, network
):
    trajectory = accepted(referable, pm, caseworker)
    stranger = NetworkMembershipFactory(
        network=network, organisation__name="Buiten de toestemming"
    ).organisation
    referable.team.create(organisation=stranger, since=TODAY)
    client.force_login(pm.planmaker)
    response = plan_post(client, trajectory, invited=[stranger.pk, pm.home.pk])
    assert response.status_code == 422
    assert "laat niet toe Buiten de toestemming uit te nodigen" in response.content.decode()
    assert not TrajectoryMeeting.objects.filter(kind="ad_hoc").exists()


def test_a_closed_trajectory_takes_no_planning_and_says_why(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    start = TrajectoryMeeting.objects.get(kind="start")
    client.force_login(pm.planmaker)
    Trajectory.objects.filter(pk=trajectory.pk).update(phase="closed", outcome="unblocked", closed_on=TODAY)
    for response in (
        plan_post(client, trajectory, htmx=True),
        replan_post(client, start, planned_on=days(20).isoformat(), reason="r"),
        client.post(
            reverse("cases:trajectory-meeting", args=[trajectory.pk]),
            {"kind": "ad_hoc", "held_on": TODAY.isoformat(), "client_presence": "attended"},
        ),
    ):
        assert response.status_code == 422
        assert "Dit traject loopt niet: er kan geen overleg meer bij." in response.content.decode()
    assert TrajectoryMeeting.objects.count() == 1


# --- re-planning ----------------------------------------------------------------------------------------


def test_a_planned_meeting_is_moved_and_the_reason_stays_on_the_timeline(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    plan_post(client, trajectory)
    meeting = TrajectoryMeeting.objects.get(kind="ad_hoc")
    response = replan_post(client, meeting, planned_on=days(17).isoformat(), reason="De school kan pas later")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.planned_on == days(17)
    line = TimelineEvent.objects.get(case=referable, kind="trajectory_meeting_replanned")
    assert line.detail == f"ad-hocoverleg: {days(10):%d/%m/%Y} → {days(17):%d/%m/%Y}. De school kan pas later"
    # The audit log names the field, never the reason.
    event = AuditEvent.objects.get(action="trajectory_meeting.replanned")
    assert "planned_on" in str(event.changed_fields)
    assert not AuditEvent.objects.filter(detail__icontains="school").exists()
    # The case team reads why on the timeline.
    client.force_login(caseworker.user)
    assert (
        "De school kan pas later"
        in client.get(reverse("cases:timeline", args=[referable.pk])).content.decode()
    )
    # The scheduled start meeting (only a due day) can be moved too.
    client.force_login(pm.planmaker)
    start = TrajectoryMeeting.objects.get(kind="start")
    assert (
        replan_post(client, start, planned_on=days(20).isoformat(), reason="Moeder ziek").status_code == 302
    )
    start.refresh_from_db()
    assert (start.due_on, start.planned_on, start.state(days(15))) == (days(14), days(20), "overdue")


def test_bad_replanning_answers_in_dutch_and_a_held_meeting_stays(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    start = TrajectoryMeeting.objects.get(kind="start")
    for fields, message in (
        (
            {"planned_on": days(20).isoformat(), "reason": ""},
            "Geef de reden waarom het overleg verplaatst wordt.",
        ),
        ({"planned_on": days(-2).isoformat(), "reason": "x"}, "De nieuwe datum ligt in het verleden."),
        ({"planned_on": days(14).isoformat(), "reason": "x"}, "Het overleg staat al op die datum."),
        ({"planned_on": "morgen", "reason": "x"}, "Vul een geldige datum in"),
    ):
        response = replan_post(client, start, **fields)
        assert response.status_code == 422, fields
        assert message in response.content.decode(), fields
    meetings.record_meeting(
        trajectory=trajectory, by=pm.planmaker, kind="start", held_on=TODAY, client_presence="attended",
        roles_agreed="", findings="",
    )  # fmt: skip
    response = replan_post(client, start, planned_on=days(20).isoformat(), reason="te laat")
    assert response.status_code == 422
    assert "is al gehouden op" in response.content.decode()
    start.refresh_from_db()
    assert (start.planned_on, start.held_on) == (None, TODAY)
    assert not TimelineEvent.objects.filter(kind="trajectory_meeting_replanned").exists()


# --- held, with attendance ------------------------------------------------------------------------------


def test_a_planned_meeting_is_recorded_as_held_with_who_attended(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    plan_post(client, trajectory, invited=[pm.home.pk, referable.lead_organisation_id], invite_family="on")
    meeting = TrajectoryMeeting.objects.get(kind="ad_hoc")
    # Not before it happened.
    with frozen(days(10)):
        client.force_login(pm.planmaker)
        response = client.post(
            reverse("cases:trajectory-meeting", args=[trajectory.pk]),
            {
                "meeting": meeting.pk,
                "held_on": days(10).isoformat(),
                "client_presence": "consulted",
                "family_presence": "attended",
                "attended": [pm.home.pk],
                "findings": "Vader komt voortaan mee.",
            },
        )
        assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.held_on, meeting.client_presence, meeting.family_presence) == (
        days(10),
        "consulted",
        "attended",
    )
    assert list(meeting.attended.values_list("pk", flat=True)) == [pm.home.pk]
    assert meeting.invited.count() == 2  # the planned invitations stay
    assert TrajectoryMeeting.objects.filter(kind="ad_hoc").count() == 1  # filled, not added
    with frozen(days(10)):
        client.force_login(caseworker.user)
        page = client.get(reverse("cases:trajectory-detail", args=[trajectory.pk])).content.decode()
    assert "het gezin was erbij" in page and "de jongere werd vooraf gehoord" in page
    assert "Aanwezig" in page and "Vader komt voortaan mee." in page


def test_held_attendance_is_limited_by_consent_and_a_held_meeting_is_not_filled_twice(
    client, referable, pm, caseworker, network
):
    trajectory = accepted(referable, pm, caseworker)
    stranger = NetworkMembershipFactory(network=network, organisation__name="Niet genoemd").organisation
    referable.team.create(organisation=stranger, since=TODAY)
    client.force_login(pm.planmaker)
    url = reverse("cases:trajectory-meeting", args=[trajectory.pk])
    start = TrajectoryMeeting.objects.get(kind="start")
    base = {"meeting": start.pk, "held_on": TODAY.isoformat(), "client_presence": "attended"}
    response = client.post(url, {**base, "attended": [stranger.pk]})
    assert response.status_code == 422
    assert "laat niet toe Niet genoemd uit te nodigen" in response.content.decode()
    response = client.post(url, {**base, "family_presence": "soms"})
    assert response.status_code == 422 and "of het gezin erbij was" in response.content.decode()
    assert client.post(url, base).status_code == 302
    again = client.post(url, base)
    assert again.status_code == 422  # the held meeting is no longer a choice
    assert TrajectoryMeeting.objects.filter(held_on__isnull=False).count() == 1


# --- support persons that end ---------------------------------------------------------------------------


def test_an_ended_anchor_figure_is_no_longer_the_anchor_and_its_history_stays(client, referable, caseworker):
    griet = SupportPerson.objects.create(
        case=referable, name="Tante Griet", role="tante", circle="own", is_anchor=True, since=days(-60)
    )
    client.force_login(caseworker.user)
    detail = reverse("cases:detail", args=[referable.pk])
    assert "data-anchor" in client.get(detail).content.decode()
    response = end_post(client, griet, until=days(-1).isoformat(), reason="Verhuisd naar Spanje")
    assert response.status_code == 302
    griet.refresh_from_db()
    assert (griet.until, griet.end_reason, griet.is_anchor) == (days(-1), "Verhuisd naar Spanje", True)
    page = client.get(detail).content.decode()
    assert "data-anchor" not in page  # no longer shown as the anchor
    assert "Vroegere steunfiguren" in page and "Verhuisd naar Spanje" in page and "Tante Griet" in page
    assert TimelineEvent.objects.filter(case=referable, kind="support_person_ended").count() == 1
    # Another can be the anchor now; the ended one cannot be made anchor again.
    add = reverse("cases:support-person-add", args=[referable.pk])
    assert (
        client.post(
            add, {"name": "Coach Ali", "role": "coach", "circle": "professional", "is_anchor": "on"}
        ).status_code
        == 302
    )
    assert "Coach Ali" in client.get(detail).content.decode().split("data-anchor", 1)[1][:200]
    refused = client.post(reverse("cases:support-person-anchor", args=[griet.pk]), {"is_anchor": "on"})
    assert refused.status_code == 422 and "is geen steunfiguur meer" in refused.content.decode()
    assert list(
        SupportPerson.objects.filter(is_anchor=True, until__isnull=True).values_list("name", flat=True)
    ) == ["Coach Ali"]
    again = end_post(client, griet, until=TODAY.isoformat(), reason="x")
    assert again.status_code == 422 and "is al beëindigd op" in again.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"until": days(3).isoformat(), "reason": "x"}, "Deze datum ligt in de toekomst."),
        ({"until": days(-90).isoformat(), "reason": "x"}, "Deze datum ligt vóór de start"),
        ({"until": TODAY.isoformat(), "reason": ""}, "Geef de reden waarom deze steunfiguur stopt."),
        ({"until": "gisteren", "reason": "x"}, "Vul een geldige datum in"),
    ],
)
def test_bad_end_of_a_support_person_answers_in_dutch(client, referable, caseworker, fields, message):
    jens = SupportPerson.objects.create(
        case=referable, name="Jens", role="buddy", circle="own", since=days(-30)
    )
    client.force_login(caseworker.user)
    before = TimelineEvent.objects.count()
    response = end_post(client, jens, **fields)
    assert response.status_code == 422
    assert message in response.content.decode()
    jens.refresh_from_db()
    assert jens.until is None and TimelineEvent.objects.count() == before


# --- access and privacy -------------------------------------------------------------------------------------


def test_access_to_planning_and_ending(client, referable, pm, caseworker, outsider):
    trajectory = accepted(referable, pm, caseworker)
    start = TrajectoryMeeting.objects.get(kind="start")
    person = SupportPerson.objects.create(
        case=referable, name="Jens", role="buddy", circle="own", since=days(-3)
    )
    meetings.add_intervisie(trajectory=trajectory, by=pm.planmaker, text=SECRET)
    expected = {
        "another planmaker": (pm.colleague, 404, 404, 404),
        "coordinator": (pm.coordinator, 403, 403, 404),
        "referrer team member": (caseworker.user, 403, 403, None),
        "outsider": (outsider.user, 404, 404, 404),
        "stranger": (UserFactory(), 404, 404, 404),
    }
    for who, (user, plan, replan, end) in expected.items():
        client.force_login(user)
        responses = [
            plan_post(client, trajectory),
            plan_post(client, trajectory, htmx=True),
            replan_post(client, start, planned_on=days(20).isoformat(), reason="r"),
        ]
        assert [r.status_code for r in responses] == [plan, plan, replan], who
        if end is not None:
            responses.append(end_post(client, person, until=TODAY.isoformat(), reason="r"))
            assert responses[-1].status_code == end, who
        for response in responses:
            assert SECRET not in response.content.decode(), who
    assert not TrajectoryMeeting.objects.filter(kind="ad_hoc").exists()
    start.refresh_from_db()
    assert start.planned_on is None
    person.refresh_from_db()
    assert person.until is None
    # A refused form of the team (422) never carries the intervisie either.
    client.force_login(caseworker.user)
    refused = end_post(client, person, until="", reason="")
    assert refused.status_code == 422 and SECRET not in refused.content.decode()
    client.force_login(pm.planmaker)
    refused = plan_post(client, trajectory, planned_on="", htmx=True)
    assert refused.status_code == 422 and 'id="intervisie"' not in refused.content.decode()


def test_trajectory_page_queries_do_not_grow_with_planned_meetings(
    client, referable, pm, caseworker, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    url = reverse("cases:trajectory-detail", args=[trajectory.pk])
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for index in range(4):
        meetings.plan_meeting(
            trajectory=trajectory, by=pm.planmaker, kind="ad_hoc", planned_on=days(5 + index),
            invited=[pm.home], invite_client=True,
        )  # fmt: skip
    meeting = TrajectoryMeeting.objects.filter(kind="ad_hoc").first()
    with frozen(days(6)):
        meetings.record_meeting(
            trajectory=trajectory, by=pm.planmaker, kind="", meeting=meeting, held_on=days(5),
            client_presence="attended", family_presence="consulted", roles_agreed="", findings="",
            attended=[pm.home],
        )  # fmt: skip
    assert count() == few
    with django_assert_num_queries(few):
        client.get(url)


# --- fuzzing ----------------------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GARBAGE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "0", "-1", "999999999999999999999", "\x00", "on", "ad_hoc", "end", "start"]),
    st.sampled_from(["2026-02-30", "0001-01-01", "9999-12-31", "31/12/2026", days(5).isoformat()]),
)


def _fields(prefix: str) -> list[str]:
    return [f"{prefix}{name}" for name in ("planned_on", "reason", "until")]


def snapshot():
    return (
        list(TrajectoryMeeting.objects.order_by("pk").values_list("pk", "planned_on", "held_on")),
        list(SupportPerson.objects.order_by("pk").values_list("pk", "until", "end_reason")),
        TimelineEvent.objects.count(),
        IntervisieEntry.objects.count(),
    )


@FUZZ
@given(data=st.data())
def test_new_posts_survive_anything(client, referable, pm, caseworker, data):
    start = TrajectoryMeeting.objects.filter(kind="start").first()
    trajectory = start.trajectory if start else accepted(referable, pm, caseworker)
    start = start or TrajectoryMeeting.objects.get(kind="start")
    person = SupportPerson.objects.first() or SupportPerson.objects.create(
        case=referable, name="P", role="buddy", circle="own", since=days(-5)
    )
    for user, name, args, prefix in (
        (pm.planmaker, "cases:trajectory-meeting-plan", [trajectory.pk], ""),
        (pm.planmaker, "cases:trajectory-meeting-replan", [start.pk], f"replan-{start.pk}-"),
        (caseworker.user, "cases:support-person-end", [person.pk], f"end-{person.pk}-"),
    ):
        names = ["kind", "invited", "invite_client", "invite_family", *_fields(prefix)]
        body = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(names, GARBAGE)))
        client.force_login(user)
        before = snapshot()
        with transaction.atomic():
            response = client.post(reverse(name, args=args), body)
            changed = snapshot() != before
            transaction.set_rollback(True)
        assert response.status_code < 500
        if response.status_code >= 400:
            assert not changed
