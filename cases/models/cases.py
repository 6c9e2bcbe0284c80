"""Clients, cases, the case team, consent and the case timeline.

The need-to-know rule of DESIGN.md §5 lives in ``cases.access`` (``visible_cases`` and the other
paths), the only door views use.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.files import private_path
from networks.models import Membership, Network, Organisation
from networks.validators import validate_postcode

# Network roles that can give access to case data, each only for the cases the rules of
# cases/access.py allow (a person named on a case team needs one of them in that network).
CASE_ROLES = Membership.CLIENT_DATA_ROLES

# No 0/O, 1/I/L: a pseudonym is read aloud on the phone and typed over from paper.
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_pseudonym() -> str:
    body = "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(8))
    return f"CL-{body[:4]}-{body[4:]}"


class Client(models.Model):
    """A young person (or detainee). Outside the case team only the pseudonym is ever shown."""

    class Gender(models.TextChoices):
        FEMALE = "f", _("meisje / vrouw")
        MALE = "m", _("jongen / man")
        X = "x", _("X")
        UNKNOWN = "u", _("onbekend")

    pseudonym = models.CharField(
        _("pseudoniem"), max_length=16, unique=True, default=new_pseudonym, editable=False
    )
    # Identifying: case team only (DESIGN.md §5). Never in reports, exports or audit values.
    first_name = models.CharField(_("voornaam"), max_length=100, blank=True)
    last_name = models.CharField(_("familienaam"), max_length=100, blank=True)
    birth_date = models.DateField(_("geboortedatum"), null=True, blank=True)
    # Not identifying on its own; reports use it for age bands.
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.UNKNOWN)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True, validators=[validate_postcode])
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    IDENTIFYING_FIELDS = ("first_name", "last_name", "birth_date")

    class Meta:
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")

    def __str__(self) -> str:
        # Deliberately the pseudonym: str() ends up in logs, admin lists and error pages.
        return self.pseudonym

    def clean(self) -> None:
        errors = {}
        today = timezone.localdate()
        if self.birth_date:
            if self.birth_date > today:
                errors["birth_date"] = _("De geboortedatum ligt in de toekomst.")
            elif self.birth_date.year < today.year - 100:
                errors["birth_date"] = _("Deze geboortedatum ligt meer dan 100 jaar terug. Kijk ze na.")
            elif self.birth_year and self.birth_year != self.birth_date.year:
                errors["birth_year"] = _("Het geboortejaar past niet bij de geboortedatum.")
            else:
                self.birth_year = self.birth_date.year
        if self.birth_year and not errors.get("birth_date"):
            if self.birth_year > today.year:
                errors["birth_year"] = _("Het geboortejaar ligt in de toekomst.")
            elif self.birth_year < today.year - 100:
                errors["birth_year"] = _("Dit geboortejaar ligt meer dan 100 jaar terug. Kijk het na.")
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def age_on(self, day: datetime.date) -> int | None:
        """Exact from the birth date; from the birth year alone, the age reached that calendar year."""
        if self.birth_date:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - before_birthday
        if self.birth_year:
            return day.year - self.birth_year
        return None


class CaseTeamMemberQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        day = on or timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=day), since__lte=day)


class CaseQuerySet(models.QuerySet):
    """Who may see which case is not decided here: ``cases.access.visible_cases`` is the rule."""

    def open(self):
        return self.filter(closed_on__isnull=True)


class Case(models.Model):
    """A dossier: one client's file in one network."""

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.PROTECT, related_name="cases"
    )
    client = models.ForeignKey(
        Client, verbose_name=_("cliënt"), on_delete=models.PROTECT, related_name="cases"
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("trekkende organisatie"),
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    opened_on = models.DateField(_("geopend op"), default=timezone.localdate)
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    # Free text about a client: case team only, never in reports.
    summary = models.TextField(_("hulpvraag en context"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
                violation_error_message=_("De afsluitdatum ligt vóór de openingsdatum."),
            ),
        ]
        indexes = [models.Index(fields=["network", "-opened_on"], name="case_network_opened_idx")]

    def __str__(self) -> str:
        return _("Dossier %(pseudonym)s") % {"pseudonym": self.client.pseudonym}

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CaseTeamMember(models.Model):
    """An organisation (and optionally a named person of it) on the case team."""

    class Role(models.TextChoices):
        LEAD = "lead", _("trekker")
        CASEWORKER = "caseworker", _("hulpverlener")
        CASE_MANAGER = "case_manager", _("casemanager")
        PLANMAKER = "planmaker", _("planmaker")
        TRAJECTORY_GUIDE = "trajectory_guide", _("trajectbegeleider")
        OTHER = "other", _("andere betrokkene")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="case_team_rows"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persoon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_team_rows",
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.CASEWORKER)
    since = models.DateField(_("vanaf"), default=timezone.localdate)
    until = models.DateField(_("tot en met"), null=True, blank=True)
    # Which consent allowed sharing with this organisation (empty for the lead organisation).
    consent = models.ForeignKey(
        "Consent",
        verbose_name=_("toestemming"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CaseTeamMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("lid van het dossierteam")
        verbose_name_plural = _("dossierteam")
        ordering = ["case", "since", "id"]
        indexes = [
            models.Index(fields=["user", "case"], name="caseteam_user_case_idx"),
            models.Index(fields=["organisation", "case"], name="caseteam_org_case_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="caseteammember_until_after_since",
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.organisation} ({self.get_role_display()})"


class DataField(models.TextChoices):
    """What a referral's data sheet may carry; the consent says which of these may be shared."""

    NAME = "name", _("naam")
    BIRTH_DATE = "birth_date", _("geboortedatum")
    POSTCODE = "postcode", _("postcode")
    GENDER = "gender", _("gender")
    QUESTION = "question", _("hulpvraag en context")
    CARE_PLAN = "care_plan", _("lopende afspraken uit het werkplan")
    TEAM = "team", _("betrokken organisaties")


def consent_evidence_path(instance, filename: str) -> str:
    return private_path("consents", filename)


class ConsentQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None):
        """Given on or before the day, not expired, not withdrawn (withdrawal counts from its day)."""
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
            given_on__lte=day,
        )

    def covering(
        self, purpose: str, organisation: Organisation | None = None, *, on: datetime.date | None = None
    ):
        """In force, for ``purpose`` (a ``Consent.Purpose``), and naming ``organisation`` if given.

        A recorded legal ground that names no organisation covers every organisation.
        """
        queryset = self.in_force(on).filter(**{Consent.PURPOSE_FIELDS[purpose]: True})
        if organisation is not None:
            named = Consent.organisations.through.objects.filter(
                consent_id=OuterRef("pk"), organisation_id=organisation.pk
            )
            names_none = ~Exists(Consent.organisations.through.objects.filter(consent_id=OuterRef("pk")))
            queryset = queryset.filter(Exists(named) | (Q(basis=Consent.Basis.LEGAL_GROUND) & names_none))
        return queryset


class Consent(models.Model):
    """Toestemming (or a recorded legal ground) to share a client's data for given purposes."""

    class Basis(models.TextChoices):
        CONSENT = "consent", _("toestemming")
        LEGAL_GROUND = "legal_ground", _("wettelijke grond")

    class GivenBy(models.TextChoices):
        YOUNG_PERSON = "young_person", _("de jongere zelf (vanaf 12 jaar)")
        PARENT = "parent", _("ouder")
        GUARDIAN = "guardian", _("voogd")

    class Purpose(models.TextChoices):
        CASE_TEAM = "case_team", _("organisatie toevoegen aan het dossierteam")
        REFERRAL = "referral", _("verwijzing met cliëntgegevens")
        CONFERENCE = "conference", _("cliëntoverleg")
        # A detainee may let named prison staff (the psychosocial service, prison management) see
        # their guidance; without it they see counts only (issue 20 §4).
        PRISON_STAFF = "prison_staff", _("inzage door gevangenispersoneel (PSD, directie)")

    PURPOSE_FIELDS = {
        Purpose.CASE_TEAM: "covers_case_team",
        Purpose.REFERRAL: "covers_referrals",
        Purpose.CONFERENCE: "covers_conference",
        Purpose.PRISON_STAFF: "covers_prison_staff",
    }
    YOUNG_PERSON_MIN_AGE = 12

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    basis = models.CharField(_("grond"), max_length=12, choices=Basis.choices, default=Basis.CONSENT)
    given_by = models.CharField(_("gegeven door"), max_length=12, choices=GivenBy.choices, blank=True)
    giver_name = models.CharField(_("naam van wie toestemt"), max_length=200, blank=True)
    legal_ground = models.CharField(
        _("wettelijke grond"),
        max_length=250,
        blank=True,
        help_text=_("Bijvoorbeeld een beslissing van de jeugdrechter of een decreetsartikel."),
    )
    covers_case_team = models.BooleanField(_("dossierteam"), default=False)
    covers_referrals = models.BooleanField(_("verwijzingen"), default=False)
    covers_conference = models.BooleanField(_("cliëntoverleg"), default=False)
    covers_prison_staff = models.BooleanField(_("gevangenispersoneel"), default=False)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisaties"), blank=True, related_name="+"
    )
    data_fields = models.JSONField(_("gegevens die gedeeld mogen worden"), default=list, blank=True)
    named_people = models.TextField(
        _("genoemde personen zonder beroepsgeheim"),
        blank=True,
        help_text=_("Eén naam per regel: wie zonder beroepsgeheim aan het cliëntoverleg mag deelnemen."),
    )
    given_on = models.DateField(_("gegeven op"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    evidence = models.FileField(_("bewijsstuk"), upload_to=consent_evidence_path, blank=True)
    evidence_note = models.TextField(_("notitie als bewijs"), blank=True)
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    withdrawal_note = models.TextField(_("toelichting intrekking"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("given_on")),
                name="consent_valid_after_given",
                violation_error_message=_("De einddatum ligt vóór de datum van de toestemming."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("De intrekking ligt vóór de datum van de toestemming."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(basis)s van %(day)s") % {
            "basis": self.get_basis_display(),
            "day": self.given_on.strftime("%d/%m/%Y"),
        }

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.given_on and self.given_on > today:
            errors["given_on"] = _("Een toestemming kan niet in de toekomst gegeven zijn.")
        if self.given_on and self.valid_until and self.valid_until < self.given_on:
            errors["valid_until"] = _("De einddatum ligt vóór de datum van de toestemming.")
        if self.given_on and self.withdrawn_on and self.withdrawn_on < self.given_on:
            errors["withdrawn_on"] = _("De intrekking ligt vóór de datum van de toestemming.")
        if self.withdrawn_on and self.withdrawn_on > today:
            errors["withdrawn_on"] = _(
                "Een intrekking registreer je op de dag zelf of achteraf, niet vooraf."
            )
        if self.basis == self.Basis.CONSENT:
            if not self.given_by:
                errors["given_by"] = _("Kies wie de toestemming gaf.")
            if not (self.evidence or self.evidence_note.strip()):
                errors["evidence_note"] = _(
                    "Voeg het ondertekende formulier toe of noteer hoe de toestemming gegeven werd."
                )
        elif not self.legal_ground.strip():
            errors["legal_ground"] = _("Omschrijf de wettelijke grond.")
        if not (
            self.covers_case_team
            or self.covers_referrals
            or self.covers_conference
            or self.covers_prison_staff
        ):
            errors["covers_case_team"] = _("Kies waarvoor de toestemming geldt.")
        unknown = set(self.data_fields or []) - set(DataField.values)
        if unknown:
            errors["data_fields"] = _("Onbekende gegevens: %(fields)s.") % {
                "fields": ", ".join(sorted(unknown))
            }
        if (
            self.basis == self.Basis.CONSENT
            and self.given_by == self.GivenBy.YOUNG_PERSON
            and self.given_on
            and self.case_id
        ):
            age = self.case.client.age_on(self.given_on)
            if age is not None and age < self.YOUNG_PERSON_MIN_AGE:
                errors["given_by"] = _(
                    "De jongere was toen %(age)s jaar: onder 12 jaar geeft een ouder of voogd toestemming."
                ) % {"age": age}
        if errors:
            raise ValidationError(errors)

    def is_in_force(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.given_on <= day
            and (self.valid_until is None or self.valid_until >= day)
            and (self.withdrawn_on is None or self.withdrawn_on > day)
        )

    class State(models.TextChoices):
        """Where a consent stands today (computed, not stored)."""

        IN_FORCE = "in_force", _("van kracht")
        NOT_YET = "not_yet", _("nog niet van kracht")
        EXPIRED = "expired", _("verlopen")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    def state_on(self, day: datetime.date | None = None) -> "Consent.State":
        day = day or timezone.localdate()
        if self.withdrawn_on is not None and self.withdrawn_on <= day:
            return self.State.WITHDRAWN
        if self.valid_until is not None and self.valid_until < day:
            return self.State.EXPIRED
        if self.given_on > day:
            return self.State.NOT_YET
        return self.State.IN_FORCE

    @property
    def state(self) -> "Consent.State":
        return self.state_on()

    @property
    def purposes(self) -> list[str]:
        return [
            str(label)
            for purpose, label in self.Purpose.choices
            if getattr(self, self.PURPOSE_FIELDS[purpose])
        ]

    @property
    def data_field_labels(self) -> list[str]:
        labels = dict(DataField.choices)
        return [str(labels.get(value, value)) for value in self.data_fields or []]

    @property
    def named_people_list(self) -> list[str]:
        return [line.strip() for line in self.named_people.splitlines() if line.strip()]

    def names(self, person_name: str) -> bool:
        wanted = " ".join(person_name.split()).casefold()
        return any(" ".join(name.split()).casefold() == wanted for name in self.named_people_list)


class TimelineEvent(models.Model):
    """What happened on a case, in order, for the case team. The audit log says who did it."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("dossier geopend")
        UPDATED = "updated", _("dossier aangepast")
        CLOSED = "closed", _("dossier afgesloten")
        TEAM_ADDED = "team_added", _("toegevoegd aan het dossierteam")
        TEAM_ENDED = "team_ended", _("uit het dossierteam")
        CONSENT_RECORDED = "consent_recorded", _("toestemming geregistreerd")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("toestemming ingetrokken")
        SHARING_REVIEWED = (
            "sharing_reviewed",
            _("beslist over gegevens gedeeld onder een ingetrokken toestemming"),
        )
        INVITATIONS_CANCELLED = "invitations_cancelled", _("uitnodigingen geannuleerd")
        CONFERENCE_REQUESTED = "conference_requested", _("cliëntoverleg aangevraagd")
        CONFERENCE_ADMISSIBLE = "conference_admissible", _("cliëntoverleg ontvankelijk")
        CONFERENCE_NOT_ADMISSIBLE = "conference_not_admissible", _("cliëntoverleg niet ontvankelijk")
        CHAIR_ASSIGNED = "chair_assigned", _("voorzitter toegewezen")
        SESSION_PLANNED = "session_planned", _("overleg gepland")
        SESSION_HELD = "session_held", _("overleg gehouden")
        SESSION_CANCELLED = "session_cancelled", _("overleg geannuleerd")
        PLAN_ITEM_ADDED = "plan_item_added", _("afspraak in het werkplan")
        PLAN_ITEM_UPDATED = "plan_item_updated", _("afspraak opgevolgd")
        CASE_MANAGER_NAMED = "case_manager_named", _("casemanager aangeduid")
        CONFERENCE_CLOSED = "conference_closed", _("cliëntoverleg afgesloten")
        CONFERENCE_WITHDRAWN = "conference_withdrawn", _("aanvraag cliëntoverleg ingetrokken")
        EVALUATION = "evaluation", _("evaluatie ingevuld")
        REFERRAL_SENT = "referral_sent", _("verwezen")
        REFERRAL_UPDATED = "referral_updated", _("verwijzing opgevolgd")
        DOCUMENT = "document", _("document aangemaakt")
        # Trajectory guidance of detainees (issue 20)
        GUIDANCE_STARTED = "guidance_started", _("trajectbegeleiding gestart")
        PLAN_GOAL_ADDED = "plan_goal_added", _("doel in het detentie- en re-integratieplan")
        ACTIVITY_REFERRAL = "activity_referral", _("toegeleid naar een activiteit")
        OUTSIDE_REFERRAL = "outside_referral", _("doorverwezen naar een dienst buiten de gevangenis")
        RELEASE_PLANNED = "release_planned", _("vrijlating gepland")
        RELEASE_WARNING = "release_warning", _("vrijlating binnen drie maanden: voorbereiding starten")
        TRANSFER_PROPOSED = "transfer_proposed", _("overplaatsing voorgesteld")
        TRANSFER_ACCEPTED = "transfer_accepted", _("overplaatsing aanvaard")
        TRANSFER_REFUSED = "transfer_refused", _("overplaatsing geweigerd")
        TRANSFER_WITHDRAWN = "transfer_withdrawn", _("overplaatsing ingetrokken")
        PLAN_GOAL_REACHED = "plan_goal_reached", _("doel van het plan bereikt")
        PLAN_GOAL_DROPPED = "plan_goal_dropped", _("doel van het plan stopgezet")
        TRANSFERRED_IN = "transferred_in", _("overgenomen na overplaatsing")
        GUIDANCE_ENDED = "guidance_ended", _("trajectbegeleiding afgesloten")
        CRISIS_EPISODE = "crisis_episode", _("crisisepisode gekoppeld")
        CRISIS_STEP_STARTED = "crisis_step_started", _("crisisstap gestart")
        CRISIS_STEP_ENDED = "crisis_step_ended", _("crisisstap beëindigd")
        CRISIS_SHELTER_EXTENDED = "crisis_shelter_extended", _("crisisopvang verlengd")
        CRISIS_EPISODE_CLOSED = "crisis_episode_closed", _("crisisepisode afgesloten")
        TRAJECTORY_REFERRED = "trajectory_referred", _("aangemeld bij de planmakers")
        TRAJECTORY_DECIDED = "trajectory_decided", _("beslissing over de aanmelding bij de planmakers")
        TRAJECTORY_PHASE = "trajectory_phase", _("planmakerstraject naar een volgende fase")
        SHARED_PLAN_ADDED = "shared_plan_added", _("punt toegevoegd aan het gedeeld plan")
        SHARED_PLAN_UPDATED = "shared_plan_updated", _("punt van het gedeeld plan aangepast")
        BOTTLENECK_SIGNALLED = "bottleneck_signalled", _("knelpunt gesignaleerd")
        TRAJECTORY_MEETING_DUE = "trajectory_meeting_due", _("samenwerkingsoverleg ingepland")
        TRAJECTORY_MEETING_HELD = "trajectory_meeting_held", _("samenwerkingsoverleg gehouden")
        TRAJECTORY_MEETING_PLANNED = "trajectory_meeting_planned", _("samenwerkingsoverleg gepland")
        TRAJECTORY_MEETING_REPLANNED = "trajectory_meeting_replanned", _("samenwerkingsoverleg verplaatst")
        INTERVISIE_ADDED = "intervisie_added", _("intervisie door de planmakers")
        SUPPORT_PERSON_ADDED = "support_person_added", _("steunfiguur toegevoegd")
        SUPPORT_PERSON_UPDATED = "support_person_updated", _("steunfiguur aangepast")
        SUPPORT_PERSON_ENDED = "support_person_ended", _("steunfiguur beëindigd")
        CRISIS_CONFLICT_RAISED = "crisis_conflict_raised", _("praktijkoverleg gevraagd")
        CRISIS_CONFLICT_RESOLVED = "crisis_conflict_resolved", _("praktijkoverleg beslist")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    detail = models.CharField(_("detail"), max_length=250, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("tijdlijngebeurtenis")
        verbose_name_plural = _("tijdlijn")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"], name="timeline_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}"
