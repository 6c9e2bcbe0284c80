"""Goal indicators that follow the registrations (issue 17 §3).

A network's operational goal has an indicator ("aantal cliëntoverleggen met een onafhankelijk
voorzitter") that people measure by hand. Here staff can link it to a figure the registrations
already give (``reports/indicators.py``): the measurements then come from the registrations, one
per half year, written as the goal's progress rows so its chart follows them. And a hand-measured
indicator can be marked as a count of people, so the report suppresses it below 5.

The link lives with the reports (the goal itself is steering data in ``networks``): the figures
come from case registrations, which the networks app may not read.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from networks.models import Goal, GoalProgress


class GoalIndicator(models.Model):
    goal = models.OneToOneField(Goal, on_delete=models.CASCADE, related_name="report_indicator")
    # A key of reports.indicators.REGISTRY, or empty: measured by hand.
    figure = models.CharField(_("waarde uit de registraties"), max_length=60, blank=True)
    # For hand-measured indicators: the value counts people, so it is suppressed below 5.
    counts_people = models.BooleanField(_("telt personen"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator van een doel")
        verbose_name_plural = _("indicatoren van doelen")

    def __str__(self) -> str:
        return f"{self.goal}: {self.figure or _('met de hand')}"


class LinkedMeasurement(models.Model):
    """The progress row written for one half year of a linked indicator (kept up to date)."""

    indicator = models.ForeignKey(GoalIndicator, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField()
    half = models.PositiveSmallIntegerField()
    progress = models.OneToOneField(GoalProgress, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "half"], name="linked_measurement_one_per_half"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}-H{self.half}"
