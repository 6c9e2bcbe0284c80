import socket

from celery import shared_task
from django.utils import timezone

from . import accounts, mail
from .models import WorkerPing


@shared_task(acks_late=True, soft_time_limit=30, time_limit=60)
def ping(ping_id: int) -> None:
    """Answer a WorkerPing. Idempotent: the status filter makes a redelivered message a no-op."""
    WorkerPing.objects.filter(pk=ping_id, status=WorkerPing.Status.PENDING).update(
        status=WorkerPing.Status.DONE,
        answered_at=timezone.now(),
        worker_hostname=socket.gethostname()[:200],
    )


@shared_task(bind=True, acks_late=True, max_retries=None, soft_time_limit=60, time_limit=90)
def send_mail(self, mail_id: int) -> None:
    """Send one OutgoingMail. Idempotent: ``mail.deliver`` claims the row before sending, so a
    redelivered message finds it sent (or being sent) and does nothing."""
    retry_in = mail.deliver(mail_id)
    if retry_in is not None:
        # The row is pending again with next_attempt_at set; should this retry message be lost,
        # the requeue job picks the row up.
        raise self.retry(countdown=retry_in)


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def sweep_outbox() -> tuple[int, int]:
    """(Beat, every minute) What a lost message left behind: password-reset requests first (they
    record mails), then the mails. Idempotent: both claim their rows before acting."""
    return accounts.sweep_password_resets(), mail.sweep_unsent()


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def requeue_pending_mail() -> tuple[int, int]:
    """The sweep's former name, for a beat message sent before an upgrade."""
    return sweep_outbox()


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def send_password_reset(request_id: int, address: str | None = None) -> int:
    """Idempotent: the request row is claimed and marked handled with its mails (ijh.accounts)."""
    return accounts.send_password_reset(request_id, address)
