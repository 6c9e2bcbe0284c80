"""The welcome folder in the worker: idempotent, acks late, time-limited; state in the OfferFolder
row the page polls (the pattern of cases/tasks.py)."""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from ijh.files import store_atomically

from .models_offer import OfferFolder

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 90
TIME_LIMIT = 120


def _claim(folder_id: int, task_id: str) -> OfferFolder | None:
    with transaction.atomic():
        folder = OfferFolder.objects.select_for_update().filter(pk=folder_id).first()
        if folder is None or folder.status in (OfferFolder.Status.DONE, OfferFolder.Status.FAILED):
            return None
        if folder.status == OfferFolder.Status.RUNNING and folder.task_id != task_id:
            alive = folder.started_at and folder.started_at > timezone.now() - datetime.timedelta(
                seconds=TIME_LIMIT
            )
            if alive:
                return None
        folder.status = OfferFolder.Status.RUNNING
        folder.task_id = task_id or ""
        folder.started_at = timezone.now()
        folder.error = ""
        folder.attempts += 1
        folder.save(update_fields=["status", "task_id", "started_at", "error", "attempts"])
    return folder


def _fail(folder: OfferFolder, reason: str) -> None:
    OfferFolder.objects.filter(pk=folder.pk).update(
        status=OfferFolder.Status.FAILED, error=reason[:250], finished_at=timezone.now()
    )


@shared_task(bind=True, acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def render_offer_folder(self, folder_id: int) -> None:
    from . import folder as folders  # templates and WeasyPrint only in the worker

    folder = _claim(folder_id, self.request.id or "")
    if folder is None:
        return
    try:
        pdf = folders.render_pdf(folder)
        name = store_atomically(f"offer-folders/onthaalmap-{folder.pk}.pdf", pdf)
        OfferFolder.objects.filter(pk=folder.pk).update(
            file=name, status=OfferFolder.Status.DONE, finished_at=timezone.now(), error=""
        )
    except SoftTimeLimitExceeded:
        _fail(folder, "De onthaalmap duurde te lang en werd afgebroken.")
    except Exception as exc:
        logger.exception("Offer folder %s failed", folder_id)
        _fail(folder, f"De onthaalmap kon niet gemaakt worden ({type(exc).__name__}).")
