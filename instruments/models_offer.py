"""The offer in a prison (issue 20 §2, §3): activities per domain, their sessions, who takes part
and who waits, security events that cancel sessions, and the welcome folder made from the offer.

No client data: a detainee appears here only by a pseudonymous code. Names, plans and guidance
live in ``cases`` (the trajectory guidance), behind ``cases.access``.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ijh.files import private_path
from networks.detention import DOMAINS
from networks.models import Network, Organisation

WEEKDAYS = [
    (0, _("maandag")),
    (1, _("dinsdag")),
    (2, _("woensdag")),
    (3, _("donderdag")),
    (4, _("vrijdag")),
    (5, _("zaterdag")),
    (6, _("zondag")),
]

# Letters, digits and hyphens: the pseudonyms of cases ("CL-7K3M-Q9TX") and the prison's own
# codes. Never a name: no spaces, and at least one digit or hyphen ("PEETERS" is refused).
DETAINEE_CODE = re.compile(r"^(?=.*[0-9-])[A-Z0-9][A-Z0-9-]{2,18}[A-Z0-9]$")


def normalise_detainee_code(value: str) -> str:
    return (value or "").strip().upper()


def validate_detainee_code(value: str) -> None:
    if not DETAINEE_CODE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "Een gedetineerdencode bestaat uit 4 tot 20 letters, cijfers en koppeltekens "
                "(bijvoorbeeld CL-7K3M-Q9TX). Gebruik nooit een naam."
            ),
            code="invalid",
        )


class Activity(models.Model):
    """One activity of the offer: a course, a group, a consultation hour."""

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="activities"
    )
    domain = models.CharField(_("domein"), max_length=12, choices=DOMAINS)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving voor de onthaalmap"), blank=True)
    provider = models.ForeignKey(
        Organisation, verbose_name=_("aanbieder"), on_delete=models.PROTECT, related_name="+"
    )
    target_group = models.CharField(_("doelgroep"), max_length=250)
    weekday = models.PositiveSmallIntegerField(_("weekdag"), choices=WEEKDAYS)
    start_time = models.TimeField(_("beginuur"))
    end_time = models.TimeField(_("einduur"))
    starts_on = models.DateField(_("eerste sessie vanaf"))
    ends_on = models.DateField(_("laatste sessie tot en met"))
    places = models.PositiveSmallIntegerField(_("plaatsen"))
    location = models.CharField(_("lokaal"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # A year of weekly sessions at most; longer activities are registered per year.
    MAX_SESSIONS = 53

    class Meta:
        verbose_name = _("activiteit")
        verbose_name_plural = _("activiteiten")
        ordering = ["domain", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("De laatste sessie ligt vóór de eerste."),
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="activity_end_time_after_start",
                violation_error_message=_("Het einduur ligt niet na het beginuur."),
            ),
            models.CheckConstraint(
                condition=Q(places__gte=1),
                name="activity_has_places",
                violation_error_message=_("Een activiteit heeft minstens één plaats."),
            ),
        ]
        indexes = [models.Index(fields=["network", "domain"], name="activity_network_domain_idx")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                errors["ends_on"] = _("De laatste sessie ligt vóór de eerste.")
            elif (self.ends_on - self.starts_on).days > 7 * (self.MAX_SESSIONS - 1):
                errors["ends_on"] = _("Registreer een activiteit voor hoogstens een jaar.")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("Het einduur ligt niet na het beginuur.")
        if self.places is not None and self.places < 1:
            errors["places"] = _("Een activiteit heeft minstens één plaats.")
        if errors:
            raise ValidationError(errors)


class ActivitySession(models.Model):
    """One session of an activity. A planned session in the past counts as held."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        CANCELLED = "cancelled", _("geannuleerd")

    class CancelReason(models.TextChoices):
        SECURITY = "security", _("veiligheid (lockdown of incident)")
        OTHER = "other", _("andere reden")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(
        _("reden annulering"), max_length=10, choices=CancelReason.choices, blank=True
    )
    security_event = models.ForeignKey(
        "SecurityEvent",
        verbose_name=_("veiligheidsincident"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cancelled_sessions",
    )

    class Meta:
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["activity", "starts_at"], name="activitysession_start_idx")]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%d/%m/%Y %H:%M}"


class EnrolmentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status__in=(Enrolment.Status.ENROLLED, Enrolment.Status.WAITING))

    def waiting_in_order(self):
        return self.filter(status=Enrolment.Status.WAITING).order_by("requested_at", "pk")


class Enrolment(models.Model):
    """A detainee, by code, on an activity's participant list or its waiting list."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("ingeschreven")
        WAITING = "waiting", _("op de wachtlijst")
        ENDED = "ended", _("uitgeschreven")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="enrolments")
    detainee_code = models.CharField(
        _("gedetineerdencode"), max_length=20, validators=[validate_detainee_code]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    requested_at = models.DateTimeField(_("aangevraagd op"))
    enrolled_at = models.DateTimeField(_("ingeschreven op"), null=True, blank=True)
    ended_at = models.DateTimeField(_("uitgeschreven op"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "detainee_code"],
                condition=Q(status__in=("enrolled", "waiting")),
                name="enrolment_once_per_activity",
                violation_error_message=_("Deze gedetineerde staat al op de lijst of de wachtlijst."),
            ),
        ]
        indexes = [models.Index(fields=["detainee_code"], name="enrolment_code_idx")]

    def __str__(self) -> str:
        return f"{self.detainee_code} – {self.activity}"


class SecurityEvent(models.Model):
    """A lockdown or incident period registered by the prison: "when security is at risk,
    everything stops" (research 001, ch. 4). Its sessions are cancelled with this reason."""

    class Kind(models.TextChoices):
        LOCKDOWN = "lockdown", _("lockdown")
        INCIDENT = "incident", _("incident")
        STRIKE = "strike", _("staking of personeelstekort")

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="security_events"
    )
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("van"))
    ends_at = models.DateTimeField(_("tot"))
    # Never about a detainee: the notice shown to partners ("lockdown na incident in sectie B").
    note = models.CharField(_("korte omschrijving"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("veiligheidsincident")
        verbose_name_plural = _("veiligheidsincidenten")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="securityevent_ends_after_start",
                violation_error_message=_("Het einde ligt niet na het begin."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%d/%m/%Y %H:%M}"


def offer_folder_path(instance, filename: str) -> str:
    return private_path("offer-folders", filename)


class OfferFolder(models.Model):
    """The welcome folder (onthaalmap) of a prison, made from the current offer by the worker.

    The row holds the state the page polls (the pattern of ``cases.CaseDocument``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("in de wachtrij")
        RUNNING = "running", _("wordt gemaakt")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    ACTIVE_STATUSES = (Status.PENDING, Status.RUNNING)

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="offer_folders")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("bestand"), upload_to=offer_folder_path, blank=True)
    error = models.CharField(_("fout"), max_length=250, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("onthaalmap")
        verbose_name_plural = _("onthaalmappen")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network"],
                condition=Q(status__in=("pending", "running")),
                name="offerfolder_one_active_per_network",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Onthaalmap %(network)s")) % {"network": self.network_id}

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
