"""Documents generated from case data (conference forms, referral letters) by the worker.

Same pattern as report runs: the row holds the state the page polls; the task is idempotent and
writes the file atomically into private storage. At most one active (pending or running) document
per kind and source, so a double click queues one job.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ijh.files import private_path

from .cases import Case


def case_document_path(instance, filename: str) -> str:
    return private_path("case-documents", filename)


class CaseDocument(models.Model):
    class Kind(models.TextChoices):
        CONFERENCE_REQUEST = "conference_request", _("aanvraagformulier cliëntoverleg")
        INVITATIONS = "invitations", _("uitnodigingsbrieven")
        ATTENDANCE_LIST = "attendance_list", _("aanwezigheidslijst")
        CARE_PLAN = "care_plan", _("werkplan")
        FOLLOW_UP_SHEET = "follow_up_sheet", _("opvolgingsfiche")
        REFERRAL_LETTER = "referral_letter", _("verwijsbrief en gegevensfiche")

    class Status(models.TextChoices):
        PENDING = "pending", _("in de wachtrij")
        RUNNING = "running", _("wordt gemaakt")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    ACTIVE_STATUSES = (Status.PENDING, Status.RUNNING)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    # What it was made from: "conference:12", "session:40", "referral:7".
    source = models.CharField(_("bron"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("bestand"), upload_to=case_document_path, blank=True)
    error = models.CharField(_("fout"), max_length=250, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Started attempts; the requeue job gives up after settings.JOB_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source"],
                condition=Q(status__in=("pending", "running")),
                name="casedocument_one_active_per_source",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
