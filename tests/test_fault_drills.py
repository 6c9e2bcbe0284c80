"""Fault drills (DESIGN.md §6, issue 9): the real app in its own process, real outages.

- PostgreSQL refuses connections for a moment: /health/ says so, pages answer 503 with a Dutch
  message, a form posted meanwhile saves nothing, and everything works again afterwards. The app
  reaches PostgreSQL through a small TCP proxy in this test that can refuse and cut connections.
- Redis (the broker) is stopped while regional staff request a report: a clear message, the
  request is kept, and it runs once Redis is back. A private redis-server on its own port, so the
  shared one keeps serving the other tests.

The worker kill drill lives in tests/reports/test_worker_e2e.py.
"""

import contextlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from networks.models import Membership, Organisation

from .factories import MembershipFactory, NetworkFactory, SectorFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SwitchableProxy:
    """Forwards TCP to a target; ``refuse()`` cuts every open connection and refuses new ones."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self.refusing = False
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if self.refusing:
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def refuse(self) -> None:
        self.refusing = True
        with self.lock:
            for sock in self.connections:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self.connections = []

    def accept(self) -> None:
        self.refusing = False

    def close(self) -> None:
        self.refuse()
        self.server.close()


class App:
    """gunicorn with production settings against the test database (through ``database_port``)."""

    def __init__(self, *, database_port: int, broker_url: str, static_root) -> None:
        db = connection.settings_dict
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{database_port}/{db['NAME']}",
            "CELERY_BROKER_URL": broker_url,
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here must be valid there
            "ALLOWED_HOSTS": "localhost,127.0.0.1",
            "SECURE_COOKIES": "0",
            "OTP_REQUIRED": "0",
            "STATIC_ROOT": str(static_root),
        }
        # Production settings serve a collected, hashed static tree (the manifest must exist).
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.process = subprocess.Popen(
            [
                gunicorn,
                "ijh.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--log-level",
                "error",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    def request(
        self, method: str, path: str, *, cookie: str = "", data: dict | None = None
    ) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "localhost", "Accept-Language": "nl-BE"}
        body = None
        if cookie:
            headers["Cookie"] = cookie
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def reset_broker_connections(celery_app) -> None:
    """Drop the web side's pooled broker connections so the next publish uses the current URL."""
    from kombu import pools

    pools.reset()  # kombu keeps producer pools per connection URL in a global registry
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def logged_in_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def test_postgresql_refusing_connections(settings, tmp_path):
    db = connection.settings_dict
    proxy = SwitchableProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    network = NetworkFactory(name="RTJ Drill")
    staff = MembershipFactory(regional_staff=True, region=network.region).user
    SectorFactory(code="caw", name="CAW")
    cookie = logged_in_cookie(staff)
    app = App(
        database_port=proxy.port, broker_url=settings.CELERY_BROKER_URL, static_root=tmp_path / "static"
    )
    try:
        assert app.request("GET", "/health/")[0] == 200
        assert app.request("GET", "/netwerken/", cookie=cookie)[0] == 200

        proxy.refuse()
        status, body = app.request("GET", "/health/")
        assert status == 503 and json.loads(body)["database"] == "error"
        status, body = app.request("GET", "/netwerken/", cookie=cookie)
        assert status == 503
        assert "De databank antwoordt op dit moment niet" in body
        # A form sent during the outage: a 503, and nothing of it appears afterwards.
        status, _ = app.request(
            "POST",
            "/netwerken/organisaties/nieuw/",
            cookie=cookie,
            data={"name": "Tijdens de storing", "sector": "1", "municipality": "Gent"},
        )
        assert status in (403, 503)  # 403 when the CSRF check runs first; never a 500 or a save

        proxy.accept()
        deadline = time.monotonic() + 20
        while app.request("GET", "/netwerken/", cookie=cookie)[0] != 200:
            assert time.monotonic() < deadline, "the app did not recover"
            time.sleep(0.5)
        assert app.request("GET", "/health/")[0] == 200
        assert not Organisation.objects.filter(name="Tijdens de storing").exists()
    finally:
        app.stop()
        proxy.close()


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_redis_stopped_while_requesting_a_report(settings, tmp_path, monkeypatch):
    from ijh.celery import app as celery_app
    from networks import demo
    from reports import services
    from reports.models import HalfYear, ReportRun

    from .workers import running_worker

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"

    def start_redis():
        return subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )

    redis = start_redis()
    time.sleep(0.5)
    previous = (celery_app.conf.broker_url, settings.CELERY_BROKER_URL)
    settings.CELERY_BROKER_URL = broker
    monkeypatch.setenv("CELERY_BROKER_URL", broker)  # Celery reads the variable before its config
    celery_app.conf.broker_url = broker
    celery_app.conf.broker_connection_retry_on_startup = False
    celery_app.conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
    reset_broker_connections(celery_app)
    try:
        demo.load()
        staff_role = Membership.objects.get(user__username="staf", role=Membership.Role.STAFF)
        client = Client()
        client.force_login(staff_role.user)
        # A network of the staff member's own region (ties in the default ordering are arbitrary).
        network = (
            Membership.objects.filter(role=Membership.Role.COORDINATOR, network__region=staff_role.region)
            .order_by("pk")
            .first()
            .network
        )
        redis.terminate()
        redis.wait(timeout=10)

        # given the broker is down, when staff request a report
        period = HalfYear.containing(timezone.localdate()).previous()
        started = time.monotonic()
        response = client.post(
            reverse("reports:network-run-create", args=[network.pk]),
            {"jaar": period.year, "semester": period.half},
            headers={"HX-Request": "true"},
        )
        # then the page answers promptly with a clear message and the request is kept
        assert response.status_code in (200, 202), response.status_code
        assert time.monotonic() - started < 20
        run = ReportRun.objects.get(network=network, year=period.year, half=period.half)
        assert run.status == ReportRun.Status.PENDING
        assert "takenwachtrij is tijdelijk niet bereikbaar" in run.error
        # the row on the page polls its status, and that says what is going on
        status_row = client.get(reverse("reports:run-status", args=[run.pk]), headers={"HX-Request": "true"})
        assert "takenwachtrij is tijdelijk niet bereikbaar" in status_row.content.decode()

        # when Redis is back, the safety net re-queues it and a worker renders it once
        redis = start_redis()
        time.sleep(0.5)
        reset_broker_connections(celery_app)
        with running_worker():
            assert services.requeue_stale_runs(older_than_minutes=0) == 1
            deadline = time.monotonic() + 120
            while run.status != ReportRun.Status.DONE:
                assert time.monotonic() < deadline, f"run stayed {run.status}"
                time.sleep(0.5)
                run.refresh_from_db()
        assert run.file and run.error == ""
        assert ReportRun.objects.filter(network=network).count() == 1
    finally:
        celery_app.conf.broker_url, settings.CELERY_BROKER_URL = previous
        celery_app.conf.broker_transport_options = {}
        reset_broker_connections(celery_app)
        redis.terminate()
        redis.wait(timeout=10)
