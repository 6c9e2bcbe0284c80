"""Leavers (issue 21 §3): an account follows its roles.

Every night ``sync_accounts`` deactivates the accounts whose last role ended (the night after its
last day): their sessions end, their open invitation links die, and the coordinators of the
network(s) they left get a notice. An account deactivated this way (``User.left_on``) is active
again once a new role starts: at once when the role is given with a start date today or earlier
(``services.grant_role``), otherwise on the night the role starts. A role ending never deletes a
person or their history; accounts switched off by an administrator (no ``left_on``) stay off.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.accounts import end_sessions
from ijh.mail import absolute_url, send_mail_once
from ijh.models import User

from .models import Invitation, Membership


def _holding_a_role(day: datetime.date):
    """Exists(): the user has a role in its period today that was not refused."""
    return Exists(
        Membership.objects.in_period(day)
        .exclude(confirmation=Membership.Confirmation.REFUSED)
        .filter(user=OuterRef("pk"))
    )


def leavers(day: datetime.date):
    had_a_role = Exists(Membership.objects.filter(user=OuterRef("pk"), until__lt=day))
    return (
        User.objects.filter(is_active=True, is_staff=False, is_superuser=False)
        .filter(had_a_role)
        .exclude(_holding_a_role(day))
    )


def returning(day: datetime.date):
    return User.objects.filter(is_active=False, left_on__isnull=False).filter(_holding_a_role(day))


def _notify_coordinators(user: User, day: datetime.date) -> None:
    last = Membership.objects.filter(user=user, network__isnull=False).order_by("-until", "-pk").first()
    if last is None:
        return
    ended = Membership.objects.filter(user=user, network__isnull=False, until=last.until)
    network_ids = set(ended.values_list("network_id", flat=True))
    coordinators = (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.active(day).filter(
                network_id__in=network_ids, role=Membership.Role.COORDINATOR
            ),
        )
        .exclude(pk=user.pk)
        .exclude(email="")
        .distinct()
    )
    recipients = list(coordinators)
    if not recipients and last.granted_by_id and last.granted_by.is_active and last.granted_by.email:
        recipients = [last.granted_by]
    roles = ", ".join(f"{m.get_role_display()} ({m.network})" for m in ended.select_related("network"))
    for coordinator in recipients:
        send_mail_once(
            key=f"leaver:{user.pk}:{day.isoformat()}:{coordinator.pk}",
            to=coordinator.email,
            subject=_("Account van %(person)s gedeactiveerd") % {"person": user},
            template="notice",
            context={
                "name": coordinator.first_name,
                "paragraphs": [
                    _(
                        "De laatste rol van %(person)s eindigde op %(day)s: %(roles)s. Het account is daarom "
                        "gedeactiveerd; openstaande sessies en uitnodigingslinks werken niet meer. De persoon en "
                        "wat ze deed blijven bewaard."
                    )
                    % {"person": user, "day": last.until.strftime("%d/%m/%Y"), "roles": roles},
                    _(
                        "Krijgt %(person)s opnieuw een rol, dan wordt het account weer actief vanaf de startdatum."
                    )
                    % {"person": user},
                ],
                "link": absolute_url(reverse("networks:detail", args=[last.network_id])),
                "link_label": _("Naar het netwerk"),
            },
        )


@transaction.atomic
def deactivate(user: User, day: datetime.date) -> None:
    user.is_active = False
    user.left_on = day
    user.save(update_fields=["is_active", "left_on"])
    end_sessions(user)
    Invitation.objects.open().filter(user=user).update(revoked_at=timezone.now())
    audit.record(None, "account.deactivated", user, detail="laatste rol beëindigd")
    _notify_coordinators(user, day)


@transaction.atomic
def reactivate(user: User) -> None:
    user.is_active = True
    user.left_on = None
    user.save(update_fields=["is_active", "left_on"])
    audit.record(None, "account.reactivated", user, detail="nieuwe rol")


def reactivate_if_returning(user: User, day: datetime.date | None = None) -> bool:
    """Called when a role is given: a leaver whose new role starts today is back at once."""
    day = day or timezone.localdate()
    if user.is_active or user.left_on is None:
        return False
    if not returning(day).filter(pk=user.pk).exists():
        return False
    reactivate(user)
    return True


def sync_accounts(day: datetime.date | None = None) -> tuple[int, int]:
    """The nightly run: (deactivated, reactivated)."""
    day = day or timezone.localdate()
    gone = 0
    for user in list(leavers(day)):
        deactivate(user, day)
        gone += 1
    # An invited person whose role ended before they used the link: the link dies too.
    Invitation.objects.open().filter(
        user__in=User.objects.filter(is_active=False, left_on__isnull=True)
        .filter(Exists(Membership.objects.filter(user=OuterRef("pk"), until__lt=day)))
        .exclude(_holding_a_role(day))
    ).update(revoked_at=timezone.now())
    back = 0
    for user in list(returning(day)):
        reactivate(user)
        back += 1
    return gone, back
