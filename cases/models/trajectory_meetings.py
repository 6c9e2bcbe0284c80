"""Meetings on a planmaker trajectory (samenwerkingsoverleg), intervisie entries and support
persons (buddies, the anchor figure) — issue 19 §3 and §4.

The product schedules the start meeting when the coordinator accepts the trajectory and the
three-month meeting when the start meeting is held (``due_on``). A planmaker plans a meeting for a
date (``planned_on``: the start and three-month ones, or an ad hoc or end meeting ahead) and may
plan it again (the reason stays on the timeline); a meeting is *held* once ``held_on`` is recorded,
with who attended: the organisations, the young person and the family (attended, consulted
beforehand, or not). Intervisie entries are for the assigned planmakers and the planmaker
coordinator only: never in a response to anyone else, the case team included (their timeline line
carries no content). Support persons belong to the case; at most one running one is the anchor figure. Ending a
support person (``until``, ``end_reason``) keeps the row as history; an ended anchor figure is no
longer the case's anchor.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Organisation

from .cases import Case
from .trajectories import Trajectory

# The start meeting is due this many days after the acceptance; the three-month meeting three
# months after the start meeting was held; "due soon" from this many days before.
START_MEETING_DAYS = 14
FOLLOW_UP_MEETING_DAYS = 91
DUE_SOON_DAYS = 14


class TrajectoryMeeting(models.Model):
    class Kind(models.TextChoices):
        START = "start", _("startoverleg")
        THREE_MONTHS = "three_months", _("overleg na drie maanden")
        AD_HOC = "ad_hoc", _("ad-hocoverleg")
        END = "end", _("eindoverleg")

    class ClientPresence(models.TextChoices):
        ATTENDED = "attended", _("de jongere was erbij")
        CONSULTED = "consulted", _("de jongere werd vooraf gehoord")
        NEITHER = "neither", _("de jongere was er niet bij en werd niet gehoord")

    class FamilyPresence(models.TextChoices):
        ATTENDED = "attended", _("het gezin was erbij")
        CONSULTED = "consulted", _("het gezin werd vooraf gehoord")
        NEITHER = "neither", _("het gezin was er niet bij en werd niet gehoord")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("soort overleg"), max_length=14, choices=Kind.choices)
    due_on = models.DateField(_("te houden tegen"), null=True, blank=True)
    planned_on = models.DateField(_("gepland op"), null=True, blank=True)
    held_on = models.DateField(_("gehouden op"), null=True, blank=True)
    client_presence = models.CharField(
        _("de jongere"), max_length=10, choices=ClientPresence.choices, blank=True
    )
    family_presence = models.CharField(
        _("het gezin"), max_length=10, choices=FamilyPresence.choices, blank=True
    )
    invite_client = models.BooleanField(_("de jongere uitgenodigd"), default=False)
    invite_family = models.BooleanField(_("het gezin uitgenodigd"), default=False)
    roles_agreed = models.TextField(_("afgesproken rollen en verwachtingen"), blank=True)
    findings = models.TextField(_("gedeelde bevindingen"), blank=True)
    invited = models.ManyToManyField(
        Organisation, verbose_name=_("uitgenodigde organisaties"), blank=True, related_name="+"
    )
    attended = models.ManyToManyField(
        Organisation, verbose_name=_("aanwezige organisaties"), blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("samenwerkingsoverleg")
        verbose_name_plural = _("samenwerkingsoverleggen")
        # In the order they are (to be) held: held, else planned, else due.
        ordering = ["trajectory", Coalesce("held_on", "planned_on", "due_on").asc(), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_on__isnull=False) | Q(due_on__isnull=False) | Q(planned_on__isnull=False),
                name="trajectory_meeting_due_or_held",
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | ~Q(client_presence=""),
                name="trajectory_meeting_held_client_presence",
                violation_error_message=_("Duid aan of de jongere erbij was of vooraf gehoord werd."),
            ),
            # The product schedules one start and one three-month meeting per trajectory.
            models.UniqueConstraint(
                fields=["trajectory", "kind"],
                condition=Q(kind__in=["start", "three_months"]),
                name="trajectory_meeting_one_scheduled_kind",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def expected_on(self) -> datetime.date | None:
        """The day the meeting is expected: the planned day, else the day it is due."""
        return self.planned_on or self.due_on

    @property
    def earliest_on(self) -> datetime.date | None:
        """The day it is due by or planned for, whichever comes first: what ``state`` measures."""
        dates = [d for d in (self.due_on, self.planned_on) if d is not None]
        return min(dates) if dates else None

    def state(self, on: datetime.date | None = None) -> str:
        """'held', 'overdue', 'due' (within DUE_SOON_DAYS) or 'planned'. Overdue once the day it was
        due by or planned for has passed without it being recorded as held."""
        if self.held_on is not None:
            return "held"
        day = on or timezone.localdate()
        first = self.earliest_on
        if first < day:
            return "overdue"
        if first <= day + datetime.timedelta(days=DUE_SOON_DAYS):
            return "due"
        return "planned"


class IntervisieEntry(models.Model):
    """How can we go on? A planmaker's reflection, for the planmakers of the trajectory and the
    coordinator only."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="intervisie")
    text = models.TextField(_("hoe kunnen we verder?"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("intervisie")
        verbose_name_plural = _("intervisie")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(_("Intervisie"))


class SupportPerson(models.Model):
    class Circle(models.TextChoices):
        OWN = "own", _("eigen netwerk")
        PROFESSIONAL = "professional", _("professioneel netwerk")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_persons")
    name = models.CharField(_("naam"), max_length=200)
    role = models.CharField(_("rol"), max_length=200, help_text=_("bv. buddy, tante, leerkracht, coach"))
    circle = models.CharField(_("netwerk"), max_length=12, choices=Circle.choices)
    is_anchor = models.BooleanField(
        _("ankerfiguur"), default=False, help_text=_("Blijft wanneer de hulpverlening wisselt.")
    )
    since = models.DateField(_("sinds"), default=timezone.localdate)
    until = models.DateField(_("tot en met"), null=True, blank=True)
    end_reason = models.CharField(_("reden van het einde"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("steunfiguur")
        verbose_name_plural = _("steunfiguren")
        ordering = ["-is_anchor", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(is_anchor=True, until__isnull=True),
                name="support_person_one_anchor_per_case",
                violation_error_message=_("Dit dossier heeft al een ankerfiguur."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.until is None
