"""Beat tasks of the networks app: leavers (issue 21 §3) and reminders by mail (§5).

Each is idempotent: the leavers run only touches accounts whose state is wrong for today, and
every reminder goes through ``send_mail_once`` under a key that names the notice and the person.
"""

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from ijh import jobs
from ijh.accounts import forget_old_reset_requests
from ijh.files import store_atomically

from . import leavers, reminders

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def sync_accounts() -> tuple[int, int]:
    forget_old_reset_requests()
    return leavers.sync_accounts()


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def mail_meeting_invitations() -> int:
    return reminders.mail_meeting_invitations()


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def mail_daily_reminders() -> tuple[int, int]:
    return reminders.mail_agreement_reminders(), reminders.mail_action_reminders()


# --- signal notes of the learning network (issue 19 §6): job state in the SignalNote row (ijh/jobs.py)

SIGNAL_NOTE_SOFT_LIMIT = 90
SIGNAL_NOTE_LIMIT = 120


@shared_task(bind=True, acks_late=True, soft_time_limit=SIGNAL_NOTE_SOFT_LIMIT, time_limit=SIGNAL_NOTE_LIMIT)
def render_signal_note(self, note_id: int) -> None:
    """Idempotent: a note already done (or failed) is left alone; a redelivered task after a
    killed worker picks the running note up again once its time limit has passed."""
    from . import signal_note  # templates and WeasyPrint only in the worker
    from .models import SignalNote

    note = jobs.claim(
        SignalNote.objects,
        note_id,
        task_id=self.request.id or "",
        stale_after=datetime.timedelta(seconds=SIGNAL_NOTE_LIMIT),
    )
    if note is None:
        return
    try:
        pdf = signal_note.render_pdf(note)
        jobs.finish(note, file=store_atomically(f"signal-notes/signaalnota-{note.pk}.pdf", pdf))
    except SoftTimeLimitExceeded:
        jobs.fail(note, "De signaalnota duurde te lang en werd afgebroken.")
    except Exception as exc:
        logger.exception("Signal note %s failed", note_id)
        jobs.fail(note, f"De signaalnota kon niet gemaakt worden ({type(exc).__name__}).")
