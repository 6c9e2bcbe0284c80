"""Outgoing e-mail: one function for services, one for the worker.

Services call ``send_mail_once(key=..., to=..., subject=..., template=..., context=...)``. It
renders the mail now (Dutch, plain text plus HTML from ``templates/mail/<template>.txt`` and
``.html``), records an ``OutgoingMail`` row under a unique key and queues
``ijh.tasks.send_mail`` once the transaction commits. The same key again returns the row already
there and sends nothing: pick keys that name the notice and its recipient, e.g.
``f"meeting-invitation:{meeting.pk}:{user.pk}"``, and add a counter where a second mail is meant
(``f"invitation:{invitation.pk}:{invitation.sent_count}"``).

The worker calls ``deliver(mail_id)``: it claims the row (pending → sending) with a conditional
UPDATE, so of two deliveries of the same message only one talks to the SMTP server; a temporary
SMTP error puts the row back to pending with a back-off; a permanent one (5xx, address refused)
or too many tries marks it failed.

The row is an outbox: it is written in the caller's transaction, so a broker that is down at
commit loses only the message, never the mail. ``sweep_unsent()`` (beat, every minute) delivers
the pending rows whose message was lost — itself, in the worker, through the same claim, so a
late message and the sweep never send one mail twice. A publish that fails marks its row due at
once, so the next sweep takes it without waiting. A row found still "sending" long after its claim
belonged to a worker that died mid-send: whether the relay accepted it is unknown, so it is
marked failed instead of being sent a second time.
"""

import datetime
import hashlib
import logging
import smtplib
import time
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutgoingMail
from .queue import publish_on_commit

logger = logging.getLogger(__name__)

TASK = "ijh.tasks.send_mail"
# A pending row this long past its due time lost its message; a sending row this long after its
# claim lost its worker (the task's hard time limit is far shorter).
REQUEUE_AFTER = datetime.timedelta(minutes=2)
SENDING_ABANDONED_AFTER = datetime.timedelta(minutes=15)
# The sweep stops claiming rows after this long, well inside its task's soft time limit; the
# next run takes the rest.
SWEEP_BUDGET_SECONDS = 60


def absolute_url(path: str) -> str:
    """A link for a mail: mails are rendered outside any request, so the host comes from SITE_URL."""
    return settings.SITE_URL + path


def normalise_address(address: str) -> str:
    """What people type: surrounding spaces go, the domain is case-insensitive (the local part is
    lowercased too: no provider we deal with tells ``An`` from ``an``)."""
    return address.strip().lower()


def render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """(plain text, HTML) of ``mail/<template>``, in the site's language (Dutch)."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"mail/{template}.txt", context)
        try:
            html = render_to_string(f"mail/{template}.html", context)
        except TemplateDoesNotExist:
            html = ""
    return text, html


def send_mail_once(
    *, key: str, to: str, subject: str, template: str, context: dict[str, Any] | None = None
) -> OutgoingMail:
    """Record the mail under ``key`` and queue it after commit; an existing key sends nothing."""
    existing = OutgoingMail.objects.filter(key=key).first()
    if existing is not None:
        return existing
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(subject)
    text, html = render(template, context or {})
    try:
        # A savepoint: a concurrent request that recorded the same key first must not break the
        # caller's transaction.
        with transaction.atomic():
            mail = OutgoingMail.objects.create(
                key=key[:200],
                to=normalise_address(to),
                subject=" ".join(subject.split())[:255],
                body_text=text,
                body_html=html,
            )
    except IntegrityError:
        return OutgoingMail.objects.get(key=key[:200])

    def remember(task_id: str | None) -> None:
        if task_id is None:
            _unpublished(mail.pk)

    publish_on_commit(TASK, mail.pk, on_result=remember)
    return mail


def _unpublished(mail_id: int) -> None:
    """The broker refused the message: make the row due for the next sweep at once."""
    OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.PENDING).update(
        next_attempt_at=timezone.now() - REQUEUE_AFTER
    )


def _message_id(mail: OutgoingMail) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "ijh-netwerken.invalid"
    digest = hashlib.sha256(mail.key.encode()).hexdigest()[:16]
    return f"<ijh.{mail.pk}.{digest}@{domain}>"


def _is_permanent(exc: Exception) -> bool:
    """5xx answers and refused recipients will not change by waiting; 4xx and network errors may."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def deliver(mail_id: int) -> int | None:
    """Send one mail. Returns the seconds to wait before the next try, or None when done
    (sent, failed for good, or not this worker's to send)."""
    now = timezone.now()
    claimed = OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.PENDING).update(
        status=OutgoingMail.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if not claimed:
        return None  # sent already, being sent by another delivery, failed, or unknown
    mail = OutgoingMail.objects.get(pk=mail_id)
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers={"Message-ID": _message_id(mail), "Auto-Submitted": "auto-generated"},
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        if _is_permanent(exc) or mail.attempts >= settings.MAIL_MAX_ATTEMPTS:
            logger.warning("Mail %s failed for good: %s", mail.pk, error)
            OutgoingMail.objects.filter(pk=mail.pk).update(status=OutgoingMail.Status.FAILED, error=error)
            return None
        delay = settings.MAIL_RETRY_SECONDS * 2 ** (mail.attempts - 1)
        logger.info("Mail %s: %s; next try in %s s", mail.pk, error, delay)
        OutgoingMail.objects.filter(pk=mail.pk).update(
            status=OutgoingMail.Status.PENDING,
            error=error,
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
        )
        return delay
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=OutgoingMail.Status.SENT, sent_at=timezone.now(), error="", body_text="", body_html=""
    )
    return None


def sweep_unsent(*, limit: int = 500) -> int:
    """(Beat) Deliver the mails whose message was lost; give up on those a dead worker held.
    Returns how many this run sent or tried."""
    now = timezone.now()
    abandoned = OutgoingMail.objects.filter(
        status=OutgoingMail.Status.SENDING, claimed_at__lt=now - SENDING_ABANDONED_AFTER
    ).update(
        status=OutgoingMail.Status.FAILED,
        error="De worker stopte tijdens het versturen; niet opnieuw verstuurd om geen dubbele mail te sturen.",
    )
    if abandoned:
        logger.warning("%s mail(s) abandoned mid-send marked failed", abandoned)
    ids = list(
        OutgoingMail.objects.filter(
            status=OutgoingMail.Status.PENDING, next_attempt_at__lte=now - REQUEUE_AFTER
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    deadline = time.monotonic() + SWEEP_BUDGET_SECONDS
    tried = 0
    for mail_id in ids:
        if time.monotonic() > deadline:
            break
        # deliver() claims the row (pending → sending) before it talks to the relay: a message
        # that arrives late for the same row finds it claimed, and the reverse.
        deliver(mail_id)
        tried += 1
    return tried
