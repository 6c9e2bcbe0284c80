"""Invitations: how a person without an account gets one (issue 21 §1).

A coordinator or chair who gives a role to someone without an account enters name, e-mail and
organisation. That creates the account (inactive, no password), the role (under the usual grant
rules) and this row; the person receives a one-time link that expires after
``settings.INVITATION_DAYS`` days. Only a hash of the link's token is stored: a copy of the
database opens no account. Sending the invitation again makes a new token (the old link dies).
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .structure import Membership, Network


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Not used, not revoked (expired or not)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self, now: datetime.datetime | None = None):
        return self.open().filter(expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("verstuurd, nog niet gebruikt")
        EXPIRED = "expired", _("verlopen")
        ACCEPTED = "accepted", _("aanvaard")
        REVOKED = "revoked", _("ingetrokken")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persoon"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="invitations"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("rol"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mailadres"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uitgenodigd door"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    sent_at = models.DateTimeField(_("laatst verstuurd op"), default=timezone.now)
    expires_at = models.DateTimeField(_("verloopt op"))
    sent_count = models.PositiveSmallIntegerField(_("aantal keer verstuurd"), default=1)
    token_hash = models.CharField(max_length=64, unique=True)
    accepted_at = models.DateTimeField(_("aanvaard op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    renewal_requested_at = models.DateTimeField(_("nieuwe link gevraagd op"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-sent_at", "-id"]
        constraints = [
            # One open invitation per address: a second one is a re-send of the first.
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_address",
                violation_error_message=_("Dit adres heeft al een openstaande uitnodiging."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.network})"

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, hash_token(token)

    def renew(self, now: datetime.datetime | None = None) -> str:
        """A fresh token and expiry (the old link stops working); returns the token."""
        now = now or timezone.now()
        token, self.token_hash = self.new_token()
        self.sent_at = now
        self.expires_at = now + datetime.timedelta(days=settings.INVITATION_DAYS)
        return token

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self) -> str:
        return self.Status(self.status).label

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
