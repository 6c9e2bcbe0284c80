"""Crisis calls and episodes (issue 18): the meldpunt's registrations and the chain of steps.

Client data: a call's question is free text about a young person, an episode carries a client
(pseudonymous until a case is opened). Reach them through ``cases.access`` only.

Clocks: every step keeps its start, its end and the limit it had when it started (copied from
the programme, so a later change of the programme does not move running clocks). A shelter may
be extended once; the database refuses a second extension and a place taken twice.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instruments.models import CrisisProgramme, CrisisProvider, CrisisStepKind
from networks.models import Network

from .cases import Case, Client

# A step is "nearly over its limit" this long before its end.
NEARLY_DUE = datetime.timedelta(days=1)
# The cohort's milestone: an intervention within the hour after the call.
INTERVENTION_TARGET = datetime.timedelta(hours=1)


class CrisisCall(models.Model):
    """One call to the meldpunt (aanmelding)."""

    class Caller(models.TextChoices):
        PARENT = "parent", _("ouder")
        YOUNG_PERSON = "young_person", _("jongere")
        SCHOOL = "school", _("school")
        POLICE = "police", _("politie")
        CLB = "clb", _("CLB")
        OTHER = "other", _("andere")

    class Urgency(models.TextChoices):
        NOW = "now", _("nu (binnen het uur)")
        TODAY = "today", _("vandaag")
        LATER = "later", _("kan wachten")

    class Outcome(models.TextChoices):
        DISPATCHED = "dispatched", _("doorgeschakeld binnen het netwerk")
        MELDPUNT = "meldpunt", _("afgehandeld door het meldpunt (advies, informatie)")
        REFERRED = "referred", _("doorverwezen buiten het netwerk")

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="crisis_calls")
    programme = models.ForeignKey(CrisisProgramme, on_delete=models.PROTECT, related_name="calls")
    received_at = models.DateTimeField(_("oproep ontvangen om"))
    caller = models.CharField(_("wie belde"), max_length=20, choices=Caller.choices)
    urgency = models.CharField(_("urgentie"), max_length=10, choices=Urgency.choices, default=Urgency.NOW)
    # Free text about a client: the meldpunt and the episode's providers only, never in reports.
    question = models.TextField(_("korte vraag"), max_length=1000)
    admissible = models.BooleanField(
        _("ontvankelijk"), help_text=_("Een crisis in de zin van het programma: maatschappelijke noodzaak.")
    )
    outcome = models.CharField(_("wat deed het meldpunt"), max_length=12, choices=Outcome.choices)
    referred_to = models.CharField(_("doorverwezen naar"), max_length=200, blank=True)
    # The meldpunt's reason to read the call ends here (plus CRISIS_GRACE_DAYS): the day it was
    # handled, or for a dispatched call the day its episode closed.
    closed_on = models.DateField(_("afgehandeld op"), null=True, blank=True)
    # One per form shown: a double click posts the same token twice and registers one call.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geregistreerd door"),
    )
    registered_at = models.DateTimeField(_("geregistreerd om"), auto_now_add=True)

    class Meta:
        verbose_name = _("crisisoproep")
        verbose_name_plural = _("crisisoproepen")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["network", "-received_at"], name="crisiscall_network_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="dispatched") | Q(admissible=True),
                name="crisiscall_dispatched_is_admissible",
                violation_error_message=_(
                    "Alleen een ontvankelijke oproep wordt doorgeschakeld binnen het netwerk."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Oproep van %(at)s") % {
            "at": timezone.localtime(self.received_at).strftime("%d/%m/%Y %H:%M")
        }


class CrisisEpisode(models.Model):
    """A dispatched call's path through the chain, until its closing."""

    class Outcome(models.TextChoices):
        HOME = "home", _("terug naar huis")
        REGULAR_CARE = "regular_care", _("reguliere hulp")
        OTHER_NETWORK = "other_network", _("ander netwerk")
        NON_DIRECT = "non_direct", _("niet rechtstreeks toegankelijke hulp")

    call = models.OneToOneField(CrisisCall, on_delete=models.PROTECT, related_name="episode")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="crisis_episodes")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="crisis_episodes")
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="crisis_episodes"
    )
    opened_at = models.DateTimeField(_("gestart om"))
    closed_at = models.DateTimeField(_("afgesloten om"), null=True, blank=True)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("crisisepisode")
        verbose_name_plural = _("crisisepisodes")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["network", "closed_on"], name="crisisepisode_network_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("opened_at")),
                name="crisisepisode_closed_after_opened",
                violation_error_message=_("De afsluiting ligt vóór de start."),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(outcome=""),
                name="crisisepisode_closed_has_outcome",
                violation_error_message=_("Geef de uitkomst van de episode."),
            ),
        ]

    def __str__(self) -> str:
        return _("Crisisepisode %(pseudonym)s") % {"pseudonym": self.client.pseudonym}

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CrisisStepQuerySet(models.QuerySet):
    def running(self):
        return self.filter(ended_at__isnull=True)

    def overdue(self, now: datetime.datetime | None = None):
        return self.running().filter(due_at__lt=now or timezone.now())

    def nearly_due(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.running().filter(due_at__gte=now, due_at__lt=now + NEARLY_DUE)


class CrisisStep(models.Model):
    """One provider's step in an episode: intervention, guidance or shelter, with its clock."""

    episode = models.ForeignKey(CrisisEpisode, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("stap"), max_length=20, choices=CrisisStepKind.choices)
    provider = models.ForeignKey(
        CrisisProvider, verbose_name=_("aanbieder"), on_delete=models.PROTECT, related_name="steps"
    )
    started_at = models.DateTimeField(_("overgedragen om"))
    ended_at = models.DateTimeField(_("beëindigd om"), null=True, blank=True)
    # The provider's reason to read the episode ends here (plus CRISIS_GRACE_DAYS).
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)
    limit_days = models.PositiveSmallIntegerField(_("termijn (dagen)"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("verlengd met (dagen)"), default=0)
    extension_reason = models.CharField(_("reden verlenging"), max_length=300, blank=True)
    # started_at + limit + extension; empty for an intervention (its clock is call → start).
    due_at = models.DateTimeField(_("termijn verloopt om"), null=True, blank=True)
    # Which of the provider's crisis places the step takes, while it runs (empty: no place).
    place_number = models.PositiveSmallIntegerField(null=True, blank=True)
    overdue_marked_at = models.DateTimeField(_("over termijn gemeld om"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CrisisStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("crisisstap")
        verbose_name_plural = _("crisisstappen")
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["provider", "ended_on"], name="crisisstep_provider_idx"),
            models.Index(
                fields=["due_at"], condition=Q(ended_at__isnull=True), name="crisisstep_running_due_idx"
            ),
        ]
        constraints = [
            # The last bed: two operators cannot take the same place of a provider at once.
            models.UniqueConstraint(
                fields=["provider", "place_number"],
                condition=Q(ended_at__isnull=True, place_number__isnull=False),
                name="crisisstep_one_episode_per_place",
                violation_error_message=_("Deze plaats is al ingenomen."),
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="crisisstep_ended_after_started",
                violation_error_message=_("Het einde ligt vóór het begin."),
            ),
            models.CheckConstraint(
                condition=Q(extension_days=0) | Q(kind="shelter"),
                name="crisisstep_only_shelter_extends",
                violation_error_message=_("Alleen een crisisopvang kan verlengd worden."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.provider.organisation}"

    def compute_due(self) -> datetime.datetime | None:
        if self.limit_days is None:
            return None
        return self.started_at + datetime.timedelta(days=self.limit_days + self.extension_days)

    def clock(self, now: datetime.datetime) -> str:
        """ok, nearly (within a day of the limit), overdue, or ended."""
        if self.ended_at is not None:
            return "ended"
        if self.due_at is None:
            return "ok"
        if self.due_at < now:
            return "overdue"
        if self.due_at < now + NEARLY_DUE:
            return "nearly"
        return "ok"

    def days_used(self, now: datetime.datetime) -> int:
        return ((self.ended_at or now) - self.started_at).days


class CrisisConflict(models.Model):
    """A praktijkoverleg: providers disagree on who takes the next step of an episode. Logged,
    escalated to the network's core group (kerngroep), resolved with a recorded outcome.

    The core group sees the organisations, the step and the dates, never the question (free text
    about a client) nor the pseudonym: steering members see no client data (DESIGN.md §5).
    """

    class Resolution(models.TextChoices):
        FIRST = "first", _("de eerste organisatie neemt de stap")
        SECOND = "second", _("de tweede organisatie neemt de stap")
        OTHER = "other", _("een andere aanbieder neemt de stap")
        NO_STEP = "no_step", _("geen volgende stap nodig")

    episode = models.ForeignKey(CrisisEpisode, on_delete=models.CASCADE, related_name="conflicts")
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="crisis_conflicts")
    kind = models.CharField(_("betwiste stap"), max_length=20, choices=CrisisStepKind.choices)
    first_organisation = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("eerste organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    second_organisation = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("tweede organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    question = models.TextField(_("waarover"), max_length=1000)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("gemeld om"), default=timezone.now)
    resolved_at = models.DateTimeField(_("beslist om"), null=True, blank=True)
    resolution = models.CharField(_("beslissing"), max_length=10, choices=Resolution.choices, blank=True)
    resolution_note = models.CharField(_("toelichting"), max_length=500, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("praktijkoverleg")
        verbose_name_plural = _("praktijkoverleggen")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution=""),
                name="crisisconflict_resolved_has_outcome",
                violation_error_message=_("Geef de beslissing."),
            ),
            models.CheckConstraint(
                condition=~Q(first_organisation=models.F("second_organisation")),
                name="crisisconflict_two_organisations",
                violation_error_message=_("Kies twee verschillende organisaties."),
            ),
        ]

    def __str__(self) -> str:
        return _("Praktijkoverleg over %(step)s") % {"step": self.get_kind_display()}
