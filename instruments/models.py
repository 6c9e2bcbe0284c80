"""Network-level definitions of the instruments a network uses (DESIGN.md §3, §4).

Nothing here is client data: the instrument registry, life domains, referral agreements and the
directory built on them, and the draaiboek brede instap with each organisation's self-check.
The use of an instrument on a client's case lives in ``cases``.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Network, Organisation


class Instrument(models.Model):
    """An instrument a network has adopted, with how binding it is for the members."""

    class Kind(models.TextChoices):
        PLAYBOOK = "playbook", _("draaiboek brede instap")
        CLIENT_CONFERENCE = "client_conference", _("cliëntoverleg")
        REFERRAL_AGREEMENTS = "referral_agreements", _("verwijsafspraken")
        SHARED_CARE = "shared_care", _("debat gedeelde zorg")
        CRISIS_PROGRAMME = "crisis_programme", _("crisishulpprogramma")
        PLANMAKER = "planmaker", _("planmakerstraject")
        OTHER = "other", _("ander instrument")

    class Binding(models.TextChoices):
        MANDATORY = "mandatory", _("verplicht")
        DESIRED = "desired", _("gewenst")
        OPTIONAL = "optional", _("vrijblijvend")

    class Origin(models.TextChoices):
        FLEMISH = "flemish", _("Vlaams")
        LOCAL = "local", _("lokaal")

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="instruments"
    )
    kind = models.CharField(_("soort"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=200)
    binding = models.CharField(
        _("verbindend karakter"), max_length=10, choices=Binding.choices, default=Binding.DESIRED
    )
    origin = models.CharField(_("oorsprong"), max_length=10, choices=Origin.choices, default=Origin.FLEMISH)
    version = models.CharField(_("versie"), max_length=20, blank=True)
    in_use_since = models.DateField(_("in gebruik sinds"), null=True, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contactpersoon"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instrumenten")
        ordering = ["network", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"],
                name="instrument_unique_name_per_network",
                violation_error_message=_("Dit netwerk heeft al een instrument met deze naam."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LifeDomain(models.Model):
    """A levensdomein: care-plan items and the referral directory are organised by it. Seeded."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("levensdomein")
        verbose_name_plural = _("levensdomeinen")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


# ── Verwijsafspraken ──────────────────────────────────────────────────────────────────────────


class ReferralAgreementQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day), valid_from__lte=day)

    def serving(self, *, postcode: str = "", age: int | None = None, domain_id: int | None = None):
        """The directory's search: agreements whose target group covers this postcode, age and need.

        Everything happens in SQL (an EXISTS on the served areas) so a search is one query.
        """
        queryset = self
        # isascii: "²" and other Unicode digits pass isdigit() but make int() fail (a 500).
        if postcode and postcode.isascii() and postcode.isdigit():
            number = int(postcode)
            served = ReferralArea.objects.filter(
                agreement=OuterRef("pk"), postcode_from__lte=number, postcode_to__gte=number
            )
            # An agreement without areas serves the whole working area of its network.
            queryset = queryset.filter(
                Exists(served) | ~Exists(ReferralArea.objects.filter(agreement=OuterRef("pk")))
            )
        if age is not None:
            queryset = queryset.filter(
                Q(age_min__isnull=True) | Q(age_min__lte=age), Q(age_max__isnull=True) | Q(age_max__gte=age)
            )
        if domain_id:
            # EXISTS rather than a join: no duplicate rows, whatever else joins the domains table.
            queryset = queryset.filter(
                Exists(
                    ReferralAgreement.domains.through.objects.filter(
                        referralagreement_id=OuterRef("pk"), lifedomain_id=domain_id
                    )
                )
            )
        return queryset


