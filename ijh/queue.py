"""Publishing tasks by name, so that services never import the tasks that import them back.

Layering (README, "Layout"): ``tasks`` modules import ``services``; a service queues work with
``publish("app.tasks.name", ...)`` after its transaction commits. A broker that is down does not
fail the request: the caller learns it (``None``) and keeps the job's row pending for its
requeue job.
"""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def publish(task_name: str, *args) -> str | None:
    """Send ``task_name`` to the broker now. The task id, or None when the broker is unreachable."""
    from .celery import app

    try:
        result = app.send_task(task_name, args=args)
    except OperationalError as exc:
        logger.warning("Task %s%r not queued: %s", task_name, args, exc)
        return None
    return result.id or ""


def publish_on_commit(task_name: str, *args, on_result=None) -> None:
    """Queue ``task_name`` once the current transaction commits (never for an uncommitted row).

    ``on_result(task_id_or_None)`` runs after publishing, to record the id or the outage on the
    job's row.
    """

    def _send() -> None:
        task_id = publish(task_name, *args)
        if on_result is not None:
            on_result(task_id)

    transaction.on_commit(_send)
