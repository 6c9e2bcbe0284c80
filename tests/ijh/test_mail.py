"""Outgoing mail (ijh/mail.py): recorded once per key, sent by the worker to a real SMTP server
(aiosmtpd on 127.0.0.1), retried on temporary errors, never twice."""

import datetime
import time

import pytest
import time_machine
from celery.exceptions import Retry
from django.utils import timezone

from ijh import mail, tasks
from ijh.models import OutgoingMail
from tests.workers import running_worker

pytestmark = pytest.mark.django_db


def notice(key: str = "test:1", to: str = "an.claes@example.org", **context) -> OutgoingMail:
    return mail.send_mail_once(
        key=key,
        to=to,
        subject="Herinnering: actiepunt vervalt",
        template="notice",
        context={
            "name": "An",
            "paragraphs": ["Het actiepunt ‘Verwijsfiche herwerken’ vervalt op 22/11/2026."],
            "link": mail.absolute_url("/netwerken/1/"),
            "link_label": "Bekijk het actiepunt",
            **context,
        },
    )


def test_the_same_key_records_and_publishes_one_mail(fake_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notice()
        again = notice()
    assert first.pk == again.pk
    assert OutgoingMail.objects.count() == 1
    assert fake_broker.ids("ijh.tasks.send_mail") == [first.pk]


def test_a_mail_arrives_once_in_dutch_with_plain_text_and_link(smtp_server, settings):
    settings.SITE_URL = "https://ijh.example.be"
    outgoing = notice(to="  An.Claes@Example.ORG ")
    assert outgoing.to == "an.claes@example.org"

    assert mail.deliver(outgoing.pk) is None
    assert mail.deliver(outgoing.pk) is None  # a redelivered message: claimed already, nothing sent

    [message] = smtp_server.messages
    assert message["To"] == "an.claes@example.org"
    assert message["Subject"] == "Herinnering: actiepunt vervalt"
    assert message["Auto-Submitted"] == "auto-generated"
    text = smtp_server.text(message)
    assert "Beste An," in text and "vervalt op 22/11/2026" in text
    assert "Bekijk het actiepunt:\nhttps://ijh.example.be/netwerken/1/" in text
    assert "automatisch verstuurd" in text
    assert '<a href="https://ijh.example.be/netwerken/1/">' in smtp_server.html(message)
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT and outgoing.attempts == 1
    assert outgoing.body_text == "" and outgoing.body_html == ""  # a one-time link does not linger


def test_the_task_retries_on_a_temporary_smtp_error_then_sends_once(smtp_server):
    outgoing = notice()
    smtp_server.refuse_next(1, "451 4.3.0 Try again later")

    with pytest.raises(Retry):
        tasks.send_mail(outgoing.pk)

    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.PENDING
    assert "451" in outgoing.error and outgoing.next_attempt_at > timezone.now()
    assert smtp_server.messages == []
    tasks.send_mail(outgoing.pk)
    assert len(smtp_server.messages) == 1
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts, outgoing.error) == (OutgoingMail.Status.SENT, 2, "")


def test_a_refused_address_fails_without_retrying(smtp_server):
    outgoing = notice()
    smtp_server.refuse_next(1, "550 5.1.1 No such user")
    assert mail.deliver(outgoing.pk) is None
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.FAILED and "550" in outgoing.error


def test_after_the_last_attempt_the_mail_is_marked_failed(smtp_server, settings):
    settings.MAIL_MAX_ATTEMPTS = 2
    outgoing = notice()
    smtp_server.refuse_next(5)
    assert mail.deliver(outgoing.pk) == settings.MAIL_RETRY_SECONDS
    assert mail.deliver(outgoing.pk) is None
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.FAILED and outgoing.attempts == 2


def test_an_unreachable_relay_is_a_temporary_error(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", 9, False
    outgoing = notice()
    assert mail.deliver(outgoing.pk) == settings.MAIL_RETRY_SECONDS
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.PENDING and outgoing.error


def test_broker_down_at_commit_leaves_the_mail_for_the_sweep(
    fake_broker, smtp_server, django_capture_on_commit_callbacks
):
    fake_broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        outgoing = notice()
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.PENDING
    assert mail.sweep_unsent() == 1  # its publish failed: due at once
    assert len(smtp_server.messages) == 1
    assert mail.sweep_unsent() == 0
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT


def test_a_mail_whose_message_got_lost_is_swept_after_a_grace(fake_broker, smtp_server):
    outgoing = notice()  # published (as far as we know); the message never reaches a worker
    assert mail.sweep_unsent() == 0  # not yet: its message may still be on its way
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        assert mail.sweep_unsent() == 1
        assert mail.deliver(outgoing.pk) is None  # the late message finds it sent
    assert len(smtp_server.messages) == 1


def test_a_mail_abandoned_mid_send_is_not_sent_again(fake_broker, smtp_server):
    outgoing = notice()
    OutgoingMail.objects.filter(pk=outgoing.pk).update(
        status=OutgoingMail.Status.SENDING, claimed_at=timezone.now(), attempts=1
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20)):
        mail.sweep_unsent()
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.FAILED
    assert "niet opnieuw verstuurd" in outgoing.error
    assert smtp_server.messages == []


def test_the_embedded_default_writes_one_eml_file_per_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "ijh.mail_backends.FileBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    mail.deliver(notice(key="a").pk)
    mail.deliver(notice(key="b", to="bram@example.org").pk)
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    assert any("bram@example.org" in path.name for path in files)
    content = files[0].read_text()
    assert "Subject: Herinnering: actiepunt vervalt" in content and "Beste An," in content
    assert not list((tmp_path / "mail").glob(".*"))  # no half-written file left


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_mail_once(smtp_server):
    with running_worker(extra_env=smtp_server.env()) as worker:
        outgoing = notice()  # autocommit: published at once
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not smtp_server.messages:
            assert worker.poll() is None, "the worker process died"
            time.sleep(0.25)
        # Publishing the same row again (a redelivery) sends nothing more.
        from ijh.queue import publish

        publish(mail.TASK, outgoing.pk)
        time.sleep(1.5)
    assert len(smtp_server.messages) == 1
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT
