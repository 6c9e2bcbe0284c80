"""The welcome folder in the worker: idempotent, acks late, time-limited; state in the OfferFolder
row the page polls (ijh/jobs.py)."""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from ijh import jobs
from ijh.files import store_atomically

from .models_offer import OfferFolder

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 90
TIME_LIMIT = 120
STALE_AFTER = datetime.timedelta(seconds=TIME_LIMIT)


@shared_task(bind=True, acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def render_offer_folder(self, folder_id: int) -> None:
    from . import folder as folders  # templates and WeasyPrint only in the worker

    folder = jobs.claim(
        OfferFolder.objects, folder_id, task_id=self.request.id or "", stale_after=STALE_AFTER
    )
    if folder is None:
        return
    try:
        pdf = folders.render_pdf(folder)
        name = store_atomically(f"offer-folders/onthaalmap-{folder.pk}.pdf", pdf)
        jobs.finish(folder, file=name)
    except SoftTimeLimitExceeded:
        jobs.fail(folder, "De onthaalmap duurde te lang en werd afgebroken.")
    except Exception as exc:
        logger.exception("Offer folder %s failed", folder_id)
        jobs.fail(folder, f"De onthaalmap kon niet gemaakt worden ({type(exc).__name__}).")
