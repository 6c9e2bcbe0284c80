"""Case documents in the worker. Idempotent, acks late, time-limited; state in the CaseDocument row
(the same pattern as reports/tasks.py)."""

import datetime
import glob
import logging
import os
import tempfile

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import CaseDocument

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 90
TIME_LIMIT = 120


def document_file_name(document: CaseDocument) -> str:
    # Fixed per document (a retry overwrites, never adds) and without the client's name.
    return f"case-documents/document-{document.pk}.pdf"


def _claim(document_id: int, task_id: str) -> CaseDocument | None:
    """Mark the document as running, unless it is finished or another live task is on it."""
    with transaction.atomic():
        try:
            document = (
                CaseDocument.objects.select_for_update(of=("self",))
                .select_related("case__client")
                .get(pk=document_id)
            )
        except CaseDocument.DoesNotExist:
            return None  # the case was deleted (retention) after the request: nothing to do
        if document.status in (CaseDocument.Status.DONE, CaseDocument.Status.FAILED):
            return None
        if document.status == CaseDocument.Status.RUNNING and document.task_id != task_id:
            still_alive = document.started_at and document.started_at > timezone.now() - datetime.timedelta(
                seconds=TIME_LIMIT
            )
            if still_alive:
                return None
        document.status = CaseDocument.Status.RUNNING
        document.task_id = task_id or ""
        document.started_at = timezone.now()
        document.error = ""
        document.save(update_fields=["status", "task_id", "started_at", "error"])
    return document


def _store_pdf(document: CaseDocument, pdf: bytes) -> str:
    """Write the PDF so that no reader ever sees half a file: a temporary file in the same
    folder, renamed over the final name (atomic on one filesystem)."""
    name = document_file_name(document)
    if hasattr(default_storage, "path"):
        final_path = default_storage.path(name)
        folder = os.path.dirname(final_path)
        os.makedirs(folder, exist_ok=True)
        # Leftovers of an attempt killed while writing go first.
        for leftover in glob.glob(os.path.join(folder, f"document-{document.pk}-*.part")):
            os.remove(leftover)
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix=f"document-{document.pk}-", suffix=".part", delete=False
        ) as handle:
            handle.write(pdf)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, final_path)
        return name
    # Object stores (S3) publish an object only once it is completely uploaded.
    from django.core.files.base import ContentFile

    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(pdf))


def _fail(document: CaseDocument, reason: str) -> None:
    CaseDocument.objects.filter(pk=document.pk).update(
        status=CaseDocument.Status.FAILED, error=reason[:250], finished_at=timezone.now()
    )


@shared_task(bind=True, acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def render_case_document(self, document_id: int) -> None:
    from . import documents  # templates and WeasyPrint only in the worker

    document = _claim(document_id, self.request.id or "")
    if document is None:
        return
    try:
        pdf = documents.render_pdf(document)
        name = _store_pdf(document, pdf)
        CaseDocument.objects.filter(pk=document.pk).update(
            file=name, status=CaseDocument.Status.DONE, finished_at=timezone.now(), error=""
        )
    except SoftTimeLimitExceeded:
        _fail(document, "Het document duurde te lang en werd afgebroken.")
    except Exception as exc:
        # The reason stays short and generic: an exception message may quote client data.
        logger.exception("Case document %s failed", document_id)
        _fail(document, f"Het document kon niet gemaakt worden ({type(exc).__name__}).")


@shared_task
def requeue_stale_case_documents() -> int:
    from .services import documents

    return documents.requeue_stale_documents()


@shared_task
def anonymise_closed_cases() -> int:
    """Nightly retention run (DESIGN.md §5); see cases/retention.py."""
    from .retention import anonymise_due_cases

    return anonymise_due_cases()
