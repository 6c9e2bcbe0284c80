import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerPing


@shared_task(acks_late=True, soft_time_limit=30, time_limit=60)
def ping(ping_id: int) -> None:
    """Answer a WorkerPing. Idempotent: the status filter makes a redelivered message a no-op."""
    WorkerPing.objects.filter(pk=ping_id, status=WorkerPing.Status.PENDING).update(
        status=WorkerPing.Status.DONE,
        answered_at=timezone.now(),
        worker_hostname=socket.gethostname()[:200],
    )
