# ruff: noqa: F811 (pm and referable are fixtures imported from .planmakers)
"""Planmaker trajectories (issue 19): the aanmelding, the decision, the phases and the shared
plan, bottlenecks; who reaches what and until when (frozen clock); bad input answers in Dutch."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import PLANMAKER_GRACE_DAYS, CaseTeamMember, SharedPlanItem, TimelineEvent, Trajectory
from cases.services import trajectories as services
from ijh.models import AuditEvent
from networks.models import Body, Bottleneck, Membership

from ..factories import (
    BodyFactory,
    ConsentFactory,
    MeetingFactory,
    NetworkMembershipFactory,
    life_domain,
)
from .planmakers import TODAY, accepted, pm, referable, referred  # noqa: F401 (pm, referable: fixtures)

pytestmark = pytest.mark.django_db


# GET pages of the planmaker area (tests/cases/test_read_log.py collects these).
READ_LOGGED_URL_NAMES = {
    "cases:trajectory-list",
    "cases:trajectory-create",
    "cases:trajectory-detail",
    "cases:bottleneck-detail",
}
# The bottleneck overview: categories, levels and counts, never a client.
NOT_A_READ_URL_NAMES = {"cases:bottleneck-list"}


def frozen(day: datetime.date = TODAY):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12, 0)), tick=False)


@pytest.fixture(autouse=True)
def _clock():
    with frozen():
        yield


def refer_post(client, case, pm, **overrides):
    data = {
        "referring_organisation": case.lead_organisation_id,
        "network": pm.network.pk,
        "question": "Hoe krijgen we opnieuw een plan waar iedereen achter staat?",
        "difficult_from_start": "on",
        "involved": "Moeder, voorziening, CGG, school",
        "referrer_engaged": "on",
        **overrides,
    }
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(reverse("cases:trajectory-create", args=[case.pk]), data)


# --- the aanmelding --------------------------------------------------------------------------------


def test_caseworker_refers_and_the_timeline_says_so(client, referable, pm, caseworker):
    client.force_login(caseworker.user)
    assert client.get(reverse("cases:trajectory-create", args=[referable.pk])).status_code == 200
    response = refer_post(client, referable, pm)
    trajectory = Trajectory.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "cases:trajectory-detail", args=[trajectory.pk]
    )
    assert trajectory.phase == Trajectory.Phase.REFERRED and trajectory.difficult_from_start
    assert referable.timeline.filter(kind=TimelineEvent.Kind.TRAJECTORY_REFERRED).count() == 1
    assert AuditEvent.objects.filter(action="trajectory.referred").count() == 1


def test_referral_without_engagement_is_refused_in_dutch(client, referable, pm, caseworker):
    client.force_login(caseworker.user)
    response = refer_post(client, referable, pm, referrer_engaged=None)
    assert response.status_code == 422
    assert "samenwerkingsoverleggen" in response.content.decode()
    assert not Trajectory.objects.exists()


def test_referral_without_criterion_is_refused(client, referable, pm, caseworker):
    client.force_login(caseworker.user)
    response = refer_post(client, referable, pm, difficult_from_start=None)
    assert response.status_code == 422 and "criterium" in response.content.decode()


def test_referral_without_consent_naming_the_planmakers_is_refused(
    client, pm, case, case_organisation, caseworker
):
    NetworkMembershipFactory(network=pm.network, organisation=case_organisation)
    ConsentFactory(case=case, organisations=[case_organisation])  # not the planmakers' organisation
    client.force_login(caseworker.user)
    response = refer_post(client, case, pm)
    assert response.status_code == 422
    assert "toestemming" in response.content.decode()
    assert not Trajectory.objects.exists()


def test_referral_to_a_network_the_organisation_is_not_in_is_refused(client, pm, case, caseworker):
    ConsentFactory(case=case, organisations=[pm.home])
    client.force_login(caseworker.user)
    response = refer_post(client, case, pm)
    assert response.status_code == 422 and not Trajectory.objects.exists()


# --- the decision --------------------------------------------------------------------------------


def test_coordinator_accepts_and_the_planmaker_joins_the_team(client, referable, pm, caseworker):
    trajectory = referred(referable, pm, caseworker)
    client.force_login(pm.coordinator)
    page = client.get(reverse("cases:trajectory-detail", args=[trajectory.pk])).content.decode()
    assert "Vraag" in page and "Lotte" not in page  # the aanmelding, never the client's name
    response = client.post(
        reverse("cases:trajectory-decide", args=[trajectory.pk]),
        {"decision": "accept", "planmakers": [pm.planmaker.pk], "on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.phase == Trajectory.Phase.CONNECTING and trajectory.connecting_on == TODAY
    row = referable.team.get(role=CaseTeamMember.Role.PLANMAKER)
    assert row.user == pm.planmaker and row.organisation == pm.home


def test_declining_needs_a_reason(client, referable, pm, caseworker):
    trajectory = referred(referable, pm, caseworker)
    client.force_login(pm.coordinator)
    url = reverse("cases:trajectory-decide", args=[trajectory.pk])
    response = client.post(url, {"decision": "decline", "reason": " ", "on": TODAY.isoformat()})
    assert response.status_code == 422 and "reden" in response.content.decode()
    response = client.post(
        url, {"decision": "decline", "reason": "Buiten de doelgroep", "on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.phase == Trajectory.Phase.DECLINED


def test_accepting_without_a_planmaker_is_refused(client, referable, pm, caseworker):
    trajectory = referred(referable, pm, caseworker)
    client.force_login(pm.coordinator)
    response = client.post(
        reverse("cases:trajectory-decide", args=[trajectory.pk]),
        {"decision": "accept", "on": TODAY.isoformat()},
    )
    assert response.status_code == 422 and "planmaker" in response.content.decode()


def test_only_the_coordinator_decides(client, referable, pm, caseworker):
    trajectory = referred(referable, pm, caseworker)
    client.force_login(caseworker.user)
    response = client.post(
        reverse("cases:trajectory-decide", args=[trajectory.pk]),
        {"decision": "accept", "planmakers": [pm.planmaker.pk], "on": TODAY.isoformat()},
    )
    assert response.status_code == 403


# --- access per path -------------------------------------------------------------------------------


def test_who_reaches_the_trajectory(client, referable, pm, caseworker, other_caseworker, outsider):
    trajectory = accepted(referable, pm, caseworker)
    url = reverse("cases:trajectory-detail", args=[trajectory.pk])
    expected = {
        pm.planmaker: 200,
        caseworker.user: 200,  # the referrer
        pm.coordinator: 200,  # pseudonym and phase only, see below
        pm.colleague: 404,  # another planmaker of the same organisation
        pm.steering: 404,  # counts only
        other_caseworker.user: 404,
        outsider.user: 404,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.force_login(pm.coordinator)
    page = client.get(url).content.decode()
    assert "Vraag" not in page and "Lotte" not in page  # after the decision: not the aanmelding
    client.force_login(pm.planmaker)
    assert "Lotte" in client.get(reverse("cases:detail", args=[referable.pk])).content.decode()
    client.force_login(pm.colleague)
    assert client.get(reverse("cases:detail", args=[referable.pk])).status_code == 404


def test_planmaker_access_ends_with_the_grace_period_after_closing(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker, on=TODAY)
    trajectory = services.move_phase(
        trajectory=trajectory, by=pm.planmaker, seen_phase="connecting", on=TODAY
    )
    services.add_plan_item(
        trajectory=trajectory,
        by=pm.planmaker,
        domain=life_domain(),
        kind="goal",
        text="Doel",
        owner="Jongere",
        due_on=None,
    )
    for phase in ("mandate", "plan"):
        trajectory = services.move_phase(trajectory=trajectory, by=pm.planmaker, seen_phase=phase, on=TODAY)
    trajectory = services.move_phase(
        trajectory=trajectory, by=pm.planmaker, seen_phase="follow_up", on=TODAY, outcome="unblocked"
    )
    url = reverse("cases:trajectory-detail", args=[trajectory.pk])
    last_day = TODAY + datetime.timedelta(days=PLANMAKER_GRACE_DAYS)
    with frozen(last_day):
        client.force_login(pm.planmaker)
        assert client.get(url).status_code == 200
    with frozen(last_day + datetime.timedelta(days=1)):
        client.force_login(pm.planmaker)
        assert client.get(url).status_code == 404
        client.force_login(caseworker.user)
        assert client.get(url).status_code == 200  # the referrer's team keeps its case


def test_planmaker_access_ends_with_the_planmaker_role(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    Membership.objects.filter(user=pm.planmaker).update(until=TODAY + datetime.timedelta(days=3))
    url = reverse("cases:trajectory-detail", args=[trajectory.pk])
    with frozen(TODAY + datetime.timedelta(days=3)):
        client.force_login(pm.planmaker)
        assert client.get(url).status_code == 200
    with frozen(TODAY + datetime.timedelta(days=4)):
        client.force_login(pm.planmaker)
        assert client.get(url).status_code == 404


def test_coordinator_access_ends_with_the_coordinator_role(client, referable, pm, caseworker):
    trajectory = referred(referable, pm, caseworker)
    Membership.objects.filter(user=pm.coordinator).update(until=TODAY)
    client.force_login(pm.coordinator)
    url = reverse("cases:trajectory-detail", args=[trajectory.pk])
    assert client.get(url).status_code == 200
    with frozen(TODAY + datetime.timedelta(days=1)):
        client.force_login(pm.coordinator)
        assert client.get(url).status_code == 404


# --- phases and the shared plan -------------------------------------------------------------------


def test_no_shared_plan_before_the_mandate(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    response = client.post(
        reverse("cases:trajectory-plan-add", args=[trajectory.pk]),
        {"domain": life_domain().pk, "kind": "goal", "text": "Doel", "owner": "Jongere"},
    )
    assert response.status_code == 422 and "mandaat" in response.content.decode()
    assert not SharedPlanItem.objects.exists()


def test_plan_phase_needs_an_item_and_an_item_needs_a_life_domain(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    trajectory = services.move_phase(
        trajectory=trajectory, by=pm.planmaker, seen_phase="connecting", on=TODAY
    )
    client.force_login(pm.planmaker)
    phase_url = reverse("cases:trajectory-phase", args=[trajectory.pk])
    response = client.post(phase_url, {"seen_phase": "mandate", "on": TODAY.isoformat()})
    assert response.status_code == 422 and "nog geen doel of afspraak" in response.content.decode()
    response = client.post(
        reverse("cases:trajectory-plan-add", args=[trajectory.pk]),
        {"kind": "agreement", "text": "Elke week bellen", "owner": "Mama", "due_on": "2026-07-01"},
    )
    assert response.status_code == 422 and "levensdomein" in response.content.decode()
    response = client.post(
        reverse("cases:trajectory-plan-add", args=[trajectory.pk]),
        {"domain": life_domain().pk, "kind": "agreement", "text": "Elke week bellen", "owner": "Mama"},
    )
    assert response.status_code == 302
    assert client.post(phase_url, {"seen_phase": "mandate", "on": TODAY.isoformat()}).status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.phase == Trajectory.Phase.PLAN
    kinds = list(referable.timeline.values_list("kind", flat=True))
    assert TimelineEvent.Kind.SHARED_PLAN_ADDED in kinds and TimelineEvent.Kind.TRAJECTORY_PHASE in kinds


def test_closing_needs_an_outcome(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    Trajectory.objects.filter(pk=trajectory.pk).update(
        phase="follow_up", mandate_on=TODAY, plan_on=TODAY, follow_up_on=TODAY
    )
    client.force_login(pm.planmaker)
    url = reverse("cases:trajectory-phase", args=[trajectory.pk])
    response = client.post(url, {"seen_phase": "follow_up", "on": TODAY.isoformat()})
    assert response.status_code == 422 and "uitkomst" in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.phase == "follow_up"


def test_two_people_moving_at_once_get_a_message_not_a_double_step(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    url = reverse("cases:trajectory-phase", args=[trajectory.pk])
    assert client.post(url, {"seen_phase": "connecting", "on": TODAY.isoformat()}).status_code == 302
    response = client.post(url, {"seen_phase": "connecting", "on": TODAY.isoformat()})
    assert response.status_code == 422 and "Iemand anders" in response.content.decode()
    trajectory.refresh_from_db()
    assert trajectory.phase == Trajectory.Phase.MANDATE


def test_a_phase_date_before_the_referral_is_refused(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    response = client.post(
        reverse("cases:trajectory-phase", args=[trajectory.pk]),
        {"seen_phase": "connecting", "on": "2020-01-01"},
    )
    assert response.status_code == 422 and "vóór" in response.content.decode()


def test_a_plan_item_update_that_changes_nothing_writes_nothing(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    trajectory = services.move_phase(
        trajectory=trajectory, by=pm.planmaker, seen_phase="connecting", on=TODAY
    )
    item = services.add_plan_item(
        trajectory=trajectory,
        by=pm.planmaker,
        domain=life_domain(),
        kind="goal",
        text="Doel",
        owner="Jongere",
        due_on=None,
    )
    client.force_login(pm.planmaker)
    events = TimelineEvent.objects.count()
    url = reverse("cases:trajectory-plan-item", args=[item.pk])
    assert client.post(url, {"status": "open", "due_on": ""}).status_code == 302
    assert TimelineEvent.objects.count() == events
    assert client.post(url, {"status": "done", "due_on": ""}).status_code == 302
    assert TimelineEvent.objects.count() == events + 1
    client.force_login(caseworker.user)  # the referrer reads the plan; the planmakers keep it
    assert client.post(url, {"status": "open", "due_on": ""}).status_code == 403


# --- bottlenecks -------------------------------------------------------------------------------------


def test_bottleneck_signalled_from_a_trajectory_and_grouped_with_counts(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    response = client.post(
        reverse("cases:trajectory-bottleneck", args=[trajectory.pk]),
        {
            "title": "Wachtlijst kinderpsychiatrie",
            "category": "waiting_list",
            "level": "meso",
            "description": "Acht maanden wachten.",
        },
    )
    assert response.status_code == 302
    bottleneck = Bottleneck.objects.get()
    assert list(bottleneck.trajectories.all()) == [trajectory]
    assert bottleneck.network == pm.network
    page = client.get(reverse("cases:bottleneck-list")).content.decode()
    assert "Wachtlijst kinderpsychiatrie" in page
    # The planmaker team sees the exact count; a steering member sees "< 5".
    assert ">1</td>" in page
    client.force_login(pm.steering)
    page = client.get(reverse("cases:bottleneck-list")).content.decode()
    assert "&lt; 5" in page and ">1</td>" not in page
    assert client.get(reverse("cases:bottleneck-detail", args=[bottleneck.pk])).status_code == 200


def test_bottleneck_without_a_category_is_refused_in_dutch(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    client.force_login(pm.planmaker)
    response = client.post(
        reverse("cases:trajectory-bottleneck", args=[trajectory.pk]), {"title": "Iets", "description": "Iets"}
    )
    assert response.status_code == 422 and "Kies een categorie" in response.content.decode()
    assert not Bottleneck.objects.exists()


def test_bottleneck_path_to_the_government(client, pm):
    body = BodyFactory(network=pm.network, kind=Body.Kind.LEARNING_NETWORK, name="Lerend netwerk")
    meeting = MeetingFactory(body=body, network=pm.network)
    bottleneck = Bottleneck.objects.create(
        network=pm.network,
        title="IQ-grens",
        category="admission",
        level="macro",
        description="IQ-grens sluit uit.",
        signalled_on=datetime.date(2026, 3, 1),
    )
    client.force_login(pm.coordinator)
    url = reverse("cases:bottleneck-status", args=[bottleneck.pk])
    response = client.post(url, {"status": "passed_on", "on": TODAY.isoformat(), "passed_to": "Agentschap"})
    assert response.status_code == 422
    response = client.post(url, {"status": "discussed", "on": TODAY.isoformat()})
    assert response.status_code == 422 and "vergadering" in response.content.decode()
    assert (
        client.post(
            url, {"status": "discussed", "on": TODAY.isoformat(), "meeting": meeting.pk, "findings": "Advies"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, {"status": "passed_on", "on": TODAY.isoformat(), "passed_to": "Agentschap Opgroeien"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, {"status": "answered", "on": TODAY.isoformat(), "answer": "Wordt bekeken"}
        ).status_code
        == 302
    )
    bottleneck.refresh_from_db()
    assert bottleneck.status == "answered" and list(bottleneck.discussed_in.all()) == [meeting]
    client.force_login(pm.planmaker)
    assert client.post(url, {"status": "answered"}).status_code == 403


def test_a_discussed_bottleneck_can_end_as_not_resolvable_with_an_explanation(client, pm):
    body = BodyFactory(network=pm.network, kind=Body.Kind.LEARNING_NETWORK, name="Lerend netwerk")
    meeting = MeetingFactory(body=body, network=pm.network)
    bottleneck = Bottleneck.objects.create(
        network=pm.network,
        title="Geen plaats voor jongeren met een dubbele diagnose",
        category="capacity",
        level="meso",
        description="Geen aanbod in de regio.",
        signalled_on=datetime.date(2026, 3, 1),
    )
    client.force_login(pm.coordinator)
    url = reverse("cases:bottleneck-status", args=[bottleneck.pk])
    discussed = {"status": "discussed", "on": TODAY.isoformat(), "meeting": meeting.pk, "findings": "Advies"}
    assert client.post(url, discussed).status_code == 302
    # without an explanation: refused in Dutch, the status stays
    response = client.post(url, {"status": "unresolvable", "on": TODAY.isoformat()})
    assert response.status_code == 422 and "toelichting" in response.content.decode()
    bottleneck.refresh_from_db()
    assert bottleneck.status == Bottleneck.Status.DISCUSSED
    explained = {"status": "unresolvable", "on": TODAY.isoformat(), "answer": "Valt onder Vlaamse regels."}
    assert client.post(url, explained).status_code == 302
    bottleneck.refresh_from_db()
    assert bottleneck.status == Bottleneck.Status.NOT_RESOLVABLE and bottleneck.answered_on == TODAY
    # an end state: nothing follows, and the detail page offers no status form any more
    assert client.post(url, {"status": "answered", "on": TODAY.isoformat(), "answer": "x"}).status_code == 422
    page = client.get(reverse("cases:bottleneck-detail", args=[bottleneck.pk])).content.decode()
    assert "niet oplosbaar" in page and 'name="status"' not in page


def test_bottleneck_pages_are_404_outside_the_planmaker_network(client, pm, outsider, caseworker):
    bottleneck = Bottleneck.objects.create(
        network=pm.network, title="X", category="other", level="micro", description="Y"
    )
    for user in (outsider.user, caseworker.user):
        client.force_login(user)
        assert client.get(reverse("cases:bottleneck-list")).status_code == 404
        assert client.get(reverse("cases:bottleneck-detail", args=[bottleneck.pk])).status_code == 404


# --- query counts ---------------------------------------------------------------------------------------


def test_pages_answer_in_a_fixed_number_of_queries(
    client, referable, pm, caseworker, django_assert_max_num_queries
):
    trajectory = accepted(referable, pm, caseworker)
    trajectory = services.move_phase(
        trajectory=trajectory, by=pm.planmaker, seen_phase="connecting", on=TODAY
    )
    for index in range(6):
        services.add_plan_item(
            trajectory=trajectory,
            by=pm.planmaker,
            domain=life_domain(),
            kind="goal",
            text=f"Doel {index}",
            owner="Jongere",
            due_on=None,
        )
        services.signal_bottleneck(
            trajectory=trajectory,
            by=pm.planmaker,
            title=f"K{index}",
            category="capacity",
            level="meso",
            description="Z",
        )
    client.force_login(pm.planmaker)
    # session, user, then the page's own: trajectory with flags, planmakers, plan, bottlenecks,
    # life domains and bottleneck choices for the forms, the read log (+ savepoints); since the
    # meetings (issue 19 §3): the meetings, the invitation choices and the intervisie; since the
    # planning (second round): the attendance of held meetings, the attended choices, the choices of
    # the planning form and the planned meetings a held one may fill: 21.
    with django_assert_max_num_queries(21):
        assert client.get(reverse("cases:trajectory-detail", args=[trajectory.pk])).status_code == 200
    # session, user, my trajectories with flags and counts, their planmaker rows, the running
    # trajectories I coordinate (values), the read log (+ savepoints), the bottleneck link check,
    # and the session written back: 10.
    with django_assert_max_num_queries(10):
        assert client.get(reverse("cases:trajectory-list")).status_code == 200
    # session, user, networks, my team roles there, bottlenecks with counts, distinct trajectories
    # per group, session save (savepoint, update, release): 9.
    with django_assert_max_num_queries(9):
        assert client.get(reverse("cases:bottleneck-list")).status_code == 200


def test_home_panel_shows_my_trajectories_and_the_coordinators_inbox(
    client, referable, pm, caseworker, django_assert_max_num_queries
):
    from cases import dashboard_trajectories

    waiting = referred(referable, pm, caseworker)
    client.force_login(pm.coordinator)
    assert waiting.case.client.pseudonym in client.get(reverse("home")).content.decode()
    services.decide(trajectory=waiting, by=pm.coordinator, accept=True, planmakers=[pm.planmaker], on=TODAY)
    with django_assert_max_num_queries(1):
        panel = dashboard_trajectories.my_trajectories(pm.planmaker)
    assert [t.pk for t in panel["mine"]] == [waiting.pk]
    assert dashboard_trajectories.my_trajectories(pm.colleague)["mine"] == []
    assert dashboard_trajectories.my_trajectories(pm.coordinator)["to_decide"] == []


def test_a_group_counts_a_trajectory_once(client, referable, pm, caseworker):
    trajectory = accepted(referable, pm, caseworker)
    for title in ("Wachtlijst CGG", "Wachtlijst K-dienst"):
        services.signal_bottleneck(
            trajectory=trajectory,
            by=pm.planmaker,
            title=title,
            category="waiting_list",
            level="meso",
            description="x",
        )
    client.force_login(pm.planmaker)
    page = client.get(reverse("cases:bottleneck-list")).content.decode()
    assert "trajecten: 1" in page
