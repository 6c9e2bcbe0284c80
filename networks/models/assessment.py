"""Self-assessment of a network against the quality criteria of the research (structural,
relational, contextual). Individual scores are private to the member who gave them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .structure import Network

# Below this many respondents a criterion's result is not shown: median and spread of a handful of
# answers reveal individual scores (the same "<5" rule as the reports, DESIGN.md §5).
MIN_RESPONDENTS_FOR_RESULTS = 5


class Criterion(models.Model):
    class Dimension(models.TextChoices):
        STRUCTURAL = "structural", _("structureel")
        RELATIONAL = "relational", _("relationeel")
        CONTEXTUAL = "contextual", _("contextueel")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("criterium"), max_length=120)
    dimension = models.CharField(_("dimensie"), max_length=12, choices=Dimension.choices)
    description = models.TextField(_("toelichting"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("kwaliteitscriterium")
        verbose_name_plural = _("kwaliteitscriteria")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class SelfAssessmentRound(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="assessment_rounds"
    )
    title = models.CharField(_("titel"), max_length=200)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_on = models.DateField(_("geopend op"), default=timezone.localdate)
    closes_on = models.DateField(_("sluit op"))
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)

    class Meta:
        verbose_name = _("zelfevaluatieronde")
        verbose_name_plural = _("zelfevaluatierondes")
        ordering = ["network", "-opened_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.closes_on and self.opened_on and self.closes_on < self.opened_on:
            raise ValidationError({"closes_on": _("De sluitingsdatum ligt vóór de opening.")})

    @property
    def is_open(self) -> bool:
        # Closed by the chair, or automatically after the closing date.
        return self.closed_at is None and timezone.localdate() <= self.closes_on


class Score(models.Model):
    round = models.ForeignKey(SelfAssessmentRound, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("opmerking"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "criterion", "respondent"], name="score_one_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=1, value__lte=5), name="score_between_1_and_5"
            ),
        ]

    def __str__(self) -> str:
        # Deliberately no value: strings end up in logs and admin lists.
        return f"score {self.criterion} ({self.round})"
