"""Agreements a network works under: protocols, house rules, covenants, bilateral agreements."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.files import private_path

from .structure import Network, NetworkMembership, Organisation

EXPIRY_REMINDER_DAYS = 60


def agreement_document_path(instance, filename: str) -> str:
    return private_path("agreements", filename)


class AgreementQuerySet(models.QuerySet):
    def expiring(self, today: datetime.date | None = None, within_days: int = EXPIRY_REMINDER_DAYS):
        today = today or timezone.localdate()
        return self.filter(
            valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=within_days)
        )


class Agreement(models.Model):
    class Kind(models.TextChoices):
        PROTOCOL = "protocol", _("samenwerkingsprotocol")
        HOUSE_RULES = "house_rules", _("huishoudelijk reglement")
        COVENANT = "covenant", _("convenant")
        BILATERAL = "bilateral", _("bilaterale overeenkomst")

    class Binding(models.TextChoices):
        MANDATORY = "mandatory", _("verplicht")
        DESIRED = "desired", _("gewenst")
        OPTIONAL = "optional", _("vrijblijvend")

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=250)
    version = models.CharField(_("versie"), max_length=20, default="1.0")
    document = models.FileField(_("document"), upload_to=agreement_document_path, blank=True)
    binding = models.CharField(
        _("verbindend karakter"), max_length=10, choices=Binding.choices, default=Binding.MANDATORY
    )
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    signatories = models.ManyToManyField(
        Organisation, through="AgreementSignatory", verbose_name=_("ondertekenaars"), related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("overeenkomst")
        verbose_name_plural = _("overeenkomsten")
        ordering = ["network", "title", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "title", "version"],
                name="agreement_unique_version",
                violation_error_message=_("Deze versie van deze overeenkomst bestaat al in dit netwerk."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_until_after_from",
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("De einddatum ligt vóór de begindatum.")})

    @property
    def is_valid_today(self) -> bool:
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_until is None or self.valid_until >= today)

    @property
    def days_until_expiry(self) -> int | None:
        if self.valid_until is None:
            return None
        return (self.valid_until - timezone.localdate()).days


class AgreementSignatory(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("ondertekend op"), null=True, blank=True)

    class Meta:
        verbose_name = _("ondertekenaar")
        verbose_name_plural = _("ondertekenaars")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="signatory_unique_per_agreement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.agreement}"

    def clean(self) -> None:
        if not (self.agreement_id and self.organisation_id):
            return
        # A member on the day it signed (or today, when the date is still open).
        is_member = (
            NetworkMembership.objects.active(on=self.signed_on or timezone.localdate())
            .filter(network_id=self.agreement.network_id, organisation_id=self.organisation_id)
            .exists()
        )
        if not is_member:
            raise ValidationError(
                {"organisation": _("Deze organisatie is geen lid van het netwerk en kan niet ondertekenen.")}
            )
        if self.signed_on and self.signed_on > timezone.localdate():
            raise ValidationError({"signed_on": _("De datum van ondertekening ligt in de toekomst.")})