class ReferralAgreement(models.Model):
    """A verwijsafspraak: how the broad-entry organisations refer to one partner's offer."""

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="referral_agreements"
    )
    title = models.CharField(_("titel"), max_length=200)
    receiving_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("ontvangende organisatie"),
        on_delete=models.PROTECT,
        related_name="referral_agreements_receiving",
    )
    referring_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("verwijzende organisaties (brede instap)"),
        related_name="referral_agreements_referring",
        blank=True,
    )
    offer = models.CharField(_("aanbod"), max_length=200, help_text=_("Welke hulp het aanbod biedt."))
    target_group = models.TextField(_("doelgroep"))
    domains = models.ManyToManyField(
        LifeDomain, verbose_name=_("levensdomeinen (noden)"), related_name="referral_agreements", blank=True
    )
    age_min = models.PositiveSmallIntegerField(_("leeftijd vanaf"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("leeftijd tot en met"), null=True, blank=True)
    conditions = models.TextField(_("voorwaarden"), blank=True)
    letter_requirements = models.TextField(
        _("inhoud verwijsbrief"), blank=True, help_text=_("Wat de verwijsbrief moet bevatten.")
    )
    contact_point = models.CharField(_("aanspreekpunt"), max_length=250)
    contact_phone = models.CharField(_("telefoon aanspreekpunt"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail aanspreekpunt"), blank=True)
    valid_from = models.DateField(_("geldig vanaf"))
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    signatories = models.ManyToManyField(
        Organisation,
        through="ReferralAgreementSignatory",
        verbose_name=_("ondertekenaars"),
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ReferralAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("verwijsafspraak")
        verbose_name_plural = _("verwijsafspraken")
        ordering = ["network", "receiving_organisation__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="referralagreement_until_after_from",
                violation_error_message=_("De einddatum ligt vóór de begindatum."),
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_max__gte=models.F("age_min")),
                name="referralagreement_age_range",
                violation_error_message=_("De maximumleeftijd ligt onder de minimumleeftijd."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("De einddatum ligt vóór de begindatum.")
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            errors["age_max"] = _("De maximumleeftijd ligt onder de minimumleeftijd.")
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)


class ReferralArea(models.Model):
    """A range of postcodes an agreement's offer serves (one postcode: from = to)."""

    agreement = models.ForeignKey(ReferralAgreement, on_delete=models.CASCADE, related_name="areas")
    postcode_from = models.PositiveSmallIntegerField(_("postcode van"))
    postcode_to = models.PositiveSmallIntegerField(_("postcode tot en met"))

    class Meta:
        verbose_name = _("werkingsgebied")
        verbose_name_plural = _("werkingsgebieden")
        ordering = ["postcode_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode_to__gte=models.F("postcode_from")), name="referralarea_range_order"
            ),
        ]

    def __str__(self) -> str:
        if self.postcode_from == self.postcode_to:
            return str(self.postcode_from)
        return f"{self.postcode_from}–{self.postcode_to}"


class ReferralAgreementSignatory(models.Model):
    agreement = models.ForeignKey(ReferralAgreement, on_delete=models.CASCADE, related_name="signatures")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField(_("ondertekend op"), null=True, blank=True)

    class Meta:
        verbose_name = _("ondertekenaar")
        verbose_name_plural = _("ondertekenaars")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"],
                name="referralagreementsignatory_unique",
                violation_error_message=_("Deze organisatie staat al bij de ondertekenaars."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


# ── Draaiboek brede instap ────────────────────────────────────────────────────────────────────


class Playbook(models.Model):
    """A version of the draaiboek brede instap. Published versions are frozen; a change is a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("ontwerp")
        PUBLISHED = "published", _("gepubliceerd")
        RETIRED = "retired", _("vervangen")

    network = models.ForeignKey(
        Network,
        verbose_name=_("netwerk"),
        on_delete=models.CASCADE,
        related_name="playbooks",
        help_text=_("Leeg voor de Vlaamse versie die elk netwerk kan gebruiken."),
        null=True,
        blank=True,
    )
    title = models.CharField(_("titel"), max_length=200)
    version = models.CharField(_("versie"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(_("gepubliceerd op"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("vorige versie"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_versions",
    )

    class Meta:
        verbose_name = _("draaiboek")
        verbose_name_plural = _("draaiboeken")
        ordering = ["title", "-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "title", "version"],
                name="playbook_unique_version",
                violation_error_message=_("Deze versie van het draaiboek bestaat al."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT


class PlaybookStep(models.Model):
    class Kind(models.TextChoices):
        ACCESS_DOOR = "access_door", _("toegangsdeur")
        RECEPTION = "reception", _("onthaal")
        QUESTION_CLARIFICATION = "question_clarification", _("vraagverheldering")
        OFFER_CLARIFICATION = "offer_clarification", _("aanbodsverheldering")
        CARE_PROPOSAL = "care_proposal", _("hulpverleningsvoorstel")
        DISPATCHING = "dispatching", _("dispatching")

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("stap"), max_length=30, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("volgorde"))
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["playbook", "order"]
        constraints = [
            models.UniqueConstraint(fields=["playbook", "kind"], name="playbookstep_unique_kind"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class PlaybookTask(models.Model):
    step = models.ForeignKey(PlaybookStep, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(_("volgorde"))
    title = models.CharField(_("taak"), max_length=250)
    expected_result = models.TextField(_("verwacht resultaat"))
    quality_check = models.TextField(_("kwaliteitstoets"))
    supporting_instruments = models.CharField(_("ondersteunende instrumenten"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        ordering = ["step__order", "order"]

    def __str__(self) -> str:
        return self.title


class PlaybookAdoption(models.Model):
    """One organisation's self-check against one playbook version (zelftoets)."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("bezig")
        COMPLETED = "completed", _("afgerond")

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="playbook_adoptions"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="playbook_adoptions",
    )
    playbook = models.ForeignKey(
        Playbook, verbose_name=_("draaiboek"), on_delete=models.PROTECT, related_name="adoptions"
    )
    started_on = models.DateField(_("gestart op"), default=timezone.localdate)
    completed_on = models.DateField(_("afgerond op"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("zelftoets draaiboek")
        verbose_name_plural = _("zelftoetsen draaiboek")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.playbook}"


class TaskCheck(models.Model):
    """Per task of the playbook: met, partly met or not met, with a note."""

    class Rating(models.TextChoices):
        MET = "met", _("voldaan")
        PARTLY = "partly", _("deels voldaan")
        NOT_MET = "not_met", _("niet voldaan")

    adoption = models.ForeignKey(PlaybookAdoption, on_delete=models.CASCADE, related_name="checks")
    task = models.ForeignKey(PlaybookTask, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("beoordeling"), max_length=10, choices=Rating.choices)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("toets per taak")
        verbose_name_plural = _("toetsen per taak")
        constraints = [
            models.UniqueConstraint(fields=["adoption", "task"], name="taskcheck_one_per_task"),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.get_rating_display()}"


class ImprovementAction(models.Model):
    """A gap found in a self-check, tagged with the level that can act on it."""

    class Level(models.TextChoices):
        ORGANISATION = "organisation", _("organisatie")
        NETWORK = "network", _("netwerk")
        FLEMISH = "flemish", _("Vlaamse administratie")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("lopend")
        DONE = "done", _("gerealiseerd")
        DROPPED = "dropped", _("geschrapt")

    adoption = models.ForeignKey(
        PlaybookAdoption, on_delete=models.CASCADE, related_name="improvement_actions"
    )
    task = models.ForeignKey(
        PlaybookTask,
        verbose_name=_("taak"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    level = models.CharField(_("niveau"), max_length=12, choices=Level.choices)
    description = models.TextField(_("verbeteractie"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trekker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("tegen"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    status_note = models.TextField(_("opvolging"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("verbeteractie")
        verbose_name_plural = _("verbeteracties")
        ordering = ["status", "due_on", "id"]

    def __str__(self) -> str:
        return self.description[:80]


# The offer in a prison (issue 20): its own module, re-exported here for Django and the imports.
# The crisis programme has its own module (issue 18); imported here so Django finds its models.
from .crisis_models import (  # noqa: E402, F401
    CrisisCapacityShare,
    CrisisProgramme,
    CrisisProvider,
    CrisisStepKind,
    OnCallShift,
)
from .models_engagements import Engagement as Engagement  # noqa: E402
from .models_offer import Activity as Activity  # noqa: E402
from .models_offer import ActivitySession as ActivitySession  # noqa: E402
from .models_offer import Enrolment as Enrolment  # noqa: E402
from .models_offer import OfferFolder as OfferFolder  # noqa: E402
from .models_offer import SecurityEvent as SecurityEvent  # noqa: E402
