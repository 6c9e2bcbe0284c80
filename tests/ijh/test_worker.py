"""One real round trip: a Celery worker process, the Redis broker, the test database. No eager mode."""

import time

import pytest
from django.urls import reverse

from ijh.models import WorkerPing
from tests.factories import UserFactory
from tests.workers import running_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_ping_round_trip_through_real_worker(client):
    client.force_login(UserFactory(is_staff=True))
    with running_worker() as worker:
        response = client.post(reverse("ping-create"), headers={"HX-Request": "true"})
        assert response.status_code == 200
        worker_ping = WorkerPing.objects.get()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            worker_ping.refresh_from_db()
            if worker_ping.status != WorkerPing.Status.PENDING:
                break
            assert worker.poll() is None, "the worker process died"
            time.sleep(0.25)

    assert worker_ping.status == WorkerPing.Status.DONE
    assert worker_ping.worker_hostname
    page = client.get(reverse("ping-status", args=[worker_ping.pk]))
    assert 'data-ping-status="done"' in page.text
