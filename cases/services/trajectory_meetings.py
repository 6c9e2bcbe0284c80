"""Samenwerkingsoverleg on a planmaker trajectory, intervisie entries and support persons
(issue 19 §3–§4). Every change is one timeline line and one audit event (``log_event``); the
intervisie line carries no content (the case team reads the timeline, not the intervisie).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh.models import User
from networks.models import Organisation

from ..models import (
    Case,
    Consent,
    IntervisieEntry,
    SupportPerson,
    TimelineEvent,
    Trajectory,
    TrajectoryMeeting,
)
from ..models.trajectory_meetings import FOLLOW_UP_MEETING_DAYS, START_MEETING_DAYS
from .cases import log_event

Kind = TrajectoryMeeting.Kind


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _schedule(trajectory: Trajectory, *, kind: str, due_on: datetime.date, by: User | None):
    meeting, created = TrajectoryMeeting.objects.get_or_create(
        trajectory=trajectory, kind=kind, defaults={"due_on": due_on}
    )
    if created:
        log_event(
            case=trajectory.case,
            by=by,
            kind=TimelineEvent.Kind.TRAJECTORY_MEETING_DUE,
            obj=meeting,
            detail=f"{meeting.get_kind_display()}: {_day(due_on)}",
            action="trajectory_meeting.scheduled",
        )
    return meeting


def schedule_start_meeting(trajectory: Trajectory, *, by: User | None, accepted_on: datetime.date):
    """Called when the coordinator accepts: the start meeting is due START_MEETING_DAYS later."""
    return _schedule(
        trajectory,
        kind=Kind.START,
        due_on=accepted_on + datetime.timedelta(days=START_MEETING_DAYS),
        by=by,
    )


def allowed_organisations(trajectory: Trajectory, on: datetime.date | None = None) -> list[Organisation]:
    """Organisations the trajectory's consent allows to invite: those it names while it is in force
    (a legal ground naming none allows the case team's organisations)."""
    consent = trajectory.consent
    if not Consent.objects.in_force(on).filter(pk=consent.pk).exists():
        return []
    named = list(consent.organisations.order_by("name"))
    if named:
        return named
    if consent.basis == Consent.Basis.LEGAL_GROUND:
        return list(
            Organisation.objects.filter(
                pk__in=trajectory.case.team.filter(organisation__isnull=False).values("organisation_id")
            ).order_by("name")
        )
    return []


@transaction.atomic
def record_meeting(
    *,
    trajectory: Trajectory,
    by: User,
    kind: str,
    held_on: datetime.date | None,
    client_presence: str,
    roles_agreed: str,
    findings: str,
    invited=(),
) -> TrajectoryMeeting:
    """A samenwerkingsoverleg that was held. The start and three-month meetings fill the one the
    product scheduled; holding the start meeting schedules the three-month one."""
    trajectory = (
        Trajectory.objects.select_for_update().select_related("case", "consent").get(pk=trajectory.pk)
    )
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not trajectory.is_active or trajectory.decided_on is None:
        raise ValidationError(_("Dit traject loopt niet: er kan geen overleg meer bij."), code="inactive")
    if kind not in Kind.values:
        errors["kind"] = _("Kies de soort overleg.")
    if held_on is None:
        errors["held_on"] = _("Vul de datum van het overleg in.")
    elif held_on > today:
        errors["held_on"] = _("Deze datum ligt in de toekomst. Registreer het overleg nadat het gehouden is.")
    elif held_on < trajectory.referred_on:
        errors["held_on"] = _("Deze datum ligt vóór de aanmelding (%(day)s).") % {
            "day": _day(trajectory.referred_on)
        }
    if client_presence not in TrajectoryMeeting.ClientPresence.values:
        errors["client_presence"] = _("Duid aan of de jongere erbij was of vooraf gehoord werd.")
    allowed = {org.pk for org in allowed_organisations(trajectory, on=held_on if not errors else None)}
    refused = [org for org in invited if org.pk not in allowed]
    if refused:
        errors["invited"] = _(
            "De toestemming van dit traject laat niet toe %(names)s uit te nodigen. Vraag eerst toestemming."
        ) % {"names": ", ".join(sorted(org.name for org in refused))}
    existing = None
    if kind in (Kind.START, Kind.THREE_MONTHS) and "kind" not in errors:
        existing = TrajectoryMeeting.objects.filter(trajectory=trajectory, kind=kind).first()
        if existing is not None and existing.held_on is not None:
            errors["kind"] = _("Het %(kind)s is al geregistreerd op %(day)s.") % {
                "kind": existing.get_kind_display(),
                "day": _day(existing.held_on),
            }
        if (
            kind == Kind.THREE_MONTHS
            and not trajectory.meetings.filter(kind=Kind.START, held_on__isnull=False).exists()
        ):
            errors["kind"] = _("Registreer eerst het startoverleg.")
    if errors:
        raise ValidationError(errors)
    meeting = existing or TrajectoryMeeting(trajectory=trajectory, kind=kind)
    meeting.held_on = held_on
    meeting.client_presence = client_presence
    meeting.roles_agreed = roles_agreed.strip()
    meeting.findings = findings.strip()
    meeting.recorded_by = by
    meeting.save()
    meeting.invited.set(invited)
    log_event(
        case=trajectory.case,
        by=by,
        kind=TimelineEvent.Kind.TRAJECTORY_MEETING_HELD,
        obj=meeting,
        detail=f"{meeting.get_kind_display()}: {_day(held_on)}",
        action="trajectory_meeting.held",
        changed_fields=["held_on", "client_presence", "roles_agreed", "findings", "invited"],
    )
    if kind == Kind.START:
        _schedule(
            trajectory,
            kind=Kind.THREE_MONTHS,
            due_on=held_on + datetime.timedelta(days=FOLLOW_UP_MEETING_DAYS),
            by=by,
        )
    return meeting


@transaction.atomic
def add_intervisie(*, trajectory: Trajectory, by: User, text: str) -> IntervisieEntry:
    if not text.strip():
        raise ValidationError({"text": _("Schrijf op hoe jullie verder kunnen.")})
    entry = IntervisieEntry.objects.create(trajectory=trajectory, author=by, text=text.strip())
    # No content on the timeline: the case team reads it.
    log_event(
        case=trajectory.case,
        by=by,
        kind=TimelineEvent.Kind.INTERVISIE_ADDED,
        obj=entry,
        detail="",
        action="intervisie.added",
    )
    return entry


@transaction.atomic
def add_support_person(
    *, case: Case, by: User, name: str, role: str, circle: str, is_anchor: bool
) -> SupportPerson:
    errors: dict[str, str] = {}
    if case.closed_on is not None:
        raise ValidationError(_("Dit dossier is afgesloten."), code="closed")
    if not name.strip():
        errors["name"] = _("Vul de naam in.")
    if not role.strip():
        errors["role"] = _("Vul de rol in (bv. buddy, tante, coach).")
    if circle not in SupportPerson.Circle.values:
        errors["circle"] = _("Kies het eigen of het professionele netwerk.")
    # Lock the case so two people naming an anchor figure at once get the message, not a 500.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if is_anchor and case.support_persons.filter(is_anchor=True).exists():
        errors["is_anchor"] = _(
            "Dit dossier heeft al een ankerfiguur. Een jongere heeft er één: die blijft wanneer de "
            "hulpverlening wisselt."
        )
    if errors:
        raise ValidationError(errors)
    person = SupportPerson.objects.create(
        case=case, name=name.strip(), role=role.strip(), circle=circle, is_anchor=is_anchor, added_by=by
    )
    log_event(
        case=case,
        by=by,
        kind=TimelineEvent.Kind.SUPPORT_PERSON_ADDED,
        obj=person,
        detail=str(_("ankerfiguur")) if is_anchor else person.get_circle_display(),
        action="support_person.added",
    )
    return person


@transaction.atomic
def set_anchor(*, person: SupportPerson, by: User, is_anchor: bool) -> SupportPerson:
    """Make ``person`` the anchor figure (the previous one stays a support person) or not."""
    Case.objects.select_for_update().filter(pk=person.case_id).first()
    person = SupportPerson.objects.select_for_update().get(pk=person.pk)
    if person.is_anchor == is_anchor:
        return person
    if is_anchor:
        SupportPerson.objects.filter(case_id=person.case_id, is_anchor=True).update(is_anchor=False)
    person.is_anchor = is_anchor
    person.save(update_fields=["is_anchor"])
    log_event(
        case=person.case,
        by=by,
        kind=TimelineEvent.Kind.SUPPORT_PERSON_UPDATED,
        obj=person,
        detail=str(_("ankerfiguur")) if is_anchor else str(_("geen ankerfiguur meer")),
        action="support_person.anchor",
        changed_fields=["is_anchor"],
    )
    return person
