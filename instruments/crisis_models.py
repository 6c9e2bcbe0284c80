"""The crisishulpprogramma of a crisis network (DESIGN.md §3; issue 18): no client data.

The meldpunt and its 24/7 on-call rota, the providers of each step with their contact line and
declared crisis places, the time limits and forfaits per step and the capacity key for assured
shelter. The calls and episodes that use the programme are client data and live in
``cases.models.crisis``.

Defaults from the research (../shared/research/FACTS.md, "Crisis programme"): crisis guidance at
most 28 days, crisis shelter 7 days extendable once by 7; forfaits €50 intervention, €100
guidance, €100 shelter; the capacity key Jongerenwelzijn 40 %, VAPH 40 %, CKG 20 %.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Network, Organisation, Sector

# Sector codes (networks/reference_data.py) and shares of the default capacity key (001:3803-3806).
DEFAULT_CAPACITY_KEY = (("jwz", 40), ("vaph", 40), ("ckg", 20))
ROTA_HORIZON_DAYS = 14


class CrisisStepKind(models.TextChoices):
    """The steps of the chain after the meldpunt (000:394; 001:4340-4341)."""

    INTERVENTION = "intervention", _("crisisinterventie")
    GUIDANCE = "guidance", _("crisisbegeleiding")
    SHELTER = "shelter", _("crisisopvang")


class CrisisProgramme(models.Model):
    network = models.OneToOneField(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="crisis_programme"
    )
    meldpunt_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie van het meldpunt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    meldpunt_phone = models.CharField(_("telefoonnummer meldpunt"), max_length=30, blank=True)
    guidance_limit_days = models.PositiveSmallIntegerField(
        _("crisisbegeleiding: maximum aantal dagen"), default=28
    )
    shelter_limit_days = models.PositiveSmallIntegerField(_("crisisopvang: maximum aantal dagen"), default=7)
    shelter_extension_days = models.PositiveSmallIntegerField(
        _("crisisopvang: één verlenging met (dagen)"), default=7
    )
    forfait_intervention = models.DecimalField(
        _("forfait crisisinterventie (€)"), max_digits=7, decimal_places=2, default=Decimal("50")
    )
    forfait_guidance = models.DecimalField(
        _("forfait crisisbegeleiding (€)"), max_digits=7, decimal_places=2, default=Decimal("100")
    )
    forfait_shelter = models.DecimalField(
        _("forfait crisisopvang (€)"), max_digits=7, decimal_places=2, default=Decimal("100")
    )

    class Meta:
        verbose_name = _("crisishulpprogramma")
        verbose_name_plural = _("crisishulpprogramma's")
        constraints = [
            models.CheckConstraint(
                condition=Q(guidance_limit_days__gte=1) & Q(shelter_limit_days__gte=1),
                name="crisis_programme_limits_positive",
                violation_error_message=_("Een termijn is minstens één dag."),
            ),
            models.CheckConstraint(
                condition=Q(forfait_intervention__gte=0)
                & Q(forfait_guidance__gte=0)
                & Q(forfait_shelter__gte=0),
                name="crisis_programme_forfaits_not_negative",
                violation_error_message=_("Een forfait kan niet negatief zijn."),
            ),
        ]

    def __str__(self) -> str:
        return _("Crisishulpprogramma %(network)s") % {"network": self.network}

    def limit_days(self, kind: str) -> int | None:
        """The step's limit in days; an intervention has none (its clock is call → start)."""
        return {
            CrisisStepKind.GUIDANCE: self.guidance_limit_days,
            CrisisStepKind.SHELTER: self.shelter_limit_days,
        }.get(kind)

    def forfait(self, kind: str) -> Decimal:
        return {
            CrisisStepKind.INTERVENTION: self.forfait_intervention,
            CrisisStepKind.GUIDANCE: self.forfait_guidance,
            CrisisStepKind.SHELTER: self.forfait_shelter,
        }[kind]


