"""Case documents in the worker. Idempotent, acks late, time-limited; state in the CaseDocument row
(the same pattern as reports/tasks.py)."""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from ijh import jobs
from ijh.files import store_atomically

from .models import CaseDocument
from .services import documents as document_services

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 90
TIME_LIMIT = 120
STALE_AFTER = datetime.timedelta(seconds=TIME_LIMIT)


def document_file_name(document: CaseDocument) -> str:
    # Fixed per document (a retry overwrites, never adds) and without the client's name.
    return f"case-documents/document-{document.pk}.pdf"


def _claim(document_id: int, task_id: str) -> CaseDocument | None:
    return jobs.claim(
        CaseDocument.objects.select_related("case__client"),
        document_id,
        task_id=task_id,
        stale_after=STALE_AFTER,
    )


@shared_task(bind=True, acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def render_case_document(self, document_id: int) -> None:
    from . import documents  # templates and WeasyPrint only in the worker

    document = _claim(document_id, self.request.id or "")
    if document is None:
        return
    try:
        pdf = documents.render_pdf(document)
        name = store_atomically(document_file_name(document), pdf)
        jobs.finish(document, file=name)
    except SoftTimeLimitExceeded:
        jobs.fail(document, "Het document duurde te lang en werd afgebroken.")
    except Exception as exc:
        logger.exception("Case document %s failed", document_id)
        jobs.fail(document, f"Het document kon niet gemaakt worden ({type(exc).__name__}).")


@shared_task
def requeue_stale_case_documents() -> int:
    return document_services.requeue_stale_documents()


@shared_task
def anonymise_closed_cases() -> int:
    """Nightly retention run (DESIGN.md §5); see cases/retention.py."""
    from .retention import anonymise_due_cases

    return anonymise_due_cases()


@shared_task
def warn_upcoming_releases() -> int:
    """Daily: trajectory guidance whose planned release is three months away (issue 20 §4)."""
    from .services.detention import warn_upcoming_releases as warn

    return warn()


@shared_task(acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def mark_overdue_crisis_steps() -> int:
    """Every 15 minutes (beat): crisis steps past their limit are marked for the dashboards and
    their provider gets one mail per step (issue 18 §7). Idempotent: a redelivery marks nothing
    twice and ``send_mail_once`` sends nothing twice."""
    from .services.crisis import mark_overdue_steps

    return mark_overdue_steps()


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def refresh_carousel_signals() -> int:
    """At night: every planmaker network's carousel signal for the new day (issue 19 §8)."""
    from .carousel import refresh_all

    return refresh_all()
