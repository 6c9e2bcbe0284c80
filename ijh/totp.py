"""Who may set up a TOTP device, and when (issue 22 §5).

A password alone never enrols a second factor: whoever learned a staff member's password could
otherwise bind their own authenticator app to the account at its first login. Enrolment is open
only

- in the session that came through a one-time invitation or password-reset link: the view that
  accepts such a link (the accounts module) calls ``allow_enrolment(request)`` right after it
  logged the person in; the permission holds for that session only and for
  ``ENROLMENT_SESSION_MINUTES``;
- after an administrator's reset (``reset_second_factor``, audited): the person's devices are
  removed and a pending one marks that the next login may enrol, for
  ``settings.SECOND_FACTOR_RESET_HOURS``.

The TOTP step itself (networks/second_factor.py) asks ``enrolment_allowed(request)`` before it
shows a QR code. This module sits in ``ijh`` so the admin and the accounts module can call it
without knowing about network roles.
"""

import datetime
import time

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import User

ENROLMENT_SESSION_KEY = "second_factor_enrolment"
ENROLMENT_SESSION_MINUTES = 30
# The name of the pending device an administrator's reset leaves behind.
RESET_DEVICE_NAME = "na reset door beheerder"


def allow_enrolment(request: HttpRequest) -> None:
    """The hook for the invitation and password-reset views: call it after a valid one-time link
    has been used and ``login()`` has run. Bound to this user and this session."""
    request.session[ENROLMENT_SESSION_KEY] = {
        "user": request.user.pk,
        "until": time.time() + ENROLMENT_SESSION_MINUTES * 60,
    }


def _reset_window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.SECOND_FACTOR_RESET_HOURS)


def enrolment_allowed(request: HttpRequest) -> bool:
    grant = request.session.get(ENROLMENT_SESSION_KEY)
    if (
        isinstance(grant, dict)
        and grant.get("user") == request.user.pk
        and isinstance(grant.get("until"), (int, float))
        and grant["until"] > time.time()
    ):
        return True
    return TOTPDevice.objects.filter(
        user=request.user, confirmed=False, name=RESET_DEVICE_NAME, created_at__gte=_reset_window_start()
    ).exists()


def end_enrolment(request: HttpRequest) -> None:
    """Once a device is confirmed, the session's permission is used up."""
    request.session.pop(ENROLMENT_SESSION_KEY, None)


@transaction.atomic
def reset_second_factor(user: User, *, by: User | None) -> None:
    """An administrator's reset of a lost device: every device of ``user`` goes, and their next
    login may set up a new one (within SECOND_FACTOR_RESET_HOURS). Recorded in the audit log."""
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name=RESET_DEVICE_NAME, confirmed=False)
    audit.record(by, "second_factor.reset", user)