class CrisisCapacityShare(models.Model):
    """One sector's share of the assured shelter capacity (the capacity key; sums to 100)."""

    programme = models.ForeignKey(CrisisProgramme, on_delete=models.CASCADE, related_name="capacity_shares")
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField(_("aandeel (%)"))

    class Meta:
        verbose_name = _("aandeel in de verdeelsleutel")
        verbose_name_plural = _("verdeelsleutel")
        ordering = ["-percent", "sector__name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "sector"], name="crisis_share_unique_sector"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="crisis_share_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.sector} {self.percent} %"


class CrisisProvider(models.Model):
    """An organisation taking part in one step of the programme, with its line and crisis places.

    ``places`` are the crisis places it declares for this step (shelter beds, guidance slots);
    ``reserved_places`` how many of them are reserved crisis capacity (assured shelter, counted
    as occupied for the provider's regular capacity: decree art. 17, 000:5323-5326).
    """

    programme = models.ForeignKey(CrisisProgramme, on_delete=models.CASCADE, related_name="providers")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="crisis_roles"
    )
    step = models.CharField(_("stap"), max_length=20, choices=CrisisStepKind.choices)
    contact_line = models.CharField(_("contactlijn (24/7)"), max_length=30)
    email = models.EmailField(
        _("e-mailadres voor herinneringen"),
        blank=True,
        help_text=_("Krijgt één mail per stap die over haar termijn gaat. Leeg: geen mail."),
    )
    places = models.PositiveSmallIntegerField(_("crisisplaatsen"), default=0)
    reserved_places = models.PositiveSmallIntegerField(_("waarvan gereserveerde crisiscapaciteit"), default=0)
    is_active = models.BooleanField(_("neemt deel"), default=True)

    class Meta:
        verbose_name = _("crisisaanbieder")
        verbose_name_plural = _("crisisaanbieders")
        ordering = ["step", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "step"],
                name="crisis_provider_unique_step",
                violation_error_message=_("Deze organisatie neemt al deel aan deze stap."),
            ),
            models.CheckConstraint(
                condition=Q(reserved_places__lte=models.F("places")),
                name="crisis_provider_reserved_within_places",
                violation_error_message=_("Er zijn meer gereserveerde plaatsen dan plaatsen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_step_display()})"


class OnCallShift(models.Model):
    """Who answers the meldpunt's line from when to when (the 24/7 rota)."""

    programme = models.ForeignKey(CrisisProgramme, on_delete=models.CASCADE, related_name="shifts")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("medewerker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("naam"), max_length=120, help_text=_("Wie de lijn neemt."))
    phone = models.CharField(_("bereikbaar op"), max_length=30)
    starts_at = models.DateTimeField(_("van"))
    ends_at = models.DateTimeField(_("tot"))

    class Meta:
        verbose_name = _("permanentie")
        verbose_name_plural = _("permanentierooster")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="oncall_ends_after_start",
                violation_error_message=_("Het einde van de permanentie ligt niet na het begin."),
            ),
        ]
        indexes = [models.Index(fields=["programme", "ends_at"], name="oncall_programme_end_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_at:%d/%m %H:%M}–{self.ends_at:%d/%m %H:%M}"


def rota_gaps(
    programme: CrisisProgramme, *, start: datetime.datetime | None = None, days: int = ROTA_HORIZON_DAYS
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The stretches of the coming ``days`` in which nobody is on call. One query."""
    start = (start or timezone.now()).replace(second=0, microsecond=0)
    end = start + datetime.timedelta(days=days)
    shifts = programme.shifts.filter(ends_at__gt=start, starts_at__lt=end).order_by("starts_at")
    return gaps_in(list(shifts.values_list("starts_at", "ends_at")), start, end)


def gaps_in(shifts, start: datetime.datetime, end: datetime.datetime):
    """Uncovered stretches between ``start`` and ``end`` given (start, end) pairs sorted by start."""
    gaps = []
    covered_until = start
    for shift_start, shift_end in shifts:
        if shift_start > covered_until:
            gaps.append((covered_until, shift_start))
        covered_until = max(covered_until, shift_end)
    if covered_until < end:
        gaps.append((covered_until, end))
    return gaps
