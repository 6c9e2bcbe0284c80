"""The state row of a worker job: claimed once per delivery, failed with a short reason.

Report runs, case documents, welcome folders and history imports each keep their job's state in a
row the page polls (status, task_id, started_at, attempts, error, finished_at). Celery may deliver
a task twice (acks late, a worker that died): ``claim`` makes the second delivery a no-op while the
first is alive, and lets it take over once the first is older than the task's time limit.
"""

import datetime
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

RUNNING = "running"
DONE = "done"
FAILED = "failed"


def claim(
    queryset: models.QuerySet,
    pk: int,
    *,
    task_id: str,
    stale_after: datetime.timedelta,
    claimable: Iterable[str] | None = None,
    finished: Iterable[str] = (DONE, FAILED),
    start_progress: int | None = None,
) -> models.Model | None:
    """Mark the row running for this task and return it, or None when there is nothing to do:
    the row is gone (retention), finished, not claimable, or another live task is on it.

    ``queryset`` may carry select_related; the lock covers the job row only."""
    with transaction.atomic():
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
        job = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
        if job is None or job.status in finished:
            return None
        if claimable is not None and job.status not in claimable:
            return None
        another_task_alive = (
            job.status == RUNNING
            and job.task_id != task_id
            and job.started_at
            and job.started_at > timezone.now() - stale_after
        )
        if another_task_alive:
            return None
        job.status = RUNNING
        job.task_id = task_id or ""
        job.started_at = timezone.now()
        job.error = ""
        # Counted at the start: an attempt killed with its worker counts too (the requeue jobs).
        job.attempts += 1
        fields = ["status", "task_id", "started_at", "error", "attempts"]
        if start_progress is not None:
            job.progress = start_progress
            fields.append("progress")
        job.save(update_fields=fields)
    return job


def fail(job: models.Model, reason: str) -> None:
    """Record the failure. The reason stays short and generic: an exception message may quote
    client data, so callers pass their own sentence, never ``str(exc)``."""
    max_length = type(job)._meta.get_field("error").max_length or 500
    type(job)._default_manager.filter(pk=job.pk).update(
        status=FAILED, error=str(reason)[:max_length], finished_at=timezone.now()
    )


def finish(job: models.Model, **fields) -> None:
    """Mark the job done with its result fields (file name, progress)."""
    type(job)._default_manager.filter(pk=job.pk).update(
        status=DONE, finished_at=timezone.now(), error="", **fields
    )
