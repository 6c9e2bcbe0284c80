"""Personas as fixtures: who is looking at a network matters more than how they were built."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import translation

from ijh.models import User
from networks.models import Network

from .factories import MembershipFactory, NetworkFactory, NetworkMembershipFactory, RegionFactory

# Production hashes passwords with PBKDF2 at a million iterations: half a second of CPU per user
# made by a factory or the demo, and per login — most of the suite's time on two cores. Tests
# hash with MD5 (PBKDF2 still checks hashes made elsewhere, e.g. by a worker process).
settings.PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Tests run with DEBUG off but without collectstatic; the manifest storage would fail on {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True, scope="session")
def _test_flush_may_empty_the_audit_log():
    """The database refuses TRUNCATE on the audit table (ijh migration 0050), also to superusers,
    but the flush after each transactional test (workers, browser) empties every table. Only
    here, and only as a superuser may: ``session_replication_role = replica`` skips ordinary
    triggers for that one transaction."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        # execute_sql_flush runs the list in one transaction: SET LOCAL ends with it.
        return ["SET LOCAL session_replication_role = replica", *statements] if statements else statements

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture(scope="session", autouse=True)
def _reference_data_survives_flush():
    """The data migrations seed regions, sectors, criteria and life domains; the flush after a
    transactional test (workers, browser) empties those tables too. In one process such tests ran
    last, but with several test processes (pytest-xdist) one may run before ordinary tests of the
    same process. Django's flush sends post_migrate: seed them again there, as the migrations did."""
    from django.db.models.signals import post_migrate

    def reseed(sender, using="default", **kwargs):
        if sender.label == "networks":
            from networks import reference_data
            from networks.models import Criterion, Region, Sector

            reference_data.ensure(Region, Sector)
            reference_data.ensure_criteria(Criterion)
        elif sender.label == "instruments":
            from instruments import reference_data as instrument_reference_data
            from instruments.models import LifeDomain

            instrument_reference_data.ensure(LifeDomain)

    post_migrate.connect(reseed, weak=False, dispatch_uid="tests-reference-data-after-flush")
    yield
    post_migrate.disconnect(dispatch_uid="tests-reference-data-after-flush")


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    # force_login of staff would otherwise land on the TOTP step in every test; the step itself
    # is tested in tests/test_second_factor.py, which switches it back on.
    settings.OTP_REQUIRED = False


@pytest.fixture(autouse=True)
def _dutch_by_default():
    # A test that switches language must not leak English into the next one (same thread).
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class Persona:
    user: User
    password: str = "correct-horse-battery"


@pytest.fixture
def network(db) -> Network:
    return NetworkFactory(name="RTJ Testland", region=RegionFactory(code="oost-vlaanderen"))


@pytest.fixture
def other_network(db) -> Network:
    return NetworkFactory(name="RTJ Elders", region=RegionFactory(code="limburg"))


@pytest.fixture
def member_organisation(network):
    return NetworkMembershipFactory(network=network).organisation


@pytest.fixture
def member(network, member_organisation) -> Persona:
    """A steering member: sees the network, may not change it."""
    return Persona(MembershipFactory(network=network, organisation=member_organisation).user)


@pytest.fixture
def manager(network) -> Persona:
    """The network's coordinator: may add organisations and roles."""
    return Persona(MembershipFactory(network=network, coordinator=True).user)


@pytest.fixture
def former_member(network) -> Persona:
    """Was on the steering group, membership ended: no rights left."""
    return Persona(MembershipFactory(network=network, expired=True).user)


@pytest.fixture
def outsider(other_network) -> Persona:
    """Has a role, but in another network and region."""
    return Persona(MembershipFactory(network=other_network).user)


@pytest.fixture
def regional_staff(network) -> Persona:
    return Persona(MembershipFactory(regional_staff=True, region=network.region).user)


@pytest.fixture
def as_user(client):
    def login(persona: Persona):
        client.force_login(persona.user)
        return client

    return login


class FakeBroker:
    """Stands in for the broker where a test calls task bodies itself: records what services
    publish (``ijh.queue``) as (task name, *args); ``down = True`` makes publishing fail as an
    unreachable broker does."""

    def __init__(self) -> None:
        self.published: list[tuple] = []
        self.down = False

    def send_task(self, name: str, args=(), **options):
        from kombu.exceptions import OperationalError

        if self.down:
            raise OperationalError("connection refused")
        self.published.append((name, *args))
        return type("AsyncResult", (), {"id": f"t-{len(self.published)}"})()

    def ids(self, task_name: str) -> list:
        """The first argument (the row id) of every published ``task_name``."""
        return [args[0] for name, *args in self.published if name == task_name]


@pytest.fixture
def fake_broker(monkeypatch) -> FakeBroker:
    from ijh.celery import app

    broker = FakeBroker()
    monkeypatch.setattr(app, "send_task", broker.send_task)
    return broker


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (aiosmtpd, tests/smtp.py); Django's SMTP backend sends to it."""
    from .smtp import SmtpServer

    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def deliver_mail(fake_broker):
    """Runs the worker's task body for every mail published so far (as a worker would), once each."""
    from ijh import tasks

    def run() -> int:
        delivered = 0
        for mail_id in fake_broker.ids("ijh.tasks.send_mail")[run.done :]:
            tasks.mail.deliver(mail_id)
            delivered += 1
        run.done += delivered
        return delivered

    run.done = 0
    return run
