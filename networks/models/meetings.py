"""Meetings of a body: agenda, attendance, minutes, decisions and action items."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.files import private_path

from .structure import Body, Network, Organisation


class Meeting(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="meetings"
    )
    body = models.ForeignKey(
        Body, verbose_name=_("orgaan"), on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("datum en uur"))
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    online_link = models.URLField(_("link online vergadering"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vergadering")
        verbose_name_plural = _("vergaderingen")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["network", "starts_at"], name="meeting_network_date_idx")]

    def __str__(self) -> str:
        return f"{self.body} – {timezone.localtime(self.starts_at):%d/%m/%Y}"

    def clean(self) -> None:
        if not self.location and not self.online_link:
            raise ValidationError(_("Geef een plaats of een link voor de online vergadering."))
        if self.body_id and self.network_id and self.body.network_id != self.network_id:
            raise ValidationError({"body": _("Dit orgaan hoort niet bij dit netwerk.")})

    @property
    def date(self) -> datetime.date:
        return timezone.localdate(self.starts_at)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=1)
    title = models.CharField(_("agendapunt"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trekker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


def attachment_path(instance, filename: str) -> str:
    return private_path("meetings", filename)


class Attachment(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("bestand"), upload_to=attachment_path)
    name = models.CharField(_("naam"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """An invitation and, after the meeting, whether the person came. Mandate is a snapshot."""

    class Status(models.TextChoices):
        INVITED = "invited", _("uitgenodigd")
        PRESENT = "present", _("aanwezig")
        EXCUSED = "excused", _("verontschuldigd")
        ABSENT = "absent", _("afwezig")
        REPRESENTED = "represented", _("vertegenwoordigd")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persoon"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("namens"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    status = models.CharField(
        _("aanwezigheid"), max_length=12, choices=Status.choices, default=Status.INVITED
    )
    represented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vertegenwoordigd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Copied from the membership when invited, so later mandate changes do not rewrite history.
    holds_mandate = models.BooleanField(_("gemandateerd"), default=False)
    # When the invitation was made; the invitation mail job mails those made since its last run
    # (networks/reminders.py). Empty for invitations from before it was recorded: never mailed.
    invited_at = models.DateTimeField(_("uitgenodigd op"), null=True, blank=True, default=timezone.now)

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheden")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique_person")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_status_display()}"

    def clean(self) -> None:
        if self.status == self.Status.REPRESENTED and not self.represented_by_id:
            raise ValidationError({"represented_by": _("Kies wie deze persoon vertegenwoordigde.")})
        if self.status != self.Status.REPRESENTED:
            self.represented_by = None


class Minutes(models.Model):
    """One version of a meeting's minutes: draft → circulated → approved, then locked.

    A correction of approved minutes is a new version that points at the one it corrects.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("ontwerp")
        CIRCULATED = "circulated", _("rondgestuurd")
        APPROVED = "approved", _("goedgekeurd")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    text = models.TextField(_("verslag"), blank=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("verbetert versie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_unique_version"),
            # At most one version being written at a time.
            models.UniqueConstraint(
                fields=["meeting"], condition=~Q(status="approved"), name="minutes_one_open_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.version}"

    def save(self, *args, **kwargs):
        # The lock holds for every path (views, admin, shell): an approved row never changes again.
        if self.pk is not None:
            stored_status = Minutes.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored_status == self.Status.APPROVED:
                raise ValidationError(
                    _("Een goedgekeurd verslag kan niet meer gewijzigd worden. Maak een verbeterde versie.")
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_locked:
            raise ValidationError(_("Een goedgekeurd verslag kan niet verwijderd worden."))
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.APPROVED


class Decision(models.Model):
    class Method(models.TextChoices):
        CONSENSUS = "consensus", _("consensus")
        MAJORITY = "majority", _("meerderheid")
        ESCALATED = "escalated", _("doorverwezen naar de regionale stuurgroep")

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("besluit"))
    method = models.CharField(
        _("genomen bij"), max_length=12, choices=Method.choices, default=Method.CONSENSUS
    )
    # What the decision changed: an agreement, a goal, or anything else by link.
    agreement = models.ForeignKey(
        "networks.Agreement",
        verbose_name=_("wijzigt overeenkomst"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    goal = models.ForeignKey(
        "networks.Goal",
        verbose_name=_("wijzigt doel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    link = models.URLField(_("link naar wat wijzigde"), blank=True)
    # Participating organisations that had no mandated person present when this was decided.
    organisations_without_mandate = models.ManyToManyField(
        Organisation, verbose_name=_("zonder gemandateerde vertegenwoordiger"), blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["agenda_item", "recorded_at"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS])

    def overdue(self, today: datetime.date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("bezig")
        DONE = "done", _("afgerond")
        DROPPED = "dropped", _("geschrapt")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agendapunt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    title = models.CharField(_("actie"), max_length=250)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eigenaar"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("namens"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    dropped_reason = models.CharField(_("reden geschrapt"), max_length=300, blank=True)
    completed_on = models.DateField(_("afgerond op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="action_owner_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(dropped_reason=""),
                name="action_dropped_needs_reason",
                violation_error_message=_("Geef een reden waarom de actie geschrapt wordt."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.due_on and self.meeting_id and self.due_on < self.meeting.date:
            errors["due_on"] = _("De deadline ligt vóór de vergadering.")
        if self.status == self.Status.DROPPED and not self.dropped_reason.strip():
            errors["dropped_reason"] = _("Geef een reden waarom de actie geschrapt wordt.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class ReminderWatermark(models.Model):
    """How far a reminder job got: the start of its last complete run. The next run looks at what
    is newer (less an overlap for transactions that were still open; mail keys stop doubles)."""

    job = models.CharField(max_length=60, unique=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("stand van een herinneringstaak")
        verbose_name_plural = _("stand van de herinneringstaken")

    def __str__(self) -> str:
        return f"{self.job}: {self.at:%d/%m/%Y %H:%M}"
