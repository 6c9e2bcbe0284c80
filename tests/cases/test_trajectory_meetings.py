# ruff: noqa: F811 (pm and referable are fixtures imported from .planmakers)
"""Samenwerkingsoverleg, intervisie and support persons on a planmaker trajectory (issue 19 §3–§4):
the automatic start and three-month meetings with a frozen clock, due/overdue, bad input in Dutch,
consent-limited invitations, intervisie privacy, the one anchor figure per case, access per
persona, query counts, and fuzzed POSTs."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import IntervisieEntry, SupportPerson, TimelineEvent, TrajectoryMeeting
from cases.services import trajectory_meetings as meetings

from ..factories import NetworkMembershipFactory, UserFactory
from .planmakers import TODAY, accepted, pm, referable  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

FUZZED_URL_NAMES = {
    "cases:trajectory-meeting",
    "cases:trajectory-intervisie",
    "cases:support-person-add",
    "cases:support-person-anchor",
}
# No new GET URLs: meetings and intervisie show on the trajectory page, support persons on the case.
READ_LOGGED_URL_NAMES: set[str] = set()
NOT_A_READ_URL_NAMES: set[str] = set()

SECRET = "Intervisie-geheim: we kunnen verder via de tante in Gent"


def frozen(day: datetime.date = TODAY):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12, 0)), tick=False)


@pytest.fixture(autouse=True)
def _clock():
    with frozen():
        yield


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def meeting_post(client, trajectory, htmx=False, **overrides):
    data = {
        "kind": "start",
        "held_on": TODAY.isoformat(),
        "client_presence": "attended",
        "roles_agreed": "Moeder belt de school; de voorziening houdt de plaats vrij.",
        "findings": "Iedereen wil verder; de jongere wil dichter bij huis.",
        **overrides,
    }
    data = {key: value for key, value in data.items() if value is not None}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("cases:trajectory-meeting", args=[trajectory.pk]), data, **headers)


# --- the automatic meetings ---------------------------------------------------------------------------


def test_acceptance_schedules_the_start_meeting_and_holding_it_the_three_month_one(referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    start = TrajectoryMeeting.objects.get(trajectory=trajectory)
    assert (start.kind, start.due_on, start.held_on) == ("start", days(14), None)
    assert start.state(TODAY) == "due"
    assert start.state(days(-1)) == "planned"
    assert start.state(days(15)) == "overdue"
    assert TimelineEvent.objects.filter(case=referable, kind="trajectory_meeting_due").count() == 1
    with frozen(days(10)):
        meetings.record_meeting(
            trajectory=trajectory, by=pm.planmaker, kind="start", held_on=days(9),
            client_presence="consulted", roles_agreed="R", findings="F",
        )  # fmt: skip
    start.refresh_from_db()
    assert (start.held_on, start.client_presence, start.state(days(40))) == (days(9), "consulted", "held")
    three = TrajectoryMeeting.objects.get(trajectory=trajectory, kind="three_months")
    assert three.due_on == days(9 + 91)
    assert three.state(days(80)) == "planned"
    assert three.state(days(95)) == "due"
    assert three.state(days(101)) == "overdue"
    assert TimelineEvent.objects.filter(case=referable, kind="trajectory_meeting_held").count() == 1


def test_due_and_overdue_show_on_the_trajectory_page(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    with frozen(days(3)):
        client.force_login(pm.planmaker)
        page = client.get(reverse("cases:trajectory-detail", args=[trajectory.pk])).content.decode()
        assert 'data-meeting-state="due"' in page and "binnenkort" in page
    with frozen(days(20)):
        client.force_login(pm.planmaker)
        page = client.get(reverse("cases:trajectory-detail", args=[trajectory.pk])).content.decode()
        assert 'data-meeting-state="overdue"' in page
        assert "is over tijd" in page


# --- recording a meeting ----------------------------------------------------------------------------


def test_a_held_meeting_is_recorded_with_consented_invitations(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    response = meeting_post(client, trajectory, invited=[pm.home.pk, referable.lead_organisation_id])
    assert response.status_code == 302
    start = TrajectoryMeeting.objects.get(trajectory=trajectory, kind="start")
    assert start.held_on == TODAY and start.client_presence == "attended"
    assert set(start.invited.values_list("pk", flat=True)) == {pm.home.pk, referable.lead_organisation_id}
    assert TrajectoryMeeting.objects.filter(trajectory=trajectory, kind="three_months").exists()
    # The case team reads the findings on the trajectory page.
    client.force_login(caseworker.user)
    page = client.get(reverse("cases:trajectory-detail", args=[trajectory.pk])).content.decode()
    assert "de jongere wil dichter bij huis" in page
    # A second start meeting is refused; an ad hoc one is fine.
    client.force_login(pm.planmaker)
    assert "is al geregistreerd" in meeting_post(client, trajectory).content.decode()
    assert meeting_post(client, trajectory, kind="ad_hoc").status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"held_on": "2026-01-01"}, "vóór de aanmelding"),
        ({"held_on": "2026-06-16"}, "in de toekomst"),
        ({"held_on": ""}, "Vul de datum van het overleg in."),
        ({"client_presence": None}, "of de jongere erbij was of vooraf gehoord werd"),
        ({"kind": "three_months"}, "Registreer eerst het startoverleg."),
    ],
)
def test_bad_meeting_input_answers_in_dutch_and_saves_nothing(
    client, referable, pm, caseworker, overrides, message
):
    trajectory = accepted(referable, pm, caseworker)
    before = TimelineEvent.objects.count()
    client.force_login(pm.planmaker)
    response = meeting_post(client, trajectory, **overrides)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not TrajectoryMeeting.objects.filter(held_on__isnull=False).exists()
    assert TimelineEvent.objects.count() == before


def test_invitations_only_to_organisations_the_consent_allows(client, referable, pm, caseworker, network):
    trajectory = accepted(referable, pm, caseworker)
    stranger = NetworkMembershipFactory(
        network=network, organisation__name="Niet in de toestemming"
    ).organisation
    # On the case team, but the trajectory's consent does not name it.
    referable.team.create(organisation=stranger, since=TODAY)
    client.force_login(pm.planmaker)
    response = meeting_post(client, trajectory, invited=[stranger.pk], htmx=True)
    assert response.status_code == 422
    body = response.content.decode()
    assert "laat niet toe Niet in de toestemming uit te nodigen" in body
    assert "<html" not in body  # the htmx partial of the same template
    assert not TrajectoryMeeting.objects.filter(held_on__isnull=False).exists()
    # A withdrawn consent allows nobody.
    referable.consents.update(withdrawn_on=days(-1))
    trajectory.consent.refresh_from_db()
    assert meetings.allowed_organisations(trajectory) == []


# --- intervisie ---------------------------------------------------------------------------------------


def test_intervisie_is_for_the_planmakers_and_the_coordinator_only(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    url = reverse("cases:trajectory-intervisie", args=[trajectory.pk])
    assert client.post(url, {"text": ""}, HTTP_HX_REQUEST="true").status_code == 422
    assert client.post(url, {"text": SECRET}).status_code == 302
    entry = IntervisieEntry.objects.get()
    line = TimelineEvent.objects.get(kind="intervisie_added")
    assert line.detail == "" and line.object_id == str(entry.pk)
    detail = reverse("cases:trajectory-detail", args=[trajectory.pk])
    assert SECRET in client.get(detail).content.decode()
    client.force_login(pm.coordinator)
    assert SECRET in client.get(detail).content.decode()
    assert client.post(url, {"text": "Coördinator: vraag de school erbij."}).status_code == 302

    # The referrer's case team: no page, partial or refused form shows the text.
    start = TrajectoryMeeting.objects.get(trajectory=trajectory, kind="start")
    person = SupportPerson.objects.create(case=referable, name="Jens", role="buddy", circle="own")
    client.force_login(caseworker.user)
    responses = [
        client.get(detail),
        client.get(detail, HTTP_HX_REQUEST="true"),
        client.get(reverse("cases:detail", args=[referable.pk])),
        client.get(reverse("cases:timeline", args=[referable.pk])),
        client.get(reverse("cases:trajectory-list")),
        meeting_post(client, trajectory, htmx=True),
        client.post(url, {"text": "x"}),
        client.post(url, {"text": "x"}, HTTP_HX_REQUEST="true"),
        client.post(reverse("cases:support-person-add", args=[referable.pk]), {}, HTTP_HX_REQUEST="true"),
        client.post(reverse("cases:support-person-add", args=[referable.pk]), {}),
        # The planning, moving and ending forms (second round): refused or not theirs.
        client.post(
            reverse("cases:trajectory-meeting-plan", args=[trajectory.pk]), {}, HTTP_HX_REQUEST="true"
        ),
        client.post(reverse("cases:trajectory-meeting-replan", args=[start.pk]), {}, HTTP_HX_REQUEST="true"),
        client.post(reverse("cases:support-person-end", args=[person.pk]), {}),
        client.post(reverse("cases:support-person-end", args=[person.pk]), {}, HTTP_HX_REQUEST="true"),
    ]
    assert [r.status_code for r in responses][-4:] == [403, 403, 422, 422]
    assert [r.status_code for r in responses][:5] == [200] * 5
    assert responses[5].status_code == 403 and responses[6].status_code == 403
    for response in responses:
        body = response.content.decode()
        assert SECRET not in body and "vraag de school erbij" not in body
        assert 'id="intervisie"' not in body
    assert IntervisieEntry.objects.count() == 2


def test_access_to_the_meeting_and_intervisie_posts(client, referable, pm, caseworker, outsider):
    trajectory = accepted(referable, pm, caseworker)
    meeting_url = reverse("cases:trajectory-meeting", args=[trajectory.pk])
    intervisie_url = reverse("cases:trajectory-intervisie", args=[trajectory.pk])
    detail = reverse("cases:trajectory-detail", args=[trajectory.pk])
    expected = {
        "planmaker": (pm.planmaker, 200, 302, 302),
        "another planmaker": (pm.colleague, 404, 404, 404),
        "coordinator": (pm.coordinator, 200, 403, 302),
        "referrer team member": (caseworker.user, 200, 403, 403),
        "outsider": (outsider.user, 404, 404, 404),
        "stranger": (UserFactory(), 404, 404, 404),
    }
    for who, (user, page, meeting, intervisie) in expected.items():
        client.force_login(user)
        assert client.get(detail).status_code == page, who
        assert meeting_post(client, trajectory, kind="ad_hoc").status_code == meeting, who
        assert client.post(intervisie_url, {"text": SECRET}).status_code == intervisie, who
    assert meeting_url  # (used through meeting_post)
    # The planmaker's reason ends with the planmaker role: then 404 as for everyone else.
    pm.planmaker.memberships.update(until=days(-1))
    client.force_login(pm.planmaker)
    assert client.get(detail).status_code == 404
    assert client.post(intervisie_url, {"text": SECRET}).status_code == 404


def test_trajectory_page_answers_in_a_fixed_number_of_queries(
    client, referable, pm, caseworker, django_assert_num_queries
):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    url = reverse("cases:trajectory-detail", args=[trajectory.pk])
    client.get(url)  # warm the session

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    meetings.record_meeting(
        trajectory=trajectory, by=pm.planmaker, kind="start", held_on=TODAY, client_presence="attended",
        roles_agreed="R", findings="F", invited=[pm.home],
    )  # fmt: skip
    for index in range(5):
        meetings.record_meeting(
            trajectory=trajectory, by=pm.planmaker, kind="ad_hoc", held_on=TODAY,
            client_presence="consulted", roles_agreed="", findings=f"F{index}", invited=[pm.home],
        )  # fmt: skip
        meetings.add_intervisie(trajectory=trajectory, by=pm.planmaker, text=f"I{index}")
    many = count()
    assert many == few  # six meetings with invitations and five intervisie entries: no more queries
    with django_assert_num_queries(many):
        client.get(url)


# --- support persons and the anchor figure ---------------------------------------------------------------


def test_support_persons_and_one_anchor_figure_on_the_case_page(client, referable, caseworker, outsider):
    client.force_login(caseworker.user)
    add = reverse("cases:support-person-add", args=[referable.pk])
    data = {"name": "Tante Griet", "role": "tante", "circle": "own", "is_anchor": "on"}
    assert client.post(add, data).status_code == 302
    assert client.post(add, {"name": "Jens", "role": "buddy", "circle": "professional"}).status_code == 302
    second = client.post(add, {**data, "name": "Coach Ali", "role": "coach"}, HTTP_HX_REQUEST="true")
    assert second.status_code == 422
    assert "Dit dossier heeft al een ankerfiguur." in second.content.decode()
    assert "<html" not in second.content.decode()
    page = client.get(reverse("cases:detail", args=[referable.pk])).content.decode()
    assert "Ankerfiguur" in page and "Tante Griet" in page and "Jens" in page
    assert SupportPerson.objects.filter(case=referable).count() == 2
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportPerson.objects.create(case=referable, name="X", role="x", circle="own", is_anchor=True)
    # Making Jens the anchor figure moves it; Griet stays a support person.
    jens = SupportPerson.objects.get(name="Jens")
    anchor_url = reverse("cases:support-person-anchor", args=[jens.pk])
    assert client.post(anchor_url, {"is_anchor": "on"}).status_code == 302
    assert list(SupportPerson.objects.filter(is_anchor=True).values_list("name", flat=True)) == ["Jens"]
    events = TimelineEvent.objects.filter(case=referable, kind__startswith="support_person").count()
    assert client.post(anchor_url, {"is_anchor": "on"}).status_code == 302  # no change: no line
    assert TimelineEvent.objects.filter(case=referable, kind__startswith="support_person").count() == events
    client.force_login(outsider.user)
    assert client.post(add, data).status_code == 404
    assert client.post(anchor_url, {}).status_code == 404
    assert SupportPerson.objects.get(name="Jens").is_anchor


# --- fuzzing ------------------------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GARBAGE = st.one_of(
    st.text(max_size=100),
    st.sampled_from(
        ["", " ", "0", "-1", "999999999999999999999", "\x00", "on", "start", "ad_hoc", "attended"]
    ),
    st.sampled_from(["2026-02-30", "0001-01-01", "9999-12-31", "31/12/2026", TODAY.isoformat()]),
)
FIELDS = ["kind", "held_on", "client_presence", "roles_agreed", "findings", "invited", "text", "name",
          "role", "circle", "is_anchor"]  # fmt: skip
BODY = st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, GARBAGE))


def snapshot():
    return (
        list(TrajectoryMeeting.objects.order_by("pk").values_list("pk", "held_on", "findings")),
        IntervisieEntry.objects.count(),
        list(SupportPerson.objects.order_by("pk").values_list("pk", "is_anchor")),
        TimelineEvent.objects.count(),
    )


@FUZZ
@given(data=BODY)
def test_new_posts_survive_anything(client, referable, pm, caseworker, data):
    trajectory = TrajectoryMeeting.objects.filter(kind="start").first()
    trajectory = trajectory.trajectory if trajectory else accepted(referable, pm, caseworker)
    person = SupportPerson.objects.first() or SupportPerson.objects.create(
        case=referable, name="P", role="buddy", circle="own"
    )
    for user, name, args in (
        (pm.planmaker, "cases:trajectory-meeting", [trajectory.pk]),
        (pm.planmaker, "cases:trajectory-intervisie", [trajectory.pk]),
        (caseworker.user, "cases:support-person-add", [referable.pk]),
        (caseworker.user, "cases:support-person-anchor", [person.pk]),
    ):
        client.force_login(user)
        before = snapshot()
        with transaction.atomic():
            response = client.post(reverse(name, args=args), data)
            changed = snapshot() != before
            transaction.set_rollback(True)
        assert response.status_code < 500
        if response.status_code >= 400:
            assert not changed


def test_demo_has_meetings_one_overdue_an_intervisie_entry_and_an_anchor_figure(settings, tmp_path):
    from django.core.management import call_command

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    call_command("load_demo")
    states = [m.state(TODAY) for m in TrajectoryMeeting.objects.filter(trajectory__phase="connecting")]
    assert "overdue" in states
    assert TrajectoryMeeting.objects.filter(held_on__isnull=False).count() >= 3
    assert IntervisieEntry.objects.exists()
    assert SupportPerson.objects.filter(is_anchor=True).exists()
    # Second round: meetings planned ahead with the family invited, attendance, a buddy who stopped.
    assert TrajectoryMeeting.objects.filter(
        held_on__isnull=True, planned_on__gt=TODAY, invite_family=True
    ).exists()
    assert TrajectoryMeeting.objects.filter(held_on__isnull=False, family_presence="attended").exists()
    assert SupportPerson.objects.filter(until__isnull=False).exclude(end_reason="").exists()
    assert not TimelineEvent.objects.filter(kind="intervisie_added").exclude(detail="").exists()


def test_home_panel_shows_the_next_meeting_and_when_it_is_overdue(client, referable, pm, caseworker):
    accepted(referable, pm, caseworker)
    with frozen(days(20)):
        client.force_login(pm.planmaker)
        page = client.get(reverse("home")).content.decode()
    assert "overleg tegen 29/06/2026" in page
    assert "overleg over tijd" in page


def test_writes_are_audited_and_the_coordinators_reading_ends_with_the_role(
    client, referable, pm, caseworker
):
    from ijh.models import AuditEvent

    trajectory = accepted(referable, pm, caseworker)
    meetings.add_intervisie(trajectory=trajectory, by=pm.planmaker, text=SECRET)
    meetings.record_meeting(
        trajectory=trajectory, by=pm.planmaker, kind="start", held_on=TODAY, client_presence="attended",
        roles_agreed="", findings="",
    )  # fmt: skip
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"trajectory_meeting.scheduled", "trajectory_meeting.held", "intervisie.added"} <= actions
    assert not AuditEvent.objects.filter(detail__icontains="tante").exists()
    pm.coordinator.memberships.update(until=days(-1))
    client.force_login(pm.coordinator)
    assert client.get(reverse("cases:trajectory-detail", args=[trajectory.pk])).status_code == 404
    assert (
        client.post(reverse("cases:trajectory-intervisie", args=[trajectory.pk]), {"text": "x"}).status_code
        == 404
    )
