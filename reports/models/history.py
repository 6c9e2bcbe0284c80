"""Registrations from before a network used IJH Netwerken, imported from a spreadsheet (issue 17 §6).

A network that starts with the product has years of cliëntoverleg requests and referrals in
spreadsheets. Staff upload them; the rows land here, not among the case registrations: they
have no client, no case, no consent and no case team, only the dates and categories the reports
count. Each row keeps the import it came from (``batch``), so imported figures stay
recognisable, and the reference the network gave it, so importing the same file again adds
nothing (unique per network).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.files import private_path
from networks.models import Network, Organisation, Sector


def history_file_path(instance, filename: str) -> str:
    return private_path("history-imports", filename)


class HistoryImport(models.Model):
    """One uploaded file: checked at once (the dry run), then imported by the worker. The page
    polls this row while the job runs."""

    class Kind(models.TextChoices):
        CONFERENCES = "conferences", _("aanvragen cliëntoverleg")
        REFERRALS = "referrals", _("verwijzingen")

    class Status(models.TextChoices):
        CHECKED = "checked", _("gecontroleerd, klaar om te importeren")
        PENDING = "pending", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        DONE = "done", _("geïmporteerd")
        FAILED = "failed", _("mislukt")

    ACTIVE = (Status.PENDING, Status.RUNNING)

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.PROTECT, related_name="history_imports"
    )
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("bestand"), upload_to=history_file_path)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    # The content, so a second upload of the same file is recognised before anything is read.
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CHECKED)
    progress = models.PositiveSmallIntegerField(_("voortgang"), default=0)
    rows_total = models.PositiveIntegerField(_("rijen"), default=0)
    # Rows whose reference is already imported for this network (from an earlier upload).
    rows_known = models.PositiveIntegerField(_("al geïmporteerd"), default=0)
    rows_imported = models.PositiveIntegerField(_("geïmporteerd"), default=0)
    # The first rows as read (no names: the file was refused if it had any), for the dry-run page.
    preview = models.JSONField(default=list, blank=True)
    notices = models.JSONField(default=list, blank=True)  # e.g. "read as Windows-1252"
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("fout"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("import van historiek")
        verbose_name_plural = _("imports van historiek")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="historyimport_progress_max_100"),
            # One job at a time per network and kind: two imports racing each other could not
            # both count what they added.
            models.UniqueConstraint(
                fields=["network", "kind"],
                condition=Q(status__in=["pending", "running"]),
                name="historyimport_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} {self.get_kind_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class ImportedRow(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        HistoryImport, verbose_name=_("geïmporteerd met"), on_delete=models.PROTECT, related_name="+"
    )
    # The network's own pseudonymous number of the request or referral (never a name).
    reference = models.CharField(_("referentie"), max_length=40)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return _("%(reference)s (geïmporteerd)") % {"reference": self.reference}


class ImportedConferenceRequest(ImportedRow):
    """A past cliëntoverleg request: when, from which sector, admissible, first session, outcome."""

    requested_on = models.DateField(_("aangevraagd op"))
    requesting_sector = models.ForeignKey(
        Sector, verbose_name=_("sector aanvrager"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    # None: not decided (yet); a decision without a known day counts in the request's period.
    admissible = models.BooleanField(_("ontvankelijk"), null=True)
    decided_on = models.DateField(_("beslist op"), null=True, blank=True)
    first_session_on = models.DateField(_("eerste overleg op"), null=True, blank=True)
    outcome = models.CharField(_("resultaat"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("geïmporteerde aanvraag cliëntoverleg")
        verbose_name_plural = _("geïmporteerde aanvragen cliëntoverleg")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "reference"], name="imported_request_unique_reference"
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("requested_on")),
                name="imported_request_decided_after_request",
            ),
            models.CheckConstraint(
                condition=Q(first_session_on__isnull=True)
                | Q(first_session_on__gte=models.F("requested_on")),
                name="imported_request_session_after_request",
            ),
        ]
        indexes = [models.Index(fields=["network", "requested_on"], name="imported_request_period_idx")]


class ImportedReferral(ImportedRow):
    """A past referral: when it was sent, to whom, and the days of each next step."""

    sent_on = models.DateField(_("verstuurd op"))
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("ontvangende organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    outside_agreement = models.BooleanField(_("buiten verwijsafspraak"), default=False)
    received_on = models.DateField(_("ontvangen op"), null=True, blank=True)
    accepted_on = models.DateField(_("aanvaard op"), null=True, blank=True)
    declined_on = models.DateField(_("geweigerd op"), null=True, blank=True)
    decline_reason = models.CharField(_("reden weigering"), max_length=20, blank=True)
    started_on = models.DateField(_("hulp gestart op"), null=True, blank=True)
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("geïmporteerde verwijzing")
        verbose_name_plural = _("geïmporteerde verwijzingen")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "reference"], name="imported_referral_unique_reference"
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(declined_on__isnull=True),
                name="imported_referral_not_accepted_and_declined",
            ),
        ]
        indexes = [models.Index(fields=["network", "sent_on"], name="imported_referral_period_idx")]
