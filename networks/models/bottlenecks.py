"""Knelpunten: what in the system blocks care, signalled by planmakers from their trajectories.

No client data here (DESIGN.md §5): a bottleneck describes a rule, a service or a gap, never a
child. The trajectories where it occurs link to it from the cases side (``Trajectory.bottlenecks``),
so this app never imports the cases app. The learning network discusses bottlenecks in its
meetings (the one meeting model, ``Meeting`` of a ``Body`` of kind learning network), and the
coordinator passes them on to the government and records the answer.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .meetings import Meeting
from .structure import Network


class Bottleneck(models.Model):
    class Category(models.TextChoices):
        REGULATION = "regulation", _("regelgeving")
        ADMISSION = "admission", _("toelatingscriteria (IQ, leeftijd, combinatie van problemen)")
        WAITING_LIST = "waiting_list", _("wachtlijst")
        FINANCING = "financing", _("financiering / modules")
        CAPACITY = "capacity", _("capaciteit")
        COMMUNICATION = "communication", _("communicatie tussen diensten")
        SCHOOL = "school", _("school en onderwijs")
        OTHER = "other", _("andere")

    class Level(models.TextChoices):
        MICRO = "micro", _("micro: dit kind")
        MESO = "meso", _("meso: de diensten in deze regio")
        MACRO = "macro", _("macro: Vlaamse regels")

    class Status(models.TextChoices):
        SIGNALLED = "signalled", _("gesignaleerd")
        DISCUSSED = "discussed", _("besproken in het lerend netwerk")
        PASSED_ON = "passed_on", _("doorgegeven aan de overheid")
        # The two ends: the administration's answer (or a change) resolved it, or it was found
        # not resolvable; both keep the answer or the explanation.
        ANSWERED = "answered", _("opgelost")
        NOT_RESOLVABLE = "unresolvable", _("niet oplosbaar")

    # Which status may follow which; the coordinator of the planmaker network moves it.
    TRANSITIONS = {
        Status.SIGNALLED: (Status.DISCUSSED,),
        Status.DISCUSSED: (Status.PASSED_ON, Status.ANSWERED, Status.NOT_RESOLVABLE),
        Status.PASSED_ON: (Status.ANSWERED, Status.NOT_RESOLVABLE),
        Status.ANSWERED: (),
        Status.NOT_RESOLVABLE: (),
    }
    FINAL_STATUSES = (Status.ANSWERED, Status.NOT_RESOLVABLE)

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.PROTECT, related_name="bottlenecks"
    )
    title = models.CharField(_("knelpunt"), max_length=200)
    category = models.CharField(_("categorie"), max_length=20, choices=Category.choices)
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices)
    # No client data: about the rule or the service, never about the child.
    description = models.TextField(
        _("omschrijving"), help_text=_("Zonder cliëntgegevens: wat blokkeert, niet wie.")
    )
    concerns = models.CharField(_("betrokken organisatie of regel"), max_length=250, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SIGNALLED)
    signalled_on = models.DateField(_("gesignaleerd op"), default=timezone.localdate)
    discussed_in = models.ManyToManyField(
        Meeting, verbose_name=_("besproken op"), blank=True, related_name="bottlenecks"
    )
    discussed_on = models.DateField(_("besproken op"), null=True, blank=True)
    findings = models.TextField(_("bevindingen en advies van het lerend netwerk"), blank=True)
    passed_on_on = models.DateField(_("doorgegeven op"), null=True, blank=True)
    passed_to = models.CharField(_("doorgegeven aan"), max_length=200, blank=True)
    answered_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    answer = models.TextField(_("antwoord"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("knelpunt")
        verbose_name_plural = _("knelpunten")
        ordering = ["-signalled_on", "-id"]
        indexes = [models.Index(fields=["network", "status"], name="bottleneck_network_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=("answered", "unresolvable")) | ~Q(answer=""),
                name="bottleneck_answered_has_answer",
                violation_error_message=_("Noteer het antwoord of de toelichting."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]
