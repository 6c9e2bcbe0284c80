"""Practice reports (praktijkrapportages): narrative written by staff, figures computed
from the registrations, a PDF rendered by a Celery task. State lives in rows the pages poll."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Network, Region


class ReportPeriod:
    """The period a report covers: a half year or a calendar year. Stored as (year, half) with
    half 1 (January–June), 2 (July–December) or 0 (the whole calendar year). Figures compute from
    ``start`` and ``end`` alone, so every section works for either."""

    half: int = 0

    def __init__(self, year: int) -> None:
        self.year = year

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReportPeriod) and (self.year, self.half) == (other.year, other.half)

    def __hash__(self) -> int:
        return hash((self.year, self.half))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self})"

    @property
    def kind(self) -> str:
        return "year" if self.half == YEAR else "half"

    @property
    def start(self) -> datetime.date:
        raise NotImplementedError

    @property
    def end(self) -> datetime.date:
        """Last day of the period (inclusive)."""
        raise NotImplementedError

    @property
    def label(self) -> str:
        raise NotImplementedError

    def previous(self) -> "ReportPeriod":
        raise NotImplementedError

    def is_finished(self, today: datetime.date | None = None) -> bool:
        return self.end < (today or timezone.localdate())

    def is_running(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.start <= today <= self.end

    @property
    def query(self) -> str:
        """The period as the report pages' query string (jaar, semester)."""
        return f"jaar={self.year}&semester={self.half}"


# ``half`` of a calendar-year report.
YEAR = 0


class HalfYear(ReportPeriod):
    """A half year: 1 = January–June, 2 = July–December."""

    def __init__(self, year: int, half: int) -> None:
        if half not in (1, 2):
            raise ValueError("half must be 1 or 2")
        super().__init__(year)
        self.half = half

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
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


class CalendarYear(ReportPeriod):
    """A whole calendar year, 1 January – 31 December (yearly overviews, issue 18 §8)."""

    def __str__(self) -> str:
        return str(self.year)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return _("kalenderjaar %(year)s") % {"year": self.year}

    def previous(self) -> "CalendarYear":
        return CalendarYear(self.year - 1)

    @classmethod
    def containing(cls, day: datetime.date) -> "CalendarYear":
        return cls(day.year)


def period_of(year: int, half: int) -> ReportPeriod:
    """The period stored as (year, half)."""
    return CalendarYear(year) if half == YEAR else HalfYear(year, half)


PERIOD_CHOICES = [(1, _("januari–juni")), (2, _("juli–december")), (YEAR, _("heel kalenderjaar"))]


class ScopedToPeriod(models.Model):
    """One network, one whole region, or all of Flanders (neither), for one period."""

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    # 1 and 2: a half year; 0 (YEAR): the whole calendar year.
    half = models.PositiveSmallIntegerField(_("periode"), choices=PERIOD_CHOICES)

    class Meta:
        abstract = True

    @property
    def period(self) -> ReportPeriod:
        return period_of(self.year, self.half)

    @property
    def is_flanders(self) -> bool:
        return self.network_id is None and self.region_id is None

    @property
    def scope(self) -> Network | Region | None:
        """The network or region; None for a Flanders report."""
        return self.network or self.region

    @property
    def scope_label(self) -> str:
        if self.network_id:
            return str(self.network)
        if self.region_id:
            return _("Regio %(region)s") % {"region": self.region}
        return str(FLANDERS_LABEL)


FLANDERS_LABEL = _("Vlaanderen")


def _scope_constraint(name: str) -> models.CheckConstraint:
    # A network, a region, or neither (Flanders); never both.
    return models.CheckConstraint(condition=Q(network__isnull=True) | Q(region__isnull=True), name=name)


def _per_scope_unique(fields: list[str], condition: Q, name: str) -> list[models.UniqueConstraint]:
    """The same uniqueness for network, region and Flanders scopes. Partial constraints instead
    of one with NULLs (NULLs are never equal), so PostgreSQL and SQLite enforce it alike."""
    return [
        models.UniqueConstraint(
            fields=["network", *fields],
            condition=condition & Q(network__isnull=False),
            name=f"{name}_network",
        ),
        models.UniqueConstraint(
            fields=["region", *fields], condition=condition & Q(region__isnull=False), name=f"{name}_region"
        ),
        models.UniqueConstraint(
            fields=fields,
            condition=condition & Q(network__isnull=True, region__isnull=True),
            name=f"{name}_flanders",
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
            _scope_constraint("narrative_not_network_and_region"),
            models.CheckConstraint(condition=Q(half__in=[YEAR, 1, 2]), name="narrative_period_part"),
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
    if instance.network_id:
        scope = f"network-{instance.network_id}"
    elif instance.region_id:
        scope = f"region-{instance.region_id}"
    else:
        scope = "flanders"
    return f"reports/{instance.period}/{scope}/run-{instance.pk}.pdf"


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
            _scope_constraint("reportrun_not_network_and_region"),
            models.CheckConstraint(condition=Q(half__in=[YEAR, 1, 2]), name="reportrun_period_part"),
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
