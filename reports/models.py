"""Half-yearly practice reports (praktijkrapportages): narrative written by staff, figures computed
from the registrations, a PDF rendered by a Celery task. State lives in rows the pages poll."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Network, Region


class HalfYear:
    """A half year: 1 = January–June, 2 = July–December."""

    def __init__(self, year: int, half: int) -> None:
        if half not in (1, 2):
            raise ValueError("half must be 1 or 2")
        self.year = year
        self.half = half

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HalfYear) and (self.year, self.half) == (other.year, other.half)

    def __hash__(self) -> int:
        return hash((self.year, self.half))

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        """Last day of the period (inclusive)."""
        return datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return (_("januari–juni %(year)s") if self.half == 1 else _("juli–december %(year)s")) % {
            "year": self.year
        }

    def previous(self) -> "HalfYear":
        return HalfYear(self.year - 1, 2) if self.half == 1 else HalfYear(self.year, 1)

    @classmethod
    def containing(cls, day: datetime.date) -> "HalfYear":
        return cls(day.year, 1 if day.month <= 6 else 2)

    def is_finished(self, today: datetime.date | None = None) -> bool:
        return self.end < (today or timezone.localdate())


class ScopedToPeriod(models.Model):
    """One network or one whole region, for one half year."""

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    half = models.PositiveSmallIntegerField(
        _("semester"), choices=[(1, _("januari–juni")), (2, _("juli–december"))]
    )

    class Meta:
        abstract = True

    @property
    def period(self) -> HalfYear:
        return HalfYear(self.year, self.half)

    @property
    def scope(self) -> Network | Region:
        return self.network or self.region

    @property
    def scope_label(self) -> str:
        if self.network_id:
            return str(self.network)
        return _("Regio %(region)s") % {"region": self.region}


def _scope_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(network__isnull=False) & Q(region__isnull=True))
        | (Q(network__isnull=True) & Q(region__isnull=False)),
        name=name,
    )


def _per_scope_unique(fields: list[str], condition: Q, name: str) -> list[models.UniqueConstraint]:
    """The same uniqueness for network scopes and for region scopes. Two partial constraints
    instead of one with NULLs, so SQLite (the embedded default) enforces it too."""
    return [
        models.UniqueConstraint(
            fields=["network", *fields],
            condition=condition & Q(network__isnull=False),
            name=f"{name}_network",
        ),
        models.UniqueConstraint(
            fields=["region", *fields], condition=condition & Q(region__isnull=False), name=f"{name}_region"
        ),
    ]


class Narrative(ScopedToPeriod):
    """What staff write for a report: draft → final. A final version is locked; a correction is a
    new version that keeps the old one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("ontwerp")
        FINAL = "final", _("definitief")

    version = models.PositiveSmallIntegerField(_("versie"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    bottlenecks = models.TextField(_("knelpunten en hiaten in de regio"), blank=True)
    good_practices = models.TextField(_("goede praktijken"), blank=True)
    conclusions = models.TextField(_("conclusies en volgende stappen"), blank=True)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verhalend deel")
        verbose_name_plural = _("verhalende delen")
        ordering = ["-year", "-half", "-version"]
        constraints = [
            _scope_constraint("narrative_network_xor_region"),
            *_per_scope_unique(["year", "half", "version"], Q(), "narrative_unique_version"),
            # One version being written at a time per scope and period.
            *_per_scope_unique(["year", "half"], Q(status="draft"), "narrative_one_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.scope_label} {self.period} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Narrative.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.FINAL:
                raise ValidationError(_("Een definitief rapport is vergrendeld. Maak een verbeterde versie."))
        super().save(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def is_empty(self) -> bool:
        return not (self.bottlenecks.strip() or self.good_practices.strip() or self.conclusions.strip())


class ReportRunQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[ReportRun.Status.PENDING, ReportRun.Status.RUNNING])


def report_file_path(instance, filename: str) -> str:
    scope = f"network-{instance.network_id}" if instance.network_id else f"region-{instance.region_id}"
    return f"reports/{instance.year}-H{instance.half}/{scope}/run-{instance.pk}.pdf"


class ReportRun(ScopedToPeriod):
    """One rendering of a report. The page polls this row; the worker fills it in."""

    class Status(models.TextChoices):
        PENDING = "pending", _("in de wachtrij")
        RUNNING = "running", _("bezig")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    narrative = models.ForeignKey(
        Narrative,
        verbose_name=_("verhalend deel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runs",
    )
    # Fixed when the run is requested: a run made from a draft stays a draft report even after
    # the narrative is finalised later (readers only ever see final runs).
    is_final = models.BooleanField(_("definitief rapport"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("voortgang"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scheduled = models.BooleanField(_("automatisch gepland"), default=False)
    task_id = models.CharField(max_length=64, blank=True)
    # Started attempts; the requeue job gives up after settings.JOB_MAX_ATTEMPTS.
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    file = models.FileField(_("PDF"), upload_to=report_file_path, blank=True)
    figures = models.JSONField(_("cijfers (momentopname)"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("fout"), max_length=500, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapportrun")
        verbose_name_plural = _("rapportruns")
        ordering = ["-created_at", "-pk"]
        constraints = [
            _scope_constraint("reportrun_network_xor_region"),
            # A double click (or the scheduler racing a person) cannot start two runs.
            # One active draft run and one active final run at most per scope and period.
            *_per_scope_unique(
                ["year", "half", "is_final"], Q(status__in=["pending", "running"]), "reportrun_one_active"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reportrun_progress_max_100"),
        ]
        indexes = [models.Index(fields=["network", "region", "year", "half"], name="reportrun_scope_idx")]

    def __str__(self) -> str:
        return f"{self.scope_label} {self.period} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
