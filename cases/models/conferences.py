"""Cliëntoverleg: request → admissibility → external chair → sessions → werkplan → closing."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from instruments.models import LifeDomain
from networks.models import Network, Organisation

from .cases import Case, Consent


class ClientConferenceQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(
            status__in=(
                ClientConference.Status.NOT_ADMISSIBLE,
                ClientConference.Status.CLOSED,
                ClientConference.Status.WITHDRAWN,
            )
        )


class ClientConference(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("aangevraagd")
        ADMISSIBLE = "admissible", _("ontvankelijk")
        NOT_ADMISSIBLE = "not_admissible", _("niet ontvankelijk")
        RUNNING = "running", _("lopend")
        CLOSED = "closed", _("afgesloten")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    class Outcome(models.TextChoices):
        GOALS_REACHED = "goals_reached", _("doelen bereikt")
        PARTLY_REACHED = "partly_reached", _("doelen deels bereikt")
        NOT_REACHED = "not_reached", _("doelen niet bereikt")
        REFERRED = "referred", _("doorverwezen naar passende hulp")
        STOPPED_BY_CLIENT = "stopped_by_client", _("gestopt op vraag van de cliënt")
        OTHER = "other", _("andere")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    # Kept beside case.network so the report and the organising cell filter without a join.
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="client_conferences")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requesting_organisation = models.ForeignKey(
        Organisation, verbose_name=_("aanvragende organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(_("aangevraagd op"), default=timezone.localdate)
    question = models.TextField(_("vraag aan het cliëntoverleg"))
    complexity = models.TextField(_("waarom de situatie complex is"))
    involved = models.TextField(_("wie is betrokken"), help_text=_("Gezin, netwerk en hulpverleners."))
    consent = models.ForeignKey(
        Consent, verbose_name=_("toestemming"), on_delete=models.PROTECT, related_name="conferences"
    )

    decided_on = models.DateField(_("beslist op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    admissibility_reason = models.TextField(_("motivering ontvankelijkheid"), blank=True)

    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("onafhankelijk voorzitter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_conferences",
    )
    chair_assigned_on = models.DateField(_("voorzitter toegewezen op"), null=True, blank=True)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("casemanager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_conferences",
    )

    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    outcome = models.CharField(_("resultaat"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("toelichting resultaat"), blank=True)

    objects = ClientConferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("cliëntoverleg")
        verbose_name_plural = _("cliëntoverleggen")
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["network", "status"], name="conference_network_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("requested_on")),
                name="conference_decided_after_request",
                violation_error_message=_("De beslissing ligt vóór de aanvraag."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("requested_on")),
                name="conference_closed_after_request",
                violation_error_message=_("De afsluiting ligt vóór de aanvraag."),
            ),
        ]

    def __str__(self) -> str:
        return _("Cliëntoverleg van %(day)s") % {"day": self.requested_on.strftime("%d/%m/%Y")}

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.ADMISSIBLE, self.Status.RUNNING)

    @property
    def can_plan_sessions(self) -> bool:
        return self.status in (self.Status.ADMISSIBLE, self.Status.RUNNING) and self.chair_id is not None


class ConferenceSession(models.Model):
    class Kind(models.TextChoices):
        FIRST = "first", _("eerste overleg")
        FOLLOW_UP = "follow_up", _("opvolgoverleg")
        CLOSING = "closing", _("slotoverleg")

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        HELD = "held", _("gehouden")
        CANCELLED = "cancelled", _("geannuleerd")

    conference = models.ForeignKey(ClientConference, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.FIRST)
    starts_at = models.DateTimeField(_("begint om"))
    location = models.CharField(_("plaats"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # Free text about a client: case team only.
    notes = models.TextField(_("verslag"), blank=True)

    class Meta:
        verbose_name = _("overlegmoment")
        verbose_name_plural = _("overlegmomenten")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    def clean(self) -> None:
        if (
            self.starts_at
            and self.conference_id
            and timezone.localtime(self.starts_at).date() < self.conference.requested_on
        ):
            raise ValidationError({"starts_at": _("Een overleg kan niet vóór de aanvraag plaatsvinden.")})


class SessionInvitation(models.Model):
    """Who is invited to a session, and whether they came.

    Professionals are bound by professional secrecy; anyone else (a grandmother, a coach) may
    attend only when the consent names them (DESIGN.md §5).
    """

    class Kind(models.TextChoices):
        CLIENT = "client", _("jongere")
        PARENT = "parent", _("ouder / opvoedingsverantwoordelijke")
        PROFESSIONAL = "professional", _("hulpverlener")
        OTHER = "other", _("iemand uit het netwerk van het gezin")

    session = models.ForeignKey(ConferenceSession, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    bound_by_secrecy = models.BooleanField(_("gebonden door beroepsgeheim"), default=False)
    attended = models.BooleanField(_("aanwezig"), null=True, blank=True)
    # Cancelled by the product when the consent it relied on was withdrawn (issue 16 §3).
    cancelled_on = models.DateField(_("geannuleerd op"), null=True, blank=True)
    cancel_reason = models.CharField(_("reden annulering"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["session", "kind", "name"]

    def __str__(self) -> str:
        # Not the name: str() shows up in admin delete pages and logs (DESIGN.md §5).
        return _("Uitnodiging %(pk)s (%(kind)s)") % {"pk": self.pk, "kind": self.get_kind_display()}


class CarePlanItem(models.Model):
    """An agreement of the werkplan: per life domain, with an owner, a due date and follow-up."""

    class Status(models.TextChoices):
        OPEN = "open", _("lopend")
        DONE = "done", _("gerealiseerd")
        NOT_DONE = "not_done", _("niet gerealiseerd")
        DROPPED = "dropped", _("geschrapt")

    class NotDoneReason(models.TextChoices):
        WAITING_LIST = "waiting_list", _("wachtlijst")
        REGULATION = "regulation", _("regelgeving")
        NO_SUITABLE_OFFER = "no_suitable_offer", _("geen passend aanbod")
        CLIENT_DECLINED = "client_declined", _("cliënt wil niet meer")
        OTHER = "other", _("andere")

    conference = models.ForeignKey(ClientConference, on_delete=models.CASCADE, related_name="plan_items")
    made_in = models.ForeignKey(
        ConferenceSession,
        verbose_name=_("afgesproken in"),
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    domain = models.ForeignKey(
        LifeDomain, verbose_name=_("levensdomein"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("afspraak"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_plan_items",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # For owners without an account: the young person, a parent, a neighbour.
    owner_label = models.CharField(_("wie (zonder account)"), max_length=200, blank=True)
    due_on = models.DateField(_("tegen"))
    status = models.CharField(_("opvolging"), max_length=10, choices=Status.choices, default=Status.OPEN)
    not_done_reason = models.CharField(
        _("reden niet gerealiseerd"), max_length=20, choices=NotDoneReason.choices, blank=True
    )
    status_note = models.TextField(_("toelichting opvolging"), blank=True)
    reviewed_in = models.ForeignKey(
        ConferenceSession,
        verbose_name=_("laatst besproken in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_items",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("afspraak werkplan")
        verbose_name_plural = _("werkplan")
        ordering = ["domain__order", "due_on", "id"]
        indexes = [models.Index(fields=["owner", "status"], name="careplanitem_owner_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_done") | ~Q(not_done_reason=""),
                name="careplanitem_not_done_has_reason",
                violation_error_message=_("Geef aan waarom de afspraak niet gerealiseerd werd."),
            ),
        ]

    def __str__(self) -> str:
        # Not the text: str() shows up in admin delete pages and logs (DESIGN.md §5).
        return _("Afspraak %(pk)s (%(domain)s)") % {"pk": self.pk, "domain": self.domain}

    def clean(self) -> None:
        errors = {}
        if not (self.owner_id or self.owner_organisation_id or self.owner_label.strip()):
            errors["owner"] = _("Duid aan wie de afspraak opneemt.")
        if self.status == self.Status.NOT_DONE and not self.not_done_reason:
            errors["not_done_reason"] = _("Geef aan waarom de afspraak niet gerealiseerd werd.")
        if self.status != self.Status.NOT_DONE:
            self.not_done_reason = ""
        if errors:
            raise ValidationError(errors)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


class ConferenceEvaluation(models.Model):
    """The chair's and the client's short evaluation when the conference closes (scores 1–5)."""

    class Respondent(models.TextChoices):
        CHAIR = "chair", _("voorzitter")
        CLIENT = "client", _("cliënt en gezin")

    SCALE = [(n, str(n)) for n in range(1, 6)]

    conference = models.ForeignKey(ClientConference, on_delete=models.CASCADE, related_name="evaluations")
    respondent = models.CharField(_("ingevuld door"), max_length=10, choices=Respondent.choices)
    heard = models.PositiveSmallIntegerField(_("iedereen kwam aan bod"), choices=SCALE)
    clear_agreements = models.PositiveSmallIntegerField(_("de afspraken zijn duidelijk"), choices=SCALE)
    helped = models.PositiveSmallIntegerField(_("het overleg heeft geholpen"), choices=SCALE)
    would_recommend = models.PositiveSmallIntegerField(_("ik zou het aanraden"), choices=SCALE)
    comment = models.TextField(_("opmerking"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluatie cliëntoverleg")
        verbose_name_plural = _("evaluaties cliëntoverleg")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "respondent"], name="conferenceevaluation_one_each"
            ),
            models.CheckConstraint(
                condition=Q(heard__range=(1, 5))
                & Q(clear_agreements__range=(1, 5))
                & Q(helped__range=(1, 5))
                & Q(would_recommend__range=(1, 5)),
                name="conferenceevaluation_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.get_respondent_display()
