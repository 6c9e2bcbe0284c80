"""Reports through a real Celery worker and Redis: the happy path, and a worker killed mid-report."""

import datetime
import io
import os
import signal
import subprocess
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from networks import demo
from networks.models import Membership, Network
from reports.models import HalfYear, ReportRun
from tests.workers import running_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def staff_client(client):
    demo.load()
    client.force_login(Membership.objects.get(user__username="staf", role=Membership.Role.STAFF).user)
    return client


def _previous_half() -> tuple[int, int]:
    period = HalfYear.containing(datetime.date.today()).previous()
    return period.year, period.half


def _wait_for(run: ReportRun, statuses, timeout: float = 90) -> ReportRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in statuses:
            return run
        time.sleep(0.25)
    raise AssertionError(f"run stayed {run.status} ({run.progress}%)")


def test_request_poll_download_open(staff_client, media):
    network = Network.objects.get(name="RTJ Waas en Dender")
    year, half = _previous_half()
    with running_worker(extra_env={"MEDIA_ROOT": str(media)}):
        response = staff_client.post(
            reverse("reports:network-run-create", args=[network.pk]),
            {"jaar": year, "semester": half},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        run = ReportRun.objects.get()
        # Poll the way the page does, until the row stops polling.
        deadline = time.monotonic() + 90
        while 'hx-trigger="load delay:1s"' in (
            row := staff_client.get(reverse("reports:run-status", args=[run.pk])).text
        ):
            assert time.monotonic() < deadline, "the run never finished"
            time.sleep(0.5)
    assert 'data-run-status="done"' in row
    download = staff_client.get(reverse("reports:run-download", args=[run.pk]))
    assert download.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "RTJ Waas en Dender" in text
    assert "Praktijkrapportage" in text


def _child_pids(pid: int) -> list[int]:
    output = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(line) for line in output.split()]


def test_worker_killed_mid_report_finishes_once_with_one_file(staff_client, media):
    network = Network.objects.get(name="RTJ Waas en Dender")
    year, half = _previous_half()
    env = {"MEDIA_ROOT": str(media), "IJH_TEST_RENDER_DELAY": "4"}
    with running_worker(app="tests.reports.slow_worker_app", pool="prefork", extra_env=env) as worker:
        staff_client.post(
            reverse("reports:network-run-create", args=[network.pk]), {"jaar": year, "semester": half}
        )
        run = ReportRun.objects.get()
        run = _wait_for(run, {ReportRun.Status.RUNNING})
        deadline = time.monotonic() + 30
        while run.progress < 40:  # figures stored, PDF rendering under way
            assert time.monotonic() < deadline
            time.sleep(0.1)
            run.refresh_from_db()
        children = _child_pids(worker.pid)
        assert children, "no pool process to kill"
        for pid in children:
            os.kill(pid, signal.SIGKILL)  # the process doing the work dies without cleanup
        run = _wait_for(run, {ReportRun.Status.DONE, ReportRun.Status.FAILED}, timeout=120)

    assert run.status == ReportRun.Status.DONE
    assert ReportRun.objects.count() == 1
    files = [path for path in media.rglob("*") if path.is_file()]
    assert [path.name for path in files] == [f"run-{run.pk}.pdf"]
    assert PdfReader(str(files[0])).pages
