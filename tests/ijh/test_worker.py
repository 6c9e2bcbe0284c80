"""One real round trip: a Celery worker process, the Redis broker, the test database. No eager mode."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from ijh.models import WorkerPing
from tests.factories import UserFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_process(settings):
    """A worker on a queue of its own, so no other worker on this Redis can steal the message."""
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "the worker test runs against Redis"
    queue = f"ijh-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ijh",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-Q",
            queue,
        ],
        cwd=settings.BASE_DIR,
        env=env,
    )
    # The web side publishes to the same private queue.
    from ijh.celery import app

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    yield process
    app.conf.task_default_queue = previous
    process.terminate()
    process.wait(timeout=20)


def test_ping_round_trip_through_real_worker(client, celery_worker_process):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(reverse("ping-create"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    worker_ping = WorkerPing.objects.get()

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        worker_ping.refresh_from_db()
        if worker_ping.status != WorkerPing.Status.PENDING:
            break
        assert celery_worker_process.poll() is None, "the worker process died"
        time.sleep(0.25)

    assert worker_ping.status == WorkerPing.Status.DONE
    assert worker_ping.worker_hostname
    page = client.get(reverse("ping-status", args=[worker_ping.pk]))
    assert 'data-ping-status="done"' in page.text
