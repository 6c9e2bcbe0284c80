"""The carousel signal as last computed (issue 19 §8; the computation is cases/carousel.py).

Counting a region's referrals, team rows, conferences and crisis steps of twelve months reads tens
of thousands of rows at Flanders scale: too much for every page view. The result is kept per
planmaker network for the day and the thresholds it was computed with; the page reads these rows
and recomputes only when the day or the thresholds changed (beat refreshes every network at night,
the coordinator can ask for a fresh count). Only case ids and counts: names stay in the case.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from networks.models import Network

from .cases import Case


class CarouselSnapshot(models.Model):
    network = models.OneToOneField(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="carousel_snapshot"
    )
    # The window ends on this day (the last 12 months up to it).
    computed_on = models.DateField(_("berekend voor"))
    computed_at = models.DateTimeField(_("berekend op"))
    min_providers = models.PositiveSmallIntegerField()
    min_handoffs = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("carrouselsignaal (berekening)")
        verbose_name_plural = _("carrouselsignaal (berekeningen)")

    def __str__(self) -> str:
        return f"{self.network} · {self.computed_on}"

    def is_current(self, *, today, min_providers: int, min_handoffs: int) -> bool:
        return (self.computed_on, self.min_providers, self.min_handoffs) == (
            today,
            min_providers,
            min_handoffs,
        )


class CarouselSignal(models.Model):
    """One case over the thresholds in a snapshot."""

    snapshot = models.ForeignKey(CarouselSnapshot, on_delete=models.CASCADE, related_name="signals")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    providers = models.PositiveIntegerField(_("aanbieders"))
    handoffs = models.PositiveIntegerField(_("overdrachten"))

    class Meta:
        verbose_name = _("carrouselsignaal (dossier)")
        verbose_name_plural = _("carrouselsignaal (dossiers)")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "case"], name="carousel_signal_once_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.providers}/{self.handoffs}"
