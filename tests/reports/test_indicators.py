"""Goal indicators linked to registered figures (issue 17 §3): the goal's progress follows the
registrations, the report takes the figure of its period, and counts of people are suppressed
below 5 whether they come from the registrations or are typed by hand."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ijh.models import AuditEvent
from networks.models import GoalProgress
from reports import disclosure, indicators, services
from reports.figures import compute
from reports.models import GoalIndicator, HalfYear, LinkedMeasurement
from tests.factories import (
    ClientConferenceFactory,
    ConferenceSessionFactory,
    GoalFactory,
    GoalProgressFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 8, 1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 8, 1, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def staff(network):
    return MembershipFactory(regional_staff=True, region=network.region).user


@pytest.fixture
def goal(network):
    return GoalFactory(
        network=network,
        operational=True,
        title="Meer cliëntoverleg",
        indicator="Aanvragen cliëntoverleg",
        unit="aanvragen",
        target_value=Decimal(20),
    )


def requests(network, day: datetime.date, n: int) -> None:
    for _ in range(n):
        ClientConferenceFactory(case__network=network, requested_on=day)


def goals_table(snapshot):
    return next(t for s in snapshot["sections"] for t in s["tables"] if t["key"] == "goals")


def test_a_linked_goal_follows_the_registrations(network, goal, staff):
    requests(network, D(2025, 9, 1), 6)
    requests(network, D(2026, 3, 1), 3)
    GoalProgressFactory(goal=goal, measured_on=D(2025, 1, 10), value=Decimal(4), recorded_by=staff)  # by hand

    services.save_goal_indicator(
        goal=goal, figure="client_conference.requests", counts_people=False, by=staff
    )

    linked = GoalProgress.objects.filter(goal=goal, recorded_by__isnull=True).order_by("measured_on")
    assert [(p.measured_on, p.value) for p in linked] == [
        (D(2025, 6, 30), 0),
        (D(2025, 12, 31), 6),
        (D(2026, 6, 30), 3),
        (D(2026, 8, 1), 0),  # the running half year, measured today
    ]
    assert linked[1].note == "Uit de registraties: aanvragen cliëntoverleg in de periode, juli–december 2025"
    assert AuditEvent.objects.filter(action="report.goal_indicator_saved").count() == 1

    # A registration added later: the nightly sync updates the row, it does not add one.
    requests(network, D(2026, 7, 20), 2)
    assert indicators.sync() == 1
    assert linked.last().value == 2 and LinkedMeasurement.objects.count() == 4

    # Back to hand measurement: the registrations' rows go, the typed one stays.
    services.save_goal_indicator(goal=goal, figure="", counts_people=True, by=staff)
    assert list(GoalProgress.objects.filter(goal=goal).values_list("value", flat=True)) == [Decimal(4)]


def test_the_report_takes_the_figure_of_its_period_and_suppresses_small_counts(network, goal, staff):
    requests(network, D(2026, 3, 1), 3)
    GoalIndicator.objects.create(goal=goal, figure="client_conference.requests")
    snapshot = compute(network=network, period=HalfYear(2026, 1), today=TODAY)
    row = goals_table(snapshot)["rows"][0]
    assert (
        row[1]
        == "Aanvragen cliëntoverleg (aanvragen) (uit de registraties: aanvragen cliëntoverleg in de periode)"
    )
    assert row[3:6] == [3, "2026-06-30", "15%"]
    shown = disclosure.apply(goals_table(snapshot))["rows"][0]
    assert shown[3] == "<5" and shown[5] == "x"  # 15% of 20 would give the 3 away

    requests(network, D(2026, 4, 1), 4)
    table = goals_table(compute(network=network, period=HalfYear(2026, 1), today=TODAY))
    assert disclosure.apply(table)["rows"][0][3:6] == [7, "2026-06-30", "35%"]


def test_a_hand_typed_count_of_people_is_suppressed_other_values_are_not(network, goal, staff):
    other = GoalFactory(
        network=network, operational=True, title="Vergaderingen", indicator="Vergaderingen", target_value=10
    )
    GoalProgressFactory(goal=goal, measured_on=D(2026, 5, 1), value=Decimal(3))
    GoalProgressFactory(goal=other, measured_on=D(2026, 5, 1), value=Decimal(3))
    services.save_goal_indicator(goal=goal, figure="", counts_people=True, by=staff)
    table = goals_table(compute(network=network, period=HalfYear(2026, 1), today=TODAY))
    by_title = {row[0]: row for row in disclosure.apply(table)["rows"]}
    assert by_title["Meer cliëntoverleg"][3] == "<5"
    assert by_title["Vergaderingen"][3] == 3.0 and by_title["Vergaderingen"][5] == "30%"


def test_a_median_of_fewer_than_five_is_no_figure(network):
    for days in (10, 20, 30):
        conference = ClientConferenceFactory(case__network=network, requested_on=D(2026, 2, 1))
        ConferenceSessionFactory(
            conference=conference,
            status="held",
            starts_at=timezone.make_aware(datetime.datetime(2026, 2, 1, 10) + datetime.timedelta(days=days)),
        )
    values = indicators.REGISTRY["client_conference.median_days_to_first_session"].compute(
        [network.pk], D(2026, 1, 1), D(2026, 6, 30)
    )
    assert values == {network.pk: None}
    chair = indicators.REGISTRY["client_conference.independent_chair"].compute(
        [network.pk], D(2026, 1, 1), D(2026, 6, 30)
    )
    assert chair == {}  # no chair assigned in these conferences


class TestPages:
    def test_staff_link_an_indicator_and_others_cannot(self, client, network, goal, staff, other_network):
        client.force_login(staff)
        page = client.get(reverse("reports:indicators", args=[network.pk]))
        assert page.status_code == 200 and "Meer cliëntoverleg" in page.text
        response = client.post(
            reverse("reports:indicator-save", args=[goal.pk]),
            {f"goal-{goal.pk}-figure": "client_conference.independent_chair"},
        )
        assert response.status_code == 302
        assert GoalIndicator.objects.get(goal=goal).figure == "client_conference.independent_chair"
        refused = client.post(
            reverse("reports:indicator-save", args=[goal.pk]), {f"goal-{goal.pk}-figure": "x"}
        )
        assert refused.status_code == 422 and "Kies een cijfer uit de lijst." in refused.text
        chair = MembershipFactory(network=network, chair=True).user
        outsider = MembershipFactory(regional_staff=True, region=other_network.region).user
        for user, status in ((chair, 403), (outsider, 404)):
            client.force_login(user)
            assert client.get(reverse("reports:indicators", args=[network.pk])).status_code == status
            assert client.post(reverse("reports:indicator-save", args=[goal.pk]), {}).status_code == status

    @pytest.mark.parametrize("goals", [1, 6])
    def test_indicator_page_queries_do_not_grow(
        self, client, network, staff, goals, django_assert_num_queries
    ):
        for index in range(goals):
            GoalFactory(network=network, operational=True, title=f"Doel {index}", created_by=UserFactory())
        client.force_login(staff)
        # session, user, network with region, staff regions, goals with their link, then the
        # session save (savepoint, update, release)
        with django_assert_num_queries(8):
            assert client.get(reverse("reports:indicators", args=[network.pk])).status_code == 200
