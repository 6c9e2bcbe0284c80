from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. What they may see comes from their memberships (networks app)."""

    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    # Set by the nightly leavers task when the person's last role ended (and the account was
    # deactivated for that reason); cleared when a new role starts and the account is reactivated.
    # An account switched off by an administrator has no date here and stays off.
    left_on = models.DateField(_("laatste rol beëindigd op"), null=True, blank=True)
    # Reminders by mail, each switchable on the profile page (issue 21 §5).
    mail_meeting_invitations = models.BooleanField(_("uitnodigingen voor vergaderingen"), default=True)
    # When the person last switched meeting-invitation mails on (empty: on since the account
    # began). Invitations made before it are not mailed afterwards (networks/reminders.py).
    mail_meeting_invitations_since = models.DateTimeField(
        _("uitnodigingen per mail aan sinds"), null=True, blank=True
    )
    mail_agreement_reminders = models.BooleanField(_("herinneringen: afspraken die vervallen"), default=True)
    mail_action_reminders = models.BooleanField(_("herinneringen: actiepunten over tijd"), default=True)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One thing someone did or read. Append-only: the database refuses UPDATE and DELETE.

    Events outlive what they describe, so nothing here is a real foreign key: deleting a user or
    an anonymised case must not touch (or be blocked by) its trail.
    """

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # Kept beside actor so the trail still names who it was once the account is gone.
    actor_label = models.CharField(_("door (naam)"), max_length=150, blank=True)
    action = models.CharField(_("handeling"), max_length=80, db_index=True)
    object_type = models.CharField(_("objecttype"), max_length=100, blank=True)
    object_id = models.CharField(_("object-id"), max_length=64, blank=True)
    network_id = models.BigIntegerField(_("netwerk-id"), null=True, blank=True, db_index=True)
    # The client file the event concerns, whatever the object (a session, a referral, a crisis
    # episode): the case team's "wie heeft ingekeken" lists every read of its file from this.
    case_id = models.BigIntegerField(_("dossier-id"), null=True, blank=True)
    # Names of the fields that changed, never their values: values may be client data.
    changed_fields = models.JSONField(_("gewijzigde velden"), default=list, blank=True)
    # For reads: the kind of page that showed the data ("sessie", "tijdlijn", "gegevensfiche" …).
    detail = models.CharField(_("detail"), max_length=80, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditlog")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(
                fields=["case_id", "-at"], name="audit_case_at_idx", condition=Q(case_id__isnull=False)
            ),
        ]
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        return (
            f"{self.at:%d/%m/%Y %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")


class WorkerPing(models.Model):
    """A round trip through the task queue, started from the system page to prove the worker runs."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op worker")
        DONE = "done", _("beantwoord")
        FAILED = "failed", _("mislukt")

    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    worker_hostname = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("worker-ping")
        verbose_name_plural = _("worker-pings")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"ping #{self.pk} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def round_trip_ms(self) -> int | None:
        if self.answered_at is None:
            return None
        return int((self.answered_at - self.requested_at).total_seconds() * 1000)


class OutgoingMail(models.Model):
    """One e-mail to one address, written by ``ijh.mail.send_mail_once`` and sent by the worker.

    ``key`` is unique: the same notice (an invitation, a reminder for one meeting and one person)
    is recorded once, so a double click, a retried request or a redelivered task never mails
    twice. The worker claims a row (pending → sending) with a conditional UPDATE before talking
    to the SMTP server; only one worker can win that. The body is cleared once sent: it may hold
    a one-time link.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wacht op verzending")
        SENDING = "sending", _("wordt verstuurd")
        SENT = "sent", _("verstuurd")
        FAILED = "failed", _("mislukt")

    key = models.CharField(_("sleutel"), max_length=200, unique=True)
    to = models.EmailField(_("aan"))
    subject = models.CharField(_("onderwerp"), max_length=255)
    body_text = models.TextField(_("tekst"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    # When the next try is due: creation, or after an SMTP error the end of the back-off. The
    # requeue job only picks pending rows well past it (their message was lost).
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    claimed_at = models.DateTimeField(_("opgepikt op"), null=True, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    error = models.CharField(_("fout"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("uitgaande mail")
        verbose_name_plural = _("uitgaande mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"],
                name="mail_unsent_idx",
                condition=Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.get_status_display()})"


class UserSession(models.Model):
    """One login: lets people see their active sessions and end one, and lets a password reset
    or a leaver's deactivation end them all. Written at login, removed at logout; a row whose
    session expired is simply not shown (the session table decides)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemeld op"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%d/%m/%Y %H:%M}"


class PasswordResetRequest(models.Model):
    """One "wachtwoord vergeten" request: for throttling per address and per client IP, and the
    outbox of the reset mail (ijh/accounts.py). The request is written in the web request's
    transaction and handled by the worker (its task published on commit, or the beat's sweep when
    that message was lost): the address is kept in clear only until then — it may be an address of
    nobody we know — and the hash stays for the throttle."""

    address_hash = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Emptied when the request is handled.
    address = models.CharField(max_length=254, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("aanvraag wachtwoordherstel")
        verbose_name_plural = _("aanvragen wachtwoordherstel")
        indexes = [
            models.Index(
                fields=["at"], condition=models.Q(handled_at__isnull=True), name="reset_unhandled_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.ip_address or '-'}"
