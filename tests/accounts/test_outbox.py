"""Durable mail (issue 21 §5): a mail asked for while the broker is down is not lost.

The request writes its outbox row (a ``PasswordResetRequest`` with the address, an
``OutgoingMail``) in its own transaction and publishes on commit; when the publish fails, the
beat's sweep (``ijh.tasks.sweep_outbox``) handles the row later — once, whatever else arrives.
"""

import datetime
import socket
import time
from contextlib import contextmanager

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ijh import accounts, mail, tasks
from ijh.models import OutgoingMail, PasswordResetRequest

from ..factories import MembershipFactory, UserFactory

OLD = "correct-horse-battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _reset_broker_connections(celery_app) -> None:
    from kombu import pools

    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_down(settings, monkeypatch):
    """The web side publishes to a Redis port nobody listens on: publishing raises, as when the
    broker is down. Everything is as before afterwards."""
    from ijh.celery import app as celery_app

    dead = f"redis://127.0.0.1:{_free_port()}/0"
    previous = (
        celery_app.conf.broker_url,
        celery_app.conf.broker_transport_options,
        settings.CELERY_BROKER_URL,
    )
    with monkeypatch.context() as patch:
        patch.setenv("CELERY_BROKER_URL", dead)  # Celery reads the variable before its config
        settings.CELERY_BROKER_URL = dead
        celery_app.conf.broker_url = dead
        celery_app.conf.broker_transport_options = {
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.1,
        }
        _reset_broker_connections(celery_app)
        try:
            yield
        finally:
            celery_app.conf.broker_url, celery_app.conf.broker_transport_options = previous[:2]
            settings.CELERY_BROKER_URL = previous[2]
            _reset_broker_connections(celery_app)


@pytest.fixture
def dead_broker(settings, monkeypatch):
    with broker_down(settings, monkeypatch):
        yield


@pytest.fixture
def person(network):
    user = UserFactory(username="an.claes", first_name="An", email="an.claes@example.org")
    MembershipFactory(user=user, network=network)
    return user


@pytest.mark.django_db(transaction=True)
def test_a_reset_asked_while_the_broker_is_down_is_mailed_once_by_the_sweep(
    person, smtp_server, dead_broker, caplog
):
    # given the broker is down, when someone asks for a reset (and someone else for an unknown address)
    client = Client()
    started = time.monotonic()
    known = client.post(reverse("account:password-reset"), {"email": "An.Claes@example.org"})
    unknown = client.post(reverse("account:password-reset"), {"email": "niemand@example.org"})
    # then the answer is the one of a working day, promptly
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account:password-reset-sent")
    assert "Als dit adres bij een account hoort" in client.get(known["Location"]).text
    assert time.monotonic() - started < 20
    assert "ijh.tasks.send_password_reset" in caplog.text and "not queued" in caplog.text
    # and the requests wait in the outbox, nothing sent yet
    rows = PasswordResetRequest.objects.order_by("pk")
    assert [(row.address, row.handled_at) for row in rows] == [
        ("an.claes@example.org", None),
        ("niemand@example.org", None),
    ]
    assert not OutgoingMail.objects.exists() and smtp_server.messages == []
    assert tasks.sweep_outbox() == (0, 0)  # not yet: their messages might still be on their way

    # when the sweep runs a couple of minutes later (the broker still down: the sweep does not need it)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert tasks.sweep_outbox() == (2, 1)
        # then the person got one mail with a working link; the requests are handled and forget
        # the address
        [message] = smtp_server.messages
        assert message["To"] == "an.claes@example.org"
        assert message["Subject"] == "Je wachtwoord voor IJH Netwerken opnieuw instellen"
        assert all(row.handled_at and row.address == "" for row in PasswordResetRequest.objects.all())
        outgoing = OutgoingMail.objects.get()
        assert outgoing.status == OutgoingMail.Status.SENT and outgoing.attempts == 1

        # and nothing sends it twice: another sweep, the lost task message arriving late, a
        # redelivered mail message
        assert tasks.sweep_outbox() == (0, 0)
        for row in PasswordResetRequest.objects.all():
            assert accounts.send_password_reset(row.pk) == 0
        assert mail.deliver(outgoing.pk) is None
    assert len(smtp_server.messages) == 1

    text = smtp_server.text(smtp_server.messages[0])
    path = "/" + text.split(django_settings.SITE_URL + "/", 1)[1].split()[0]
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "new_password1" in form.text


@pytest.mark.django_db
def test_the_reset_task_claims_its_row_so_a_second_delivery_sends_nothing(
    person, fake_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accounts.request_password_reset(person.email, ip="10.0.0.1")
    row = PasswordResetRequest.objects.get()
    # The task message carries the row's id only; the address waits in the row.
    assert fake_broker.published == [(accounts.RESET_TASK, row.pk)]
    assert accounts.send_password_reset(row.pk) == 1
    assert accounts.send_password_reset(row.pk) == 0
    assert OutgoingMail.objects.filter(key__startswith=f"password-reset:{person.pk}:").count() == 1
    row.refresh_from_db()
    assert row.handled_at is not None and row.address == "" and row.attempts == 1


@pytest.mark.django_db
def test_a_request_that_keeps_failing_is_given_up_after_its_attempts(person, monkeypatch):
    accounts.request_password_reset(person.email, ip=None)
    row = PasswordResetRequest.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(accounts, "_mail_reset_links", broken)
    later = timezone.now() + datetime.timedelta(minutes=2)
    with time_machine.travel(later):
        for _ in range(accounts.RESET_MAX_ATTEMPTS + 2):
            assert accounts.sweep_password_resets() == 0
    row.refresh_from_db()
    assert row.handled_at is None and row.attempts == accounts.RESET_MAX_ATTEMPTS


@pytest.mark.django_db
def test_a_mail_whose_publish_failed_is_due_for_the_next_sweep_at_once(
    fake_broker, smtp_server, django_capture_on_commit_callbacks
):
    fake_broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        outgoing = mail.send_mail_once(
            key="notice:1", to="an@example.org", subject="Herinnering", template="notice", context={}
        )
    # No waiting for a message that never left: the sweep delivers it now.
    assert mail.sweep_unsent() == 1
    assert len(smtp_server.messages) == 1
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT
    assert mail.sweep_unsent() == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sweeps_a_reset_the_broker_never_got(person, smtp_server, settings, monkeypatch):
    from ijh.queue import publish

    from ..workers import running_worker

    with broker_down(settings, monkeypatch):
        response = Client().post(reverse("account:password-reset"), {"email": person.email})
    assert response.status_code == 302
    # A couple of minutes pass (the worker runs in real time: the row is made older instead).
    PasswordResetRequest.objects.update(at=timezone.now() - datetime.timedelta(minutes=2))
    with running_worker(extra_env=smtp_server.env()) as worker:
        # Beat's message, as the schedule sends it every minute; twice, as after a redelivery.
        publish("ijh.tasks.sweep_outbox")
        publish("ijh.tasks.sweep_outbox")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not smtp_server.messages:
            assert worker.poll() is None, "the worker process died"
            time.sleep(0.25)
        time.sleep(2)  # room for a second mail, should one be coming
    assert [message["To"] for message in smtp_server.messages] == [person.email]
    assert PasswordResetRequest.objects.get().handled_at is not None
