import logging

from django.db import transaction
from kombu.exceptions import OperationalError

from . import audit
from .models import User, WorkerPing
from .tasks import ping

logger = logging.getLogger(__name__)


def _publish_ping(ping_id: int) -> None:
    try:
        ping.delay(ping_id)
    except OperationalError as exc:
        # The broker is down: the row says so instead of waiting forever; the page shows it.
        logger.warning("Could not queue ping %s: %s", ping_id, exc)
        WorkerPing.objects.filter(pk=ping_id).update(
            status=WorkerPing.Status.FAILED, error="De takenwachtrij (broker) is niet bereikbaar."
        )


@transaction.atomic
def request_worker_ping(*, by: User) -> WorkerPing:
    worker_ping = WorkerPing.objects.create(requested_by=by)
    audit.record(by, "worker.ping_requested", worker_ping)
    # Queue only after commit, so the worker never looks for a row that is not there yet.
    transaction.on_commit(lambda: _publish_ping(worker_ping.pk))
    return worker_ping
