"""The thresholds of the carousel signal (issue 19 §8), one row per planmaker network."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .structure import Network

DEFAULT_MIN_PROVIDERS = 4
DEFAULT_MIN_HANDOFFS = 3


class CarouselSettings(models.Model):
    """How many different providers or hand-offs in the last 12 months make a case a 'carousel'.
    No row means the defaults (4 providers, 3 hand-offs)."""

    network = models.OneToOneField(Network, on_delete=models.CASCADE, related_name="carousel_settings")
    min_providers = models.PositiveSmallIntegerField(
        _("minimum aantal verschillende aanbieders"),
        default=DEFAULT_MIN_PROVIDERS,
        validators=[
            MinValueValidator(2, _("Kies minstens 2 aanbieders.")),
            MaxValueValidator(50, _("Kies hoogstens 50 aanbieders.")),
        ],
    )
    min_handoffs = models.PositiveSmallIntegerField(
        _("minimum aantal overdrachten"),
        default=DEFAULT_MIN_HANDOFFS,
        validators=[
            MinValueValidator(1, _("Kies minstens 1 overdracht.")),
            MaxValueValidator(50, _("Kies hoogstens 50 overdrachten.")),
        ],
    )

    class Meta:
        verbose_name = _("drempels carrouselsignaal")
        verbose_name_plural = _("drempels carrouselsignaal")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_providers__gte=2, min_providers__lte=50)
                & models.Q(min_handoffs__gte=1, min_handoffs__lte=50),
                name="carousel_thresholds_in_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.network)
