"""The planmakers' learning network (lerend netwerk) and forum (issue 19 §6; research 003).

The learning network is a ``Body`` of kind learning network of a planmaker network; its meetings
are the one ``Meeting`` model. Planmakers and the coordinator propose *themes* from what they
found in trajectories (research 003: "Planmakers en coördinator stellen een thema voor uit casus
gebonden bevindingen"); a theme groups bottlenecks, records findings, the expertise invited
("poule mensen met verschillende expertise (o.a. cliëntvertegenwoordiger)") and an advice. A
*signal note* (signaalnota) to the administration is made from a theme, or from a selection of
bottlenecks, as a PDF by the worker; the yearly forum (a ``Meeting`` of a ``Body`` of kind forum)
is where the notes are presented.

No client data anywhere here (DESIGN.md §5): themes and notes are about rules and services. The
signal note's figures are a snapshot taken when it is requested, with the counts of blocked
trajectories already suppressed below 5, so the worker never reads a trajectory.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ijh.files import private_path

from .bottlenecks import Bottleneck
from .meetings import Meeting
from .structure import Network, Organisation

# Research 003 (procesflow, mesoniveau): the learning network meets "minstens 4x/jaar"; the forum
# "minstens 1x/jaar een halve dag" (macroniveau). Checked against shared/research/FACTS.md.
MIN_LEARNING_MEETINGS_PER_YEAR = 4
MIN_FORUMS_PER_YEAR = 1


class LearningTheme(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("voorgesteld")
        DISCUSSED = "discussed", _("besproken in het lerend netwerk")
        SIGNALLED = "signalled", _("gesignaleerd aan de overheid")

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="learning_themes"
    )
    title = models.CharField(_("thema"), max_length=200)
    question = models.TextField(
        _("aanleiding"),
        blank=True,
        help_text=_("Wat de planmakers in de trajecten zagen, zonder cliëntgegevens."),
    )
    bottlenecks = models.ManyToManyField(
        Bottleneck, verbose_name=_("knelpunten"), blank=True, related_name="themes"
    )
    findings = models.TextField(_("bevindingen"), blank=True)
    advice = models.TextField(_("advies"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    discussed_in = models.ManyToManyField(
        Meeting, verbose_name=_("besproken op"), blank=True, related_name="learning_themes"
    )
    proposed_on = models.DateField(_("voorgesteld op"), default=timezone.localdate)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("thema van het lerend netwerk")
        verbose_name_plural = _("thema's van het lerend netwerk")
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "title"], name="learningtheme_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class ThemeExpert(models.Model):
    """Expertise invited to the learning network for a theme: a person, an organisation, or both.

    The client representative (cliëntvertegenwoordiger / ervaringsdeskundige) is recorded as
    such; the signal note names kinds and organisations, never a person.
    """

    class Kind(models.TextChoices):
        CLIENT_REPRESENTATIVE = "client_rep", _("cliëntvertegenwoordiger / ervaringsdeskundige")
        PROVIDER = "provider", _("hulpverlening of dienst uit de regio")
        EXPERT = "expert", _("deskundige (onderzoek, onderwijs, …)")
        ADMINISTRATION = "administration", _("overheid of administratie")

    theme = models.ForeignKey(LearningTheme, on_delete=models.CASCADE, related_name="experts")
    kind = models.CharField(_("soort"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation_name = models.CharField(
        _("andere organisatie"), max_length=200, blank=True, help_text=_("Als ze niet in de lijst staat.")
    )
    expertise = models.CharField(_("inbreng"), max_length=250)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("uitgenodigd op"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("uitgenodigde expertise")
        verbose_name_plural = _("uitgenodigde expertise")
        ordering = ["theme", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | Q(organisation__isnull=False) | ~Q(organisation_name=""),
                name="themeexpert_someone",
                violation_error_message=_("Geef een naam of een organisatie."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.organisation_label

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


def signal_note_path(instance, filename: str) -> str:
    return private_path("signal-notes", filename)


class SignalNote(models.Model):
    """A signal note (signaalnota) to the administration, made by the worker from ``snapshot``.

    The row holds the state the page polls (the pattern of ``OfferFolder``). ``request_key``
    names what it was made from (a theme, or a set of bottlenecks), so that a double click
    queues one note.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("in de wachtrij")
        RUNNING = "running", _("wordt gemaakt")
        DONE = "done", _("klaar")
        FAILED = "failed", _("mislukt")

    ACTIVE_STATUSES = (Status.PENDING, Status.RUNNING)

    network = models.ForeignKey(
        Network, verbose_name=_("netwerk"), on_delete=models.CASCADE, related_name="signal_notes"
    )
    theme = models.ForeignKey(
        LearningTheme,
        verbose_name=_("thema"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signal_notes",
    )
    bottlenecks = models.ManyToManyField(
        Bottleneck, verbose_name=_("knelpunten"), blank=True, related_name="signal_notes"
    )
    title = models.CharField(_("titel"), max_length=200)
    addressed_to = models.CharField(_("gericht aan"), max_length=200)
    request_key = models.CharField(max_length=120)
    # Everything the document shows, fixed when requested: no client data, counts suppressed.
    snapshot = models.JSONField(default=dict, blank=True)
    presented_at = models.ForeignKey(
        Meeting,
        verbose_name=_("voorgesteld op het forum"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="presented_signal_notes",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("bestand"), upload_to=signal_note_path, blank=True)
    error = models.CharField(_("fout"), max_length=250, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signaalnota")
        verbose_name_plural = _("signaalnota's")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "request_key"],
                condition=Q(status__in=("pending", "running")),
                name="signalnote_one_active_per_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
