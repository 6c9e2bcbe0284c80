"""Regions, sectors, organisations, networks and who sits where (DESIGN.md §3)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..validators import format_kbo, normalise_kbo, validate_kbo, validate_postcode


class Region(models.Model):
    """A zorgregio: the five provinces and Brussels. Seeded by a data migration."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sector(models.Model):
    """A sector is data, not an enum: new ones appear as policy changes."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("naam"), max_length=120, unique=True)
    abbreviation = models.CharField(_("afkorting"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectoren")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.abbreviation or self.name


class Organisation(models.Model):
    """A voorziening or dienst. The KBO number is optional; when given it must exist (check digits)."""

    name = models.CharField(_("naam"), max_length=200)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="+")
    municipality = models.CharField(_("gemeente"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True, validators=[validate_postcode])
    # Accepts what people type (BE 0123.456.749); stored as 10 digits by clean().
    kbo_number = models.CharField(
        _("KBO-nummer"),
        max_length=20,
        blank=True,
        validators=[validate_kbo],
        help_text=_("Ondernemingsnummer, bv. 0123.456.749. Optioneel."),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    # The people who speak for the organisation about its own staff: they confirm that a person
    # given a client-data role really works there (DESIGN.md §5) before the role takes effect.
    contact_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contactpersonen"),
        blank=True,
        related_name="contact_for_organisations",
        help_text=_("Bevestigen wie van deze organisatie toegang krijgt tot cliëntdossiers."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kbo_number"],
                condition=~Q(kbo_number=""),
                name="organisation_unique_kbo",
                violation_error_message=_("Er bestaat al een organisatie met dit KBO-nummer."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = self.name.strip()
        if not self.name:
            raise ValidationError({"name": _("Geef de naam van de organisatie.")})
        if self.kbo_number:
            self.kbo_number = normalise_kbo(self.kbo_number)

    @property
    def kbo_display(self) -> str:
        return format_kbo(self.kbo_number)


class NetworkQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NetworkQuerySet":
        """Networks the user has an active role in, plus every network of a region they staff.

        One query with subqueries, so list pages keep a constant query count.
        """
        if not user.is_authenticated:
            return self.none()
        mine = Membership.objects.active().filter(user=user)
        return self.filter(
            Q(pk__in=mine.filter(network__isnull=False).values("network_id"))
            | Q(region_id__in=mine.filter(region__isnull=False).values("region_id"))
        )

    def with_manage_flag(self, user) -> "NetworkQuerySet":
        """Annotate ``user_can_manage``: coordinator or chair here, or staff/admin of its region."""
        return self.annotate(user_can_manage=manage_flag(user, network_path="pk", region_path="region_id"))


def manage_flag(user, *, network_path: str = "network_id", region_path: str = "network__region_id"):
    """A boolean expression: may ``user`` manage the network found at ``network_path`` of the row?

    Managers are the network's coordinators and chairs, and staff or admins of its region. One
    expression, so any queryset of network-owned rows can carry the flag without extra queries.
    """
    mine = Membership.objects.active().filter(user=user)
    return ExpressionWrapper(
        Q(Exists(mine.filter(network=OuterRef(network_path), role__in=Membership.MANAGING_NETWORK_ROLES)))
        | Q(Exists(mine.filter(region=OuterRef(region_path), role__in=Membership.REGION_ROLES))),
        output_field=models.BooleanField(),
    )


class Network(models.Model):
    class Kind(models.TextChoices):
        RTJ = "rtj", _("RTJ-netwerk (rechtstreeks toegankelijke jeugdhulp)")
        CRISIS = "crisis", _("Crisisnetwerk")
        DETENTION = "detention", _("Netwerk hulp- en dienstverlening gedetineerden")
        # Not in DESIGN.md's first list; the foundation issue asks for a planmaker network.
        PLANMAKER = "planmaker", _("Planmakersnetwerk")

    class Status(models.TextChoices):
        STARTING = "starting", _("in opstart")
        ACTIVE = "active", _("actief")
        ENDED = "ended", _("stopgezet")

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="networks"
    )
    area = models.CharField(
        _("werkingsgebied"), max_length=200, help_text=_("Subregio, arrondissement of gevangenis.")
    )
    started_on = models.DateField(_("gestart op"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("netwerk")
        verbose_name_plural = _("netwerken")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="network_unique_name")]

    def __str__(self) -> str:
        return self.name


class Period(models.Model):
    """From–until dates shared by memberships; ``until`` empty means open-ended."""

    since = models.DateField(_("vanaf"), default=timezone.localdate)
    until = models.DateField(_("tot en met"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.since and self.until and self.until < self.since:
            raise ValidationError({"until": _("De einddatum ligt vóór de begindatum.")})

    def is_active_on(self, day: datetime.date) -> bool:
        return self.since <= day and (self.until is None or self.until >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())


class PeriodQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        day = on or timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=day), since__lte=day)

    def overlapping(self, since: datetime.date, until: datetime.date | None):
        overlap = Q(until__isnull=True) | Q(until__gte=since)
        if until is not None:
            overlap &= Q(since__lte=until)
        return self.filter(overlap)


class MembershipQuerySet(PeriodQuerySet):
    def active(self, on: datetime.date | None = None):
        """In its period and in effect: a grant of a client-data role counts only once the
        organisation confirmed it (DESIGN.md §5, "nobody opens client data to themselves")."""
        return self.in_period(on).filter(confirmation__in=Membership.EFFECTIVE_CONFIRMATIONS)

    def in_period(self, on: datetime.date | None = None):
        """In its period, whether or not it took effect yet (a grant waiting for confirmation)."""
        return super().active(on)

    def awaiting_confirmation(self):
        return self.filter(confirmation=Membership.Confirmation.PENDING)


class NetworkMembership(Period):
    """An organisation's place in a network."""

    class Kind(models.TextChoices):
        PARTICIPATING = "participating", _("deelnemend")
        SUBSTITUTE = "substitute", _("plaatsvervangend")
        FOLLOWS_BY_MINUTES = "follows", _("volgt via verslag")

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="network_memberships",
    )
    kind = models.CharField(
        _("soort lidmaatschap"), max_length=20, choices=Kind.choices, default=Kind.PARTICIPATING
    )
    # The organisations that form the network's broad entry (brede instap: CAW, CKG, CLB, K&G …)
    # carry the draaiboek: they fill in self-checks and refer under the referral agreements.
    is_broad_entry = models.BooleanField(
        _("brede instap"),
        default=False,
        help_text=_("Deze organisatie maakt deel uit van de brede instap van het netwerk."),
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidorganisatie")
        verbose_name_plural = _("lidorganisaties")
        ordering = ["organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="networkmembership_until_after_since",
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.network}"

    def clean(self) -> None:
        super().clean()
        if self.network_id and self.organisation_id and self.since:
            overlapping = (
                NetworkMembership.objects.filter(
                    network_id=self.network_id, organisation_id=self.organisation_id
                )
                .exclude(pk=self.pk)
                .overlapping(self.since, self.until)
            )
            if overlapping.exists():
                raise ValidationError(_("Deze organisatie is in die periode al lid van dit netwerk."))


class Body(models.Model):
    """An organ of a network: steering group, core group, working group, PMD, …"""

    class Kind(models.TextChoices):
        STEERING_GROUP = "steering_group", _("netwerkstuurgroep")
        CORE_GROUP = "core_group", _("kerngroep")
        WORKING_GROUP = "working_group", _("werkgroep")
        PMD = "pmd", _("PMD (planningsteam maatschappelijke dienstverlening)")
        LEARNING_NETWORK = "learning_network", _("lerend netwerk")
        FORUM = "forum", _("forum")
        PARTNER_MEETING = "partner_meeting", _("partnervergadering")
        # Detention networks: the standing consultations the strategic plan asks for (prison
        # management with the beleidsmedewerker; the psychosocial service with the trajectory team).
        CONSULTATION = "consultation", _("structureel overleg")

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="bodies"
    )
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("opdracht"), blank=True)
    # Who chairs the body (the PMD: the Flemish beleidsmedewerker). Empty for most bodies.
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorzitter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_bodies",
    )

    class Meta:
        verbose_name = _("orgaan")
        verbose_name_plural = _("organen")
        ordering = ["network", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="body_unique_name_per_network")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(Period):
    """A person's role in a network (or, for regional staff and admins, in a region)."""

    class Role(models.TextChoices):
        STEERING_MEMBER = "steering_member", _("lid netwerkstuurgroep / kerngroep / werkgroep")
        CHAIR = "chair", _("voorzitter")
        COORDINATOR = "coordinator", _("coördinator")
        STAFF = "staff", _("stafmedewerker / beleidsmedewerker (regioteam)")
        PLANMAKER = "planmaker", _("planmaker")
        CASEWORKER = "caseworker", _("hulpverlener")
        MELDPUNT = "meldpunt", _("medewerker crisismeldpunt")
        CHAIRPERSON_EXTERNAL = "chairperson_external", _("onafhankelijk voorzitter cliëntoverleg")
        # Detention networks (research 001, ch. 4): the Flemish policy officer who chairs the PMD,
        # the organisation supporter who keeps the offer, and the guide of individual detainees.
        POLICY_OFFICER = "policy_officer", _("beleidsmedewerker gevangenis (Vlaamse Gemeenschap)")
        OFFER_COORDINATOR = "offer_coordinator", _("organisatieondersteuner")
        TRAJECTORY_GUIDE = "trajectory_guide", _("trajectbegeleider gedetineerden")
        ADMIN = "admin", _("functioneel beheerder")
        AGENCY = "agency", _("medewerker Vlaamse administratie (agentschap)")

    # Roles held for a whole region (all its networks).
    REGION_ROLES = (Role.STAFF, Role.ADMIN)
    # Roles held for all of Flanders: neither a network nor a region.
    FLANDERS_ROLES = (Role.AGENCY,)
    # Every other role is held in one network.
    MANAGING_NETWORK_ROLES = (Role.COORDINATOR, Role.CHAIR)
    STEERING_ROLES = (Role.STEERING_MEMBER, Role.CHAIR)
    # Roles that open client files (DESIGN.md §2, §5). Granted only by a coordinator or chair of
    # the network, to a person of the organisation represented, in effect once that organisation
    # confirmed it, and never to an account that also sees all of a region or of Flanders.
    CLIENT_DATA_ROLES = (
        Role.CASEWORKER,
        Role.PLANMAKER,
        Role.MELDPUNT,
        Role.CHAIRPERSON_EXTERNAL,
        Role.TRAJECTORY_GUIDE,
    )
    # Accounts that see counts across networks: they never also hold a client-data role.
    OVERSIGHT_ROLES = (Role.STAFF, Role.ADMIN, Role.AGENCY)

    class Confirmation(models.TextChoices):
        NOT_NEEDED = "not_needed", _("niet nodig")
        PENDING = "pending", _("wacht op bevestiging door de organisatie")
        CONFIRMED = "confirmed", _("bevestigd door de organisatie")
        REFUSED = "refused", _("geweigerd door de organisatie")

    EFFECTIVE_CONFIRMATIONS = (Confirmation.NOT_NEEDED, Confirmation.CONFIRMED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("persoon"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    network = models.ForeignKey(
        Network,
        verbose_name=_("netwerk"),
        on_delete=models.CASCADE,
        related_name="people_memberships",
        null=True,
        blank=True,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        on_delete=models.CASCADE,
        related_name="staff_memberships",
        null=True,
        blank=True,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("vertegenwoordigt organisatie"),
        on_delete=models.PROTECT,
        related_name="people_memberships",
        null=True,
        blank=True,
    )

    class MandateStatus(models.TextChoices):
        MANDATED = "mandated", _("gemandateerd")
        OBSERVER = "observer", _("waarnemer (zonder mandaat)")

    mandate = models.TextField(
        _("mandaat"),
        blank=True,
        help_text=_("Waartoe mag deze persoon zich namens de organisatie engageren?"),
    )
    mandate_status = models.CharField(
        _("mandaatstatus"), max_length=10, choices=MandateStatus.choices, default=MandateStatus.OBSERVER
    )
    bodies = models.ManyToManyField(
        Body,
        verbose_name=_("zetelt in"),
        blank=True,
        related_name="seats",
        help_text=_("De organen waarvoor deze persoon uitgenodigd wordt."),
    )
    # Who gave the role and, for client-data roles, who of the organisation confirmed it: a
    # second person, so nobody opens client files on their own word (DESIGN.md §5).
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("toegekend door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("toegekend op"), null=True, blank=True)
    confirmation = models.CharField(
        _("bevestiging"), max_length=12, choices=Confirmation.choices, default=Confirmation.NOT_NEEDED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bevestigd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")
        ordering = ["user__last_name", "user__first_name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(network__isnull=False) & Q(region__isnull=True))
                | (Q(network__isnull=True) & Q(region__isnull=False))
                | (Q(network__isnull=True) & Q(region__isnull=True) & Q(role="agency")),
                name="membership_network_xor_region",
                violation_error_message=_(
                    "Een rol geldt voor één netwerk of voor één regio (de Vlaamse administratie: voor heel Vlaanderen)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
        ]
        indexes = [models.Index(fields=["user", "since", "until"], name="membership_user_period_idx")]

    def __str__(self) -> str:
        scope = self.network or self.region
        return f"{self.user} – {self.get_role_display()} ({scope})"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        is_region_role = self.role in self.REGION_ROLES
        if self.role in self.FLANDERS_ROLES:
            if self.network_id or self.region_id:
                errors["region"] = _("Deze rol geldt voor heel Vlaanderen: kies geen netwerk of regio.")
            if errors:
                raise ValidationError(errors)
            return
        if is_region_role and not self.region_id:
            errors["region"] = _("Deze rol geldt voor een hele regio: kies de regio.")
        if is_region_role and self.network_id:
            errors["network"] = _("Deze rol geldt voor een regio, niet voor één netwerk.")
        if self.role and not is_region_role and not self.network_id:
            errors["network"] = _("Deze rol geldt binnen een netwerk: kies het netwerk.")
        if not is_region_role and self.region_id:
            errors["region"] = _("Deze rol geldt binnen één netwerk, niet voor een regio.")
        if self.network_id and self.organisation_id and self.since and "network" not in errors:
            member = (
                NetworkMembership.objects.filter(
                    network_id=self.network_id, organisation_id=self.organisation_id
                )
                .overlapping(self.since, self.until)
                .exists()
            )
            if not member:
                errors["organisation"] = _(
                    "Deze organisatie is in die periode geen lid van het netwerk. "
                    "Voeg de organisatie eerst toe aan het netwerk."
                )
        if errors:
            raise ValidationError(errors)

    @property
    def scope(self) -> Network | Region | None:
        return self.network or self.region

    @property
    def opens_client_data(self) -> bool:
        return self.role in self.CLIENT_DATA_ROLES

    @property
    def is_in_effect(self) -> bool:
        return self.is_active and self.confirmation in self.EFFECTIVE_CONFIRMATIONS

    @property
    def holds_mandate(self) -> bool:
        return self.mandate_status == self.MandateStatus.MANDATED
