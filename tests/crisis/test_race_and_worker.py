"""The last bed on PostgreSQL with two real transactions (issue 18 §4), and the overdue marking
run once by a real Celery worker (§7)."""

import datetime
import threading
import time
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from cases.models import CrisisEpisode, CrisisStep
from cases.services import crisis as services
from ijh.mail import OutgoingMail

from .conftest import build_crisis_world

pytestmark = pytest.mark.django_db(transaction=True)


def _dispatch(world, at):
    call, _created = services.register_call(
        programme=world.programme,
        by=world.meldpunt,
        token=uuid.uuid4(),
        received_at=at,
        caller="parent",
        urgency="now",
        question="Vraag",
        admissible=True,
        outcome="dispatched",
        provider=world.intervention,
        handed_over_at=at,
    )
    return call.episode.pk


def test_two_operators_take_the_last_bed_at_once_one_gets_it(monkeypatch):
    world = build_crisis_world()  # the shelter has one place
    now = timezone.now() - datetime.timedelta(minutes=10)
    episodes = [_dispatch(world, now), _dispatch(world, now)]
    both_read = threading.Barrier(2, timeout=20)
    original = services.free_place

    def free_place_then_wait(provider):
        # Both transactions see the place free before either inserts: the database decides.
        number = original(provider)
        both_read.wait()
        return number

    monkeypatch.setattr(services, "free_place", free_place_then_wait)
    results = {}

    def operator(index, episode_id):
        try:
            episode = CrisisEpisode.objects.select_related("call__programme").get(pk=episode_id)
            services.start_step(
                episode=episode,
                kind="shelter",
                provider=world.shelter,
                started_at=timezone.now(),
                by=world.meldpunt,
            )
            results[index] = "ok"
        except ValidationError as error:
            results[index] = " ".join(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=operator, args=(i, e)) for i, e in enumerate(episodes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    outcomes = list(results.values())
    assert outcomes.count("ok") == 1, outcomes
    refused = next(text for text in outcomes if text != "ok")
    assert "Iemand anders nam net de laatste vrije plaats bij CKG De Wieg" in refused
    assert CrisisStep.objects.filter(kind="shelter").count() == 1


def test_overdue_marking_through_a_real_worker(settings):
    from cases.tasks import mark_overdue_crisis_steps
    from tests.workers import running_worker

    world = build_crisis_world()
    start = timezone.now() - datetime.timedelta(days=8)
    CrisisStep.objects.all().delete()
    episode = CrisisEpisode.objects.get(pk=_dispatch(world, timezone.now() - datetime.timedelta(hours=1)))
    step = CrisisStep.objects.create(
        episode=episode,
        kind="shelter",
        provider=world.shelter,
        started_at=start,
        limit_days=7,
        due_at=start + datetime.timedelta(days=7),
        place_number=1,
        started_by=world.meldpunt,
    )
    with running_worker():
        # No result backend: the rows say what the worker did.
        mark_overdue_crisis_steps.delay()
        deadline = time.monotonic() + 60
        while not OutgoingMail.objects.filter(key=f"crisis-step-overdue:{step.pk}").exists():
            assert time.monotonic() < deadline, "the worker did not mark the step"
            time.sleep(0.5)
        mark_overdue_crisis_steps.delay()  # a second run (or a redelivery) changes nothing
        time.sleep(3)
    step.refresh_from_db()
    assert step.overdue_marked_at is not None
    assert OutgoingMail.objects.filter(key__startswith="crisis-step-overdue:").count() == 1
