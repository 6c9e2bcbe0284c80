"""generate_scale's planmaker data (issue 19 §11): trajectories come with samenwerkingsoverleggen
(due, planned ahead, held with attendance) and the networks with an engagement catalogue, in bulk
inserts — the number of queries does not grow with the number of trajectories — and a second
run adds no second catalogue."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from cases import scale_planmakers
from cases.models import Trajectory, TrajectoryMeeting
from instruments.models import Engagement, LifeDomain
from instruments.reference_data import ensure
from networks.models import Body, LearningTheme, Meeting, ThemeExpert

from ..factories import CaseFactory, ConsentFactory, NetworkFactory, NetworkMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def bench_network(name: str, cases: int):
    network = NetworkFactory(name=name)
    creator = UserFactory()
    for _ in range(3):
        NetworkMembershipFactory(network=network)
    for number in range(cases):
        case = CaseFactory(
            network=network, created_by=creator, opened_on=TODAY - datetime.timedelta(days=400 + number)
        )
        ConsentFactory(case=case)
    return network


def run(name: str, cases: int) -> tuple[dict, int]:
    network = bench_network(name, cases)
    with CaptureQueriesContext(connection) as queries:
        totals = scale_planmakers.generate(seed=3, today=TODAY)
    return totals, network, len(queries)


def test_trajectories_get_meetings_and_networks_a_catalogue(monkeypatch):
    ensure(LifeDomain)
    monkeypatch.setattr(scale_planmakers, "SHARE", 1.0)  # every case a trajectory
    totals, _network, _ = run("Bench small", 40)
    assert totals["trajectories"] == Trajectory.objects.count() == 40
    assert totals["meetings"] == TrajectoryMeeting.objects.count() > 40
    meetings = TrajectoryMeeting.objects.all()
    kinds = set(meetings.values_list("kind", flat=True))
    assert kinds == {"start", "three_months", "ad_hoc", "end"}
    held = meetings.filter(held_on__isnull=False)
    assert held.exists() and not held.filter(client_presence="").exists()
    assert not held.filter(held_on__gt=TODAY).exists()
    assert meetings.filter(held_on__isnull=True, planned_on__gt=TODAY).exists()  # planned ahead
    assert meetings.filter(held_on__isnull=True, due_on__lt=TODAY).exists()  # overdue
    # Only accepted trajectories meet; every held meeting has its attendance.
    assert not meetings.filter(trajectory__connecting_on__isnull=True).exists()
    assert TrajectoryMeeting.attended.through.objects.count() == held.count()
    engagements = Engagement.objects.all()
    assert totals["engagements"] == engagements.count() == scale_planmakers.ENGAGEMENTS_PER_NETWORK
    assert engagements.expired_on(TODAY).exists() and engagements.active_on(TODAY).exists()
    assert not engagements.filter(domains__isnull=True).exists()
    # The learning network: themes grouping bottlenecks, a client representative each, four
    # meetings a year and a forum; half the themes discussed in one of its meetings.
    themes = LearningTheme.objects.all()
    assert totals["learning_themes"] == themes.count() == 8
    assert not themes.annotate(n=Count("bottlenecks")).filter(n__lt=5).exists()
    assert ThemeExpert.objects.filter(kind=ThemeExpert.Kind.CLIENT_REPRESENTATIVE).count() == 8
    discussed = themes.filter(status=LearningTheme.Status.DISCUSSED)
    assert discussed.count() == 4 and not discussed.filter(discussed_in__isnull=True).exists()
    assert not discussed.exclude(discussed_in__body__kind=Body.Kind.LEARNING_NETWORK).exists()
    this_year = Meeting.objects.filter(starts_at__year=TODAY.year, starts_at__date__lte=TODAY)
    assert this_year.filter(body__kind=Body.Kind.FORUM).exists()
    # A second run publishes no second catalogue and no second learning network.
    second = scale_planmakers.generate(seed=3, today=TODAY)
    assert second["engagements"] == 0 and second["learning_themes"] == 0


def test_bulk_inserts_queries_do_not_grow_with_the_trajectories(monkeypatch):
    ensure(LifeDomain)
    monkeypatch.setattr(scale_planmakers, "SHARE", 1.0)
    with transaction.atomic():
        small = run("Bench a", 5)
        transaction.set_rollback(True)  # the second run starts from the same empty state
    large = run("Bench b", 30)
    assert large[0]["meetings"] > small[0]["meetings"] > 0
    assert large[2] == small[2]
