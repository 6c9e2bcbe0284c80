from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. What they may see comes from their memberships (networks app)."""

    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)

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
