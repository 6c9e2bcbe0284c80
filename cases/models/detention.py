"""Trajectory guidance of detainees (issue 20 §4, §5): the trajectbegeleider's onthaal, the
detention and reintegration plan with goals per life domain, referrals to the prison's offer and
to services outside for after release, the planned release date, and transfers between prisons.

All of it is client data of a case in the prison's network: reach it through ``cases.access``.
The guidance team is the case team; the prison's psychosocial service and management are not on
it (professional secrecy against the prison's reporting duty, research 001:4535-4537).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instruments.models import Activity, LifeDomain
from networks.models import Network

from .cases import Case

# The warning comes three months before the planned release, so preparation starts in time.
RELEASE_WARNING_DAYS = 91


class Guidance(models.Model):
    """Trajectbegeleiding of one detainee in one prison: one per case."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("lopend")
        ENDED = "ended", _("afgesloten")
        TRANSFERRED = "transferred", _("overgeplaatst")

    class EndReason(models.TextChoices):
        RELEASED = "released", _("vrijgelaten")
        STOPPED = "stopped", _("begeleiding gestopt")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="guidance")
    network = models.ForeignKey(
        Network, verbose_name=_("gevangenis"), on_delete=models.PROTECT, related_name="+"
    )
    guide = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trajectbegeleider"),
        on_delete=models.PROTECT,
        related_name="guidances",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(_("gestart op"), default=timezone.localdate)
    ended_on = models.DateField(_("geëindigd op"), null=True, blank=True)
    end_reason = models.CharField(_("reden einde"), max_length=10, choices=EndReason.choices, blank=True)
    # Onthaal (001:4501-4509): vraagverheldering, informatie, toeleiding. Client data.
    question = models.TextField(_("vraagverheldering"), blank=True)
    information = models.TextField(_("gegeven informatie"), blank=True)
    planned_release_on = models.DateField(_("geplande vrijlating"), null=True, blank=True)
    release_warned_on = models.DateField(_("waarschuwing vrijlating op"), null=True, blank=True)
    transferred_from = models.OneToOneField(
        "self",
        verbose_name=_("overgenomen van"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transferred_to",
    )

    class Meta:
        verbose_name = _("trajectbegeleiding")
        verbose_name_plural = _("trajectbegeleidingen")
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["guide", "status"], name="guidance_guide_status_idx")]

    def __str__(self) -> str:
        return _("Trajectbegeleiding %(pseudonym)s") % {"pseudonym": self.case.client.pseudonym}

    def release_warning_due(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and self.planned_release_on is not None
            and self.planned_release_on <= day + datetime.timedelta(days=RELEASE_WARNING_DAYS)
        )


class PlanGoal(models.Model):
    """A goal of the detention and reintegration plan, in one life domain."""

    class Status(models.TextChoices):
        OPEN = "open", _("loopt")
        REACHED = "reached", _("bereikt")
        DROPPED = "dropped", _("stopgezet")

    guidance = models.ForeignKey(Guidance, on_delete=models.CASCADE, related_name="goals")
    domain = models.ForeignKey(
        LifeDomain, verbose_name=_("levensdomein"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("doel"), max_length=300)
    after_release = models.BooleanField(_("na de vrijlating"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # When the goal was reached or dropped, and why it was dropped (client data: the team only).
    status_on = models.DateField(_("bereikt of stopgezet op"), null=True, blank=True)
    drop_reason = models.CharField(_("reden stopzetting"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plandoel")
        verbose_name_plural = _("detentie- en re-integratieplan")
        ordering = ["domain__order", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", status_on__isnull=True)
                | (Q(status="reached") & Q(status_on__isnull=False))
                | (Q(status="dropped") & Q(status_on__isnull=False) & ~Q(drop_reason="")),
                name="plangoal_outcome_dated",
                violation_error_message=_(
                    "Een bereikt of stopgezet doel heeft een datum, een stopgezet doel een reden."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.text


class GuidanceReferral(models.Model):
    """A referral: to an activity of the prison's offer (enrolled there by pseudonym) or to a
    service outside the prison for after the release."""

    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("activiteit in de gevangenis")
        OUTSIDE = "outside", _("dienst buiten de gevangenis (na vrijlating)")

    guidance = models.ForeignKey(Guidance, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activiteit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    waiting_list = models.BooleanField(_("op de wachtlijst"), default=False)
    service = models.CharField(_("dienst"), max_length=200, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("toeleiding")
        verbose_name_plural = _("toeleidingen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="activity") & Q(activity__isnull=False))
                | (Q(kind="outside") & ~Q(service="")),
                name="guidancereferral_has_target",
                violation_error_message=_("Kies een activiteit of geef de dienst."),
            )
        ]

    def __str__(self) -> str:
        return str(self.activity or self.service)


class TransferQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Transfer.Status.PROPOSED)


class Transfer(models.Model):
    """A transfer to another prison: the sending team proposes, the receiving prison's guidance
    team accepts (a new guidance there, access moves with it) or refuses with a reason."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("voorgesteld")
        ACCEPTED = "accepted", _("aanvaard")
        REFUSED = "refused", _("geweigerd")
        WITHDRAWN = "withdrawn", _("ingetrokken door de verzendende gevangenis")

    guidance = models.ForeignKey(Guidance, on_delete=models.CASCADE, related_name="transfers")
    to_network = models.ForeignKey(
        Network,
        verbose_name=_("naar gevangenis"),
        on_delete=models.PROTECT,
        related_name="incoming_transfers",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    transfer_on = models.DateField(_("datum overplaatsing"))
    reason = models.CharField(_("reden"), max_length=300, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("reden weigering"), max_length=300, blank=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("overplaatsing")
        verbose_name_plural = _("overplaatsingen")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["guidance"],
                condition=Q(status="proposed"),
                name="transfer_one_open_per_guidance",
                violation_error_message=_("Er staat al een overplaatsing open voor deze gedetineerde."),
            )
        ]

    def __str__(self) -> str:
        return _("Overplaatsing naar %(network)s") % {"network": self.to_network}

    @property
    def handed_over_at(self):
        """The moment of the hand-over: the acceptance. Nothing after it reaches the sender."""
        return self.decided_at if self.status == self.Status.ACCEPTED else None

    def clean(self) -> None:
        if self.guidance_id and self.to_network_id == self.guidance.network_id:
            raise ValidationError({"to_network": _("Een overplaatsing gaat naar een andere gevangenis.")})
