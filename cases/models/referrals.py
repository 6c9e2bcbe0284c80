"""Referrals from a case to another organisation, under a verwijsafspraak or flagged without one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instruments.models import ReferralAgreement
from networks.models import Network, Organisation

from .cases import Case, Consent


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("verstuurd")
        RECEIVED = "received", _("ontvangen")
        ACCEPTED = "accepted", _("aanvaard")
        DECLINED = "declined", _("geweigerd")
        STARTED = "started", _("hulp gestart")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    class DeclineReason(models.TextChoices):
        FULL = "full", _("geen plaats (wachtlijst)")
        NOT_TARGET_GROUP = "not_target_group", _("valt buiten de doelgroep")
        INCOMPLETE = "incomplete", _("verwijsbrief onvolledig")
        CLIENT_DECLINED = "client_declined", _("cliënt wil niet")
        OTHER = "other", _("andere")

    # Which status may follow which; the receiving organisation moves it forward.
    TRANSITIONS = {
        Status.SENT: (Status.RECEIVED, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN),
        Status.RECEIVED: (Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN),
        Status.ACCEPTED: (Status.STARTED, Status.WITHDRAWN),
        Status.DECLINED: (),
        Status.STARTED: (),
        Status.WITHDRAWN: (),
    }

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="referrals")
    from_organisation = models.ForeignKey(
        Organisation, verbose_name=_("verwijzende organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("naar organisatie"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    agreement = models.ForeignKey(
        ReferralAgreement,
        verbose_name=_("verwijsafspraak"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    # Allowed, but flagged for the team and counted in the report (DESIGN.md: verwijsafspraken).
    outside_agreement = models.BooleanField(_("buiten verwijsafspraak"), default=False)
    consent = models.ForeignKey(
        Consent, verbose_name=_("toestemming"), on_delete=models.PROTECT, related_name="+"
    )
    # The referral question and letter text: free text about a client, case team + receiver only.
    question = models.TextField(_("verwijsvraag"))
    letter_note = models.TextField(_("aanvullende informatie voor de verwijsbrief"), blank=True)
    # Snapshot of what the data sheet carried when it was sent (the consent's data fields then).
    shared_fields = models.JSONField(_("gedeelde gegevens"), default=list, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    sent_on = models.DateField(_("verstuurd op"), default=timezone.localdate)
    received_on = models.DateField(_("ontvangen op"), null=True, blank=True)
    accepted_on = models.DateField(_("aanvaard op"), null=True, blank=True)
    declined_on = models.DateField(_("geweigerd op"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reden weigering"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("toelichting weigering"), blank=True)
    started_on = models.DateField(_("hulp gestart op"), null=True, blank=True)
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("verstuurd door"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("verwijzing")
        verbose_name_plural = _("verwijzingen")
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["to_organisation", "status"], name="referral_to_status_idx"),
            models.Index(fields=["network", "sent_on"], name="referral_network_sent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
                violation_error_message=_("Geef de reden van de weigering."),
            ),
        ]

    def __str__(self) -> str:
        return _("Verwijzing naar %(org)s") % {"org": self.to_organisation}

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]

    @property
    def days_to_acceptance(self) -> int | None:
        if self.accepted_on is None:
            return None
        return (self.accepted_on - self.sent_on).days
