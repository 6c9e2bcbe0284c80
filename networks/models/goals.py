"""The action plan: end goals → operational (SMART) goals → actions, with measured progress."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .structure import Network


class Goal(models.Model):
    class Kind(models.TextChoices):
        END_GOAL = "end_goal", _("einddoel")
        OPERATIONAL = "operational", _("operationeel doel")
        ACTION = "action", _("actie")

    class Level(models.TextChoices):
        GOVERNMENT = "government", _("overheid")
        ADMINISTRATION = "administration", _("administratie")
        NETWORK = "network", _("netwerk")
        ORGANISATION = "organisation", _("organisatie")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("niet gestart")
        ON_TRACK = "on_track", _("op schema")
        AT_RISK = "at_risk", _("in gevaar")
        ACHIEVED = "achieved", _("bereikt")
        DROPPED = "dropped", _("stopgezet")

    # Which kind may hang under which: the tree has exactly three levels.
    PARENT_KIND = {Kind.END_GOAL: None, Kind.OPERATIONAL: Kind.END_GOAL, Kind.ACTION: Kind.OPERATIONAL}

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="goals"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("valt onder"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=250)
    description = models.TextField(_("omschrijving"), blank=True)
    level = models.CharField(_("niveau"), max_length=15, choices=Level.choices, default=Level.NETWORK)
    preconditions = models.TextField(_("randvoorwaarden"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=250, blank=True)
    unit = models.CharField(_("eenheid"), max_length=40, blank=True)
    baseline_value = models.DecimalField(
        _("beginwaarde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("streefwaarde"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["network", "kind", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        expected_parent_kind = self.PARENT_KIND.get(self.kind)
        if expected_parent_kind is None and self.parent_id:
            errors["parent"] = _("Een einddoel valt onder geen ander doel.")
        elif expected_parent_kind is not None:
            if not self.parent_id:
                errors["parent"] = _("Kies het doel waaronder dit valt.")
            elif self.parent.kind != expected_parent_kind:
                errors["parent"] = _("Een %(kind)s valt onder een %(parent)s.") % {
                    "kind": self.get_kind_display(),
                    "parent": self.Kind(expected_parent_kind).label,
                }
            elif self.parent.network_id != self.network_id:
                errors["parent"] = _("Het bovenliggende doel hoort bij een ander netwerk.")
        if self.pk and self.kind:
            # Changing a goal's kind must keep its children valid under it.
            child_kind = next(
                (kind for kind, parent in self.PARENT_KIND.items() if parent == self.kind), None
            )
            children = self.children.all()
            if (child_kind is None and children.exists()) or children.exclude(kind=child_kind).exists():
                errors["kind"] = _("Dit doel heeft onderliggende doelen of acties die dan niet meer passen.")
        if self.kind == self.Kind.OPERATIONAL:
            # SMART: measurable (indicator, target) and time-bound (deadline).
            if not self.indicator.strip():
                errors["indicator"] = _("Een operationeel doel is meetbaar: geef een indicator.")
            if self.target_value is None:
                errors["target_value"] = _("Geef de streefwaarde.")
            if self.deadline is None:
                errors["deadline"] = _("Een operationeel doel heeft een deadline.")
        if errors:
            raise ValidationError(errors)


class GoalProgress(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress_updates")
    measured_on = models.DateField(_("gemeten op"), default=timezone.localdate)
    value = models.DecimalField(
        _("waarde"), max_digits=12, decimal_places=2, validators=[MinValueValidator(-(10**9))]
    )
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("voortgangsmeting")
        verbose_name_plural = _("voortgangsmetingen")
        ordering = ["goal", "measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value} ({self.measured_on:%d/%m/%Y})"

    def clean(self) -> None:
        if self.measured_on and self.measured_on > timezone.localdate():
            raise ValidationError({"measured_on": _("Een meting kan niet in de toekomst liggen.")})
        if self.goal_id and not self.goal.indicator.strip():
            raise ValidationError(
                _("Dit doel heeft geen indicator: er valt niets te meten. Geef eerst een indicator.")
            )
