"""Writes for the history import (issue 17 §6): the dry run, starting the job, the job itself.

1. ``dry_run`` reads and checks the upload (reports/history.py). A file with any error, or with
   nothing new in it, is refused with every row's problem in Dutch and **nothing is saved**. A
   clean file is stored privately with a ``HistoryImport`` row (status "checked") that shows
   what would be imported.
2. ``start_import`` queues the job on commit (``ijh.queue``), one per network and kind at a time.
3. ``run_import`` (the worker) checks the stored file again — the data may have changed since
   the dry run — and inserts every new row in **one transaction**: a killed worker leaves
   nothing half-imported, and the retry starts clean. References already imported are skipped,
   so the same file twice adds nothing (and the unique constraint guarantees it).
Every step writes an audit event; the imported rows keep their import (``batch``).
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit, jobs, queue
from ijh.models import User
from networks.models import Network

from . import history
from .models import HistoryImport, ImportedConferenceRequest, ImportedReferral

logger = logging.getLogger(__name__)

IMPORT_TASK = "reports.tasks.import_history"
# A running import older than this is taken to have died with its worker.
STALE_AFTER = datetime.timedelta(minutes=10)
INSERT_BATCH = 1000


def dry_run(
    *, network: Network, kind: str, content: bytes, filename: str, by: User
) -> tuple[HistoryImport | None, history.Checked]:
    """Check a file; store it for the import only when every row is fine and some are new."""
    checked = history.check(content, filename, kind=kind, network=network)
    if not checked.is_importable:
        return None, checked
    if not checked.new_rows:
        checked.problem = _(
            "Alle %(n)s rijen van dit bestand zijn al geïmporteerd: er valt niets toe te voegen."
        ) % {"n": len(checked.rows)}
        return None, checked
    with transaction.atomic():
        batch = HistoryImport(
            network=network,
            kind=kind,
            original_name=filename[-200:],
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=by,
            rows_total=len(checked.rows),
            rows_known=len(checked.known_rows),
            preview=history.preview(checked),
            notices=[str(notice) for notice in checked.notices],
        )
        batch.file.save(filename, ContentFile(content), save=False)
        batch.save()
        audit.record(by, "report.history_checked", batch, detail=f"{len(checked.new_rows)} nieuwe rijen")
    return batch, checked


def start_import(*, batch: HistoryImport, by: User) -> HistoryImport:
    """Queue the import of a checked file (a second click finds it queued)."""
    with transaction.atomic():
        batch = HistoryImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != HistoryImport.Status.CHECKED:
            return batch
        if HistoryImport.objects.filter(
            network=batch.network_id, kind=batch.kind, status__in=HistoryImport.ACTIVE
        ).exists():
            raise ValidationError(
                _("Er loopt al een import voor dit netwerk. Wacht tot die klaar is en probeer dan opnieuw.")
            )
        batch.status = HistoryImport.Status.PENDING
        batch.imported_by = by
        batch.queued_at = timezone.now()
        batch.error = ""
        try:
            with transaction.atomic():
                batch.save(update_fields=["status", "imported_by", "queued_at", "error"])
        except IntegrityError as exc:  # the partial unique constraint: another import started
            raise ValidationError(_("Er loopt al een import voor dit netwerk.")) from exc
        audit.record(by, "report.history_import_started", batch)
        _enqueue_on_commit(batch.pk)
    return batch


def _record_publishing(batch_id: int, task_id: str | None) -> None:
    if task_id is None:
        HistoryImport.objects.filter(pk=batch_id, status=HistoryImport.Status.PENDING).update(
            error=_(
                "De takenwachtrij is tijdelijk niet bereikbaar. De import is bewaard en start zodra ze terug is."
            )
        )
        return
    HistoryImport.objects.filter(pk=batch_id).update(task_id=task_id, error="")


def _enqueue_on_commit(batch_id: int) -> None:
    queue.publish_on_commit(
        IMPORT_TASK, batch_id, on_result=lambda task_id: _record_publishing(batch_id, task_id)
    )


def _progress(batch_id: int, value: int) -> None:
    HistoryImport.objects.filter(pk=batch_id).update(progress=max(0, min(value, 99)))


def fail(batch_id: int, reason: str) -> None:
    HistoryImport.objects.filter(pk=batch_id).update(
        status=HistoryImport.Status.FAILED, error=reason[:500], finished_at=timezone.now()
    )


def run_import(batch_id: int, task_id: str = "") -> None:
    """The job: check the stored file again, then insert its new rows in one transaction."""
    batch = jobs.claim(
        HistoryImport.objects.select_related("network"),
        batch_id,
        task_id=task_id,
        stale_after=STALE_AFTER,
        claimable=HistoryImport.ACTIVE,
        start_progress=5,
    )
    if batch is None:
        return
    try:
        with batch.file.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, ValueError):
        jobs.fail(batch, _("Het opgeladen bestand is niet meer te vinden. Laad het opnieuw op."))
        return
    checked = history.check(
        content,
        batch.original_name,
        kind=batch.kind,
        network=batch.network,
        progress=lambda done, total: _progress(batch.pk, 5 + 45 * done // max(total, 1)),
    )
    if not checked.is_importable:
        # The data changed since the dry run (a sector or organisation removed): nothing is imported.
        first = checked.problem or "; ".join(
            _("rij %(line)s: %(error)s") % {"line": line, "error": error}
            for line, error in checked.errors_shown()[:3]
        )
        jobs.fail(
            batch, _("Het bestand klopt niet meer: %(reason)s. Er is niets geïmporteerd.") % {"reason": first}
        )
        return
    # The insert is one transaction: its progress is not visible until it commits.
    _progress(batch.pk, 60)
    try:
        with transaction.atomic():
            imported = _insert(batch, checked)
            HistoryImport.objects.filter(pk=batch.pk).update(
                status=HistoryImport.Status.DONE,
                progress=100,
                rows_imported=imported,
                rows_known=len(checked.rows) - imported,
                finished_at=timezone.now(),
                error="",
            )
            audit.record(
                batch.imported_by,
                "report.history_imported",
                batch,
                changed_fields=[
                    "requested_on" if batch.kind == HistoryImport.Kind.CONFERENCES else "sent_on"
                ],
                detail=f"{imported} rijen geïmporteerd",
            )
    except Exception as exc:
        logger.exception("History import %s failed", batch.pk)
        jobs.fail(
            batch,
            _("De import is mislukt (%(error)s). Er is niets geïmporteerd.") % {"error": type(exc).__name__},
        )


def _insert(batch: HistoryImport, checked: history.Checked) -> int:
    # The references imported meanwhile (another upload of an overlapping file) are skipped here.
    model = ImportedConferenceRequest if batch.kind == HistoryImport.Kind.CONFERENCES else ImportedReferral
    references = [row.values["reference"] for row in checked.new_rows]
    existing = set(
        model.objects.filter(network=batch.network, reference__in=references).values_list(
            "reference", flat=True
        )
    )
    rows = [row for row in checked.new_rows if row.values["reference"] not in existing]
    objects = [_build(model, batch, row.values) for row in rows]
    model.objects.bulk_create(objects, batch_size=INSERT_BATCH)
    return len(objects)


def _build(model, batch: HistoryImport, values: dict):
    common = {"network_id": batch.network_id, "batch": batch, "reference": values["reference"]}
    if model is ImportedConferenceRequest:
        return ImportedConferenceRequest(
            **common,
            requested_on=values["requested_on"],
            requesting_sector_id=values["requesting_sector_id"],
            admissible=values["admissible"],
            decided_on=values["decided_on"],
            first_session_on=values["first_session_on"],
            outcome=values["outcome"],
        )
    return ImportedReferral(
        **common,
        sent_on=values["sent_on"],
        to_organisation_id=values["to_organisation_id"],
        outside_agreement=values["outside_agreement"],
        received_on=values["received_on"],
        accepted_on=values["accepted_on"],
        declined_on=values["declined_on"],
        decline_reason=values["decline_reason"],
        started_on=values["started_on"],
        withdrawn_on=values["withdrawn_on"],
    )


def requeue_stale_imports(*, older_than_minutes: int = 10) -> int:
    """Queue again imports whose message was lost or whose worker died; give up after
    JOB_MAX_ATTEMPTS with a reason on the row."""
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    stale = HistoryImport.objects.filter(
        Q(status=HistoryImport.Status.PENDING, queued_at__lt=cutoff)
        | Q(status=HistoryImport.Status.RUNNING, started_at__lt=cutoff)
    )
    stale.filter(attempts__gte=settings.JOB_MAX_ATTEMPTS).update(
        status=HistoryImport.Status.FAILED,
        finished_at=timezone.now(),
        error=_("De import is %(n)s keer niet afgeraakt. Er is niets geïmporteerd; probeer het opnieuw.")
        % {"n": settings.JOB_MAX_ATTEMPTS},
    )
    ids = list(stale.filter(attempts__lt=settings.JOB_MAX_ATTEMPTS).values_list("pk", flat=True))
    for batch_id in ids:
        _record_publishing(batch_id, queue.publish(IMPORT_TASK, batch_id))
    return len(ids)
