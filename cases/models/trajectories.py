"""Planmaker trajectories (Co-ncept Jeugdhulp, DESIGN.md §1): a blocked youth-care path that a
caseworker refers to a planmaker network (the aanmelding), the coordinator accepts and gives to one
or more planmakers, and the planmakers take through connecting, a mandate, one shared plan and
follow-up to a close with an outcome.

Client data: the question, who is involved and the plan are for the case team (the referrer's
team and the assigned planmakers). The coordinator of the planmaker network reads the aanmelding
to decide on it and afterwards sees the pseudonym and the phase only (cases/access.py).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instruments.models import LifeDomain
from networks.models import Bottleneck, Network, Organisation

from .cases import Case, Consent

# After closing, the planmakers keep reading the case this many days to finish their notes;
# then their team rows end and with them their access (cases/access.py, "team by name").
PLANMAKER_GRACE_DAYS = 30


class Trajectory(models.Model):
    class Phase(models.TextChoices):
        REFERRED = "referred", _("aangemeld")
        CONNECTING = "connecting", _("verbinden")
        MANDATE = "mandate", _("mandaat")
        PLAN = "plan", _("gedeeld plan")
        FOLLOW_UP = "follow_up", _("opvolging")
        CLOSED = "closed", _("afgesloten")
        DECLINED = "declined", _("niet aanvaard")

    # The working phases in order; each may only follow the one before it.
    STEPS = (Phase.REFERRED, Phase.CONNECTING, Phase.MANDATE, Phase.PLAN, Phase.FOLLOW_UP, Phase.CLOSED)
    PHASE_DATE_FIELDS = {
        Phase.REFERRED: "referred_on",
        Phase.CONNECTING: "connecting_on",
        Phase.MANDATE: "mandate_on",
        Phase.PLAN: "plan_on",
        Phase.FOLLOW_UP: "follow_up_on",
        Phase.CLOSED: "closed_on",
        Phase.DECLINED: "decided_on",
    }

    class Outcome(models.TextChoices):
        UNBLOCKED = "unblocked", _("gedeblokkeerd")
        PARTLY = "partly", _("gedeeltelijk gedeblokkeerd")
        NOT = "not", _("niet gedeblokkeerd")
        ENDED_BY_FAMILY = "ended_by_family", _("stopgezet door jongere of gezin")
        OTHER = "other", _("andere")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="trajectories")
    # The planmaker network the case was referred to (it may differ from the case's network).
    network = models.ForeignKey(
        Network, verbose_name=_("planmakersnetwerk"), on_delete=models.PROTECT, related_name="trajectories"
    )
    referring_organisation = models.ForeignKey(
        Organisation, verbose_name=_("aanmeldende organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("aangemeld door"), on_delete=models.PROTECT, related_name="+"
    )
    # The aanmelding (client data: case team, and the coordinator until the decision).
    question = models.TextField(_("concrete vraag"))
    in_facility_going_badly = models.BooleanField(
        _("in een voorziening waar het slecht loopt, maar herstel is mogelijk"), default=False
    )
    difficult_from_start = models.BooleanField(
        _("een traject dat van bij de start moeilijk loopt"), default=False
    )
    involved = models.TextField(_("wie is betrokken"))
    referrer_engaged = models.BooleanField(_("ik neem deel aan de samenwerkingsoverleggen"), default=False)
    consent = models.ForeignKey(
        Consent, verbose_name=_("toestemming"), on_delete=models.PROTECT, related_name="+"
    )

    phase = models.CharField(_("fase"), max_length=12, choices=Phase.choices, default=Phase.REFERRED)
    referred_on = models.DateField(_("aangemeld op"), default=timezone.localdate)
    decided_on = models.DateField(_("beslist op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(_("reden"), blank=True)
    connecting_on = models.DateField(_("verbinden gestart op"), null=True, blank=True)
    mandate_on = models.DateField(_("mandaat op"), null=True, blank=True)
    plan_on = models.DateField(_("gedeeld plan op"), null=True, blank=True)
    follow_up_on = models.DateField(_("opvolging vanaf"), null=True, blank=True)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("toelichting uitkomst"), blank=True)
    bottlenecks = models.ManyToManyField(
        Bottleneck, verbose_name=_("knelpunten"), blank=True, related_name="trajectories"
    )

    class Meta:
        verbose_name = _("planmakerstraject")
        verbose_name_plural = _("planmakerstrajecten")
        ordering = ["-referred_on", "-id"]
        indexes = [
            models.Index(fields=["network", "phase"], name="trajectory_network_phase_idx"),
            models.Index(fields=["network", "referred_on"], name="trajectory_network_ref_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phase="closed") | ~Q(outcome=""),
                name="trajectory_closed_has_outcome",
                violation_error_message=_("Kies de uitkomst van het traject."),
            ),
            models.CheckConstraint(
                condition=~Q(phase="declined") | ~Q(decline_reason=""),
                name="trajectory_declined_has_reason",
                violation_error_message=_("Geef de reden waarom de aanmelding niet aanvaard wordt."),
            ),
            models.CheckConstraint(
                condition=Q(plan_on__isnull=True) | Q(mandate_on__isnull=False),
                name="trajectory_plan_after_mandate",
                violation_error_message=_("Een gedeeld plan komt pas na het mandaat."),
            ),
            models.CheckConstraint(
                condition=Q(referrer_engaged=True),
                name="trajectory_referrer_engaged",
                violation_error_message=_("De aanmelder engageert zich om deel te nemen."),
            ),
        ]

    def __str__(self) -> str:
        return _("Planmakerstraject %(pseudonym)s") % {"pseudonym": self.case.client.pseudonym}

    @property
    def is_active(self) -> bool:
        return self.phase not in (self.Phase.CLOSED, self.Phase.DECLINED)

    def next_phase(self) -> "Trajectory.Phase | None":
        if self.phase in (self.Phase.CLOSED, self.Phase.DECLINED, self.Phase.REFERRED):
            return None  # the coordinator's decision starts it; closed and declined are final
        return self.STEPS[self.STEPS.index(self.Phase(self.phase)) + 1]

    def phase_dates(self) -> list[tuple[str, datetime.date]]:
        return [
            (self.Phase(phase).label, getattr(self, field))
            for phase, field in self.PHASE_DATE_FIELDS.items()
            if getattr(self, field) and not (phase == self.Phase.DECLINED and self.phase != phase)
        ]

    @property
    def days_to_mandate(self) -> int | None:
        return (self.mandate_on - self.referred_on).days if self.mandate_on else None


class SharedPlanItem(models.Model):
    """A goal or agreement of the shared plan, per life domain, with an owner, a due date and a status."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("doel")
        AGREEMENT = "agreement", _("afspraak")

    class Status(models.TextChoices):
        OPEN = "open", _("loopt")
        DONE = "done", _("gerealiseerd")
        DROPPED = "dropped", _("niet meer van toepassing")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="plan_items")
    domain = models.ForeignKey(
        LifeDomain, verbose_name=_("levensdomein"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices, default=Kind.AGREEMENT)
    text = models.TextField(_("omschrijving"))
    # Often the young person, a parent or a buddy: a name, not an account.
    owner = models.CharField(_("wie"), max_length=200)
    due_on = models.DateField(_("tegen"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("punt van het gedeeld plan")
        verbose_name_plural = _("gedeeld plan")
        ordering = ["domain__order", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.domain})"

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.status == self.Status.OPEN and self.due_on is not None and self.due_on < day
