import datetime

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from ijh.models import User
from networks import demo
from networks.models import (
    ActionItem,
    Agreement,
    Attendance,
    Decision,
    Goal,
    GoalProgress,
    Meeting,
    Membership,
    Minutes,
    Network,
    NetworkMembership,
    Organisation,
    Region,
    Score,
    Sector,
    SelfAssessmentRound,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings, tmp_path):
    # The demo attaches a PDF to every samenwerkingsprotocol; keep it out of var/.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


def _snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            Membership,
            Network,
            NetworkMembership,
            Organisation,
            Region,
            Sector,
            Meeting,
            Attendance,
            Decision,
            ActionItem,
            Minutes,
            Goal,
            GoalProgress,
            Agreement,
            SelfAssessmentRound,
            Score,
        )
    }


def test_load_demo_is_idempotent():
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first


def test_demo_covers_what_the_foundation_promises():
    demo.load()
    assert Region.objects.count() == 6
    assert Organisation.objects.count() >= 40
    assert Organisation.objects.values("sector").distinct().count() >= 10
    names = set(Network.objects.values_list("name", flat=True))
    assert {"RTJ Waas en Dender", "RTJ Antwerpen Stad", "Crisisnetwerk Antwerpen"} <= names
    assert {f"Gevangenis {city}" for city in ("Gent", "Ieper", "Hoogstraten", "Hasselt")} <= names
    assert Network.objects.filter(kind=Network.Kind.PLANMAKER, region__code="west-vlaanderen").exists()
    # one demo login per role of DESIGN.md §2, each able to log in with the printed password
    roles = set(
        Membership.objects.filter(user__username__in=[u[0] for u in demo.DEMO_USERS]).values_list(
            "role", flat=True
        )
    )
    assert roles == set(Membership.Role.values)
    assert User.objects.get(username="staf").check_password(demo.DEMO_PASSWORD)
    for organisation in Organisation.objects.exclude(kbo_number=""):
        organisation.full_clean()  # invented KBO numbers still pass the check digits
    for membership in Membership.objects.all():
        membership.full_clean()  # every demo role satisfies the model's rules


def test_demo_has_a_year_of_steering_activity_and_loads_it_once():
    counts = demo.load()
    today = timezone.localdate()
    waas = Network.objects.get(name="RTJ Waas en Dender")
    assert counts["meetings"] == Meeting.objects.count() >= 6 * len(demo.NETWORKS)

    for network in Network.objects.all():
        meetings = network.meetings.all()
        past = meetings.filter(starts_at__lt=timezone.now())
        assert 6 <= past.count() <= 8
        upcoming = meetings.filter(starts_at__gte=timezone.now()).get()
        assert upcoming.date <= today + datetime.timedelta(days=21)
        assert upcoming.attendances.count() >= 3  # invitations made by schedule_meeting
        # all past minutes approved except the most recent, which is circulated
        latest = past.order_by("-starts_at").first()
        assert latest.minutes_versions.get().status == Minutes.Status.CIRCULATED
        for meeting in past.exclude(pk=latest.pk):
            assert meeting.minutes_versions.filter(status=Minutes.Status.APPROVED).exists()
        assert Minutes.objects.filter(meeting__network=network, corrects__isnull=False).exists()
        # prison networks also carry the strategic plan's five objectives (issue 20 §1)
        expected_end_goals = 2 + (5 if network.kind == Network.Kind.DETENTION else 0)
        assert network.goals.filter(kind=Goal.Kind.END_GOAL).count() == expected_end_goals
        for goal in network.goals.filter(kind=Goal.Kind.OPERATIONAL):
            assert 4 <= goal.progress_updates.count() <= 6
        protocol = network.agreements.get(kind=Agreement.Kind.PROTOCOL)
        assert protocol.binding == Agreement.Binding.MANDATORY
        assert protocol.document.read(5) == b"%PDF-"
        closed = network.assessment_rounds.filter(closed_at__isnull=False)
        assert closed.count() == (2 if network.name in ("RTJ Waas en Dender", "RTJ Antwerpen Stad") else 1)
        for assessment_round in closed.annotate(respondents=Count("scores__respondent", distinct=True)):
            assert assessment_round.respondents >= 3
            assert not assessment_round.is_open

    # the demo logins see work on their dashboard
    for username in ("coordinator", "voorzitter", "stuurgroeplid"):
        mine = ActionItem.objects.open().filter(owner__username=username, network=waas)
        assert mine.count() >= 2
        assert mine.overdue().exists()
    assert ActionItem.objects.filter(status=ActionItem.Status.DROPPED).exclude(dropped_reason="").exists()
    assert list(Agreement.objects.expiring().values_list("network", flat=True)) == [waas.pk]
    assert Decision.objects.filter(organisations_without_mandate__isnull=False).exists()
    assert {Decision.Method.MAJORITY, Decision.Method.ESCALATED} <= set(
        Decision.objects.values_list("method", flat=True)
    )
    # chairs and coordinators hold a mandate; about a third of the steering members observe
    seats = Membership.objects.filter(role__in=["steering_member", "chair", "coordinator"])
    assert not seats.filter(role__in=["chair", "coordinator"], mandate_status="observer").exists()
    assert not seats.filter(bodies__isnull=True).exists()
    observers = seats.filter(role="steering_member", mandate_status="observer").count()
    assert 0.2 < observers / seats.filter(role="steering_member").count() < 0.4
    for model in (Membership, ActionItem, Goal, Agreement):
        for obj in model.objects.all():
            obj.full_clean()

    first = _snapshot()
    again = demo.load()
    assert _snapshot() == first
    assert again["meetings"] == again["scores"] == again["steering_people"] == 0
    assert Membership.objects.get(user__username="voorzitter", role="chair").holds_mandate
