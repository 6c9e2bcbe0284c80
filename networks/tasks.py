"""Beat tasks of the networks app: leavers (issue 21 §3) and reminders by mail (§5).

Each is idempotent: the leavers run only touches accounts whose state is wrong for today, and
every reminder goes through ``send_mail_once`` under a key that names the notice and the person.
"""

from celery import shared_task

from ijh.accounts import forget_old_reset_requests

from . import leavers, reminders


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


# --- signal notes of the learning network (issue 19 §6): the pattern of instruments/tasks.py --------

SIGNAL_NOTE_SOFT_LIMIT = 90
SIGNAL_NOTE_LIMIT = 120


def _claim_signal_note(note_id: int, task_id: str):
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from .models import SignalNote

    with transaction.atomic():
        note = SignalNote.objects.select_for_update().filter(pk=note_id).first()
        if note is None or note.status in (SignalNote.Status.DONE, SignalNote.Status.FAILED):
            return None
        if note.status == SignalNote.Status.RUNNING and note.task_id != task_id:
            alive = note.started_at and note.started_at > timezone.now() - datetime.timedelta(
                seconds=SIGNAL_NOTE_LIMIT
            )
            if alive:
                return None
        note.status = SignalNote.Status.RUNNING
        note.task_id = task_id or ""
        note.started_at = timezone.now()
        note.error = ""
        note.attempts += 1
        note.save(update_fields=["status", "task_id", "started_at", "error", "attempts"])
    return note


@shared_task(bind=True, acks_late=True, soft_time_limit=SIGNAL_NOTE_SOFT_LIMIT, time_limit=SIGNAL_NOTE_LIMIT)
def render_signal_note(self, note_id: int) -> None:
    """Idempotent: a note already done (or failed) is left alone; a redelivered task after a
    killed worker picks the running note up again once its time limit has passed."""
    import logging

    from celery.exceptions import SoftTimeLimitExceeded
    from django.utils import timezone

    from ijh.files import store_atomically

    from . import signal_note
    from .models import SignalNote

    note = _claim_signal_note(note_id, self.request.id or "")
    if note is None:
        return

    def fail(reason: str) -> None:
        SignalNote.objects.filter(pk=note.pk).update(
            status=SignalNote.Status.FAILED, error=reason[:250], finished_at=timezone.now()
        )

    try:
        pdf = signal_note.render_pdf(note)
        name = store_atomically(f"signal-notes/signaalnota-{note.pk}.pdf", pdf)
        SignalNote.objects.filter(pk=note.pk).update(
            file=name, status=SignalNote.Status.DONE, finished_at=timezone.now(), error=""
        )
    except SoftTimeLimitExceeded:
        fail("De signaalnota duurde te lang en werd afgebroken.")
    except Exception as exc:
        logging.getLogger(__name__).exception("Signal note %s failed", note_id)
        fail(f"De signaalnota kon niet gemaakt worden ({type(exc).__name__}).")
