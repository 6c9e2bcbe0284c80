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
