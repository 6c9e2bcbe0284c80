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


def _check_invited(trajectory: Trajectory, invited, *, on: datetime.date | None) -> str:
    """The message when the consent does not allow inviting (or recording) some organisations."""
    allowed = {org.pk for org in allowed_organisations(trajectory, on=on)}
    refused = [org for org in invited if org.pk not in allowed]
    if not refused:
        return ""
    return _(
        "De toestemming van dit traject laat niet toe %(names)s uit te nodigen. Vraag eerst toestemming."
    ) % {"names": ", ".join(sorted(org.name for org in refused))}


def _lock(trajectory: Trajectory) -> Trajectory:
    trajectory = (
        Trajectory.objects.select_for_update().select_related("case", "consent").get(pk=trajectory.pk)
    )
    if not trajectory.is_active or trajectory.decided_on is None:
        raise ValidationError(_("Dit traject loopt niet: er kan geen overleg meer bij."), code="inactive")
    return trajectory


def open_meetings(trajectory: Trajectory):
    """The meetings of the trajectory that are still to be held (scheduled or planned)."""
    return trajectory.meetings.filter(held_on__isnull=True)


@transaction.atomic
def plan_meeting(
    *,
    trajectory: Trajectory,
    by: User,
    kind: str,
    planned_on: datetime.date | None,
    invited=(),
    invite_client: bool = False,
    invite_family: bool = False,
) -> TrajectoryMeeting:
    """Plan a samenwerkingsoverleg ahead: the start or three-month one the product scheduled gets
    its day; an ad hoc or end meeting is added for a day to come. The invitations (organisations
    the consent allows, the young person, the family) are kept; held is recorded afterwards."""
    trajectory = _lock(trajectory)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Kies de soort overleg.")
    if planned_on is None:
        errors["planned_on"] = _("Vul de datum in waarop het overleg plaatsvindt.")
    elif planned_on < today:
        errors["planned_on"] = _(
            "Deze datum ligt in het verleden. Registreer een overleg dat al gehouden is als gehouden."
        )
    message = _check_invited(trajectory, invited, on=None)
    if message:
        errors["invited"] = message
    meeting = None
    if kind in (Kind.START, Kind.THREE_MONTHS) and "kind" not in errors:
        meeting = TrajectoryMeeting.objects.filter(trajectory=trajectory, kind=kind).first()
        if meeting is not None and meeting.held_on is not None:
            errors["kind"] = _("Het %(kind)s is al geregistreerd op %(day)s.") % {
                "kind": meeting.get_kind_display(),
                "day": _day(meeting.held_on),
            }
        elif meeting is None and kind == Kind.THREE_MONTHS:
            errors["kind"] = _("Registreer eerst het startoverleg.")
        elif meeting is not None and meeting.planned_on is not None:
            errors["kind"] = _(
                "Het %(kind)s is al gepland op %(day)s. Verplaats het als de datum wijzigt."
            ) % {
                "kind": meeting.get_kind_display(),
                "day": _day(meeting.planned_on),
            }
    if errors:
        raise ValidationError(errors)
    if meeting is None:
        meeting = TrajectoryMeeting(trajectory=trajectory, kind=kind)
    meeting.planned_on = planned_on
    meeting.invite_client = invite_client
    meeting.invite_family = invite_family
    meeting.recorded_by = by
    meeting.save()
    meeting.invited.set(invited)
    log_event(
        case=trajectory.case,
        by=by,
        kind=TimelineEvent.Kind.TRAJECTORY_MEETING_PLANNED,
        obj=meeting,
        detail=f"{meeting.get_kind_display()}: {_day(planned_on)}",
        action="trajectory_meeting.planned",
        changed_fields=["planned_on", "invited", "invite_client", "invite_family"],
    )
    return meeting


@transaction.atomic
def replan_meeting(
    *, meeting: TrajectoryMeeting, by: User, planned_on: datetime.date | None, reason: str
) -> TrajectoryMeeting:
    """Move a meeting that is still to be held to another day. The old and new day and the reason
    stay on the timeline (the case team reads it; the audit log names the field only)."""
    trajectory = _lock(meeting.trajectory)
    meeting = TrajectoryMeeting.objects.select_for_update().get(pk=meeting.pk)
    errors: dict[str, str] = {}
    if meeting.held_on is not None:
        raise ValidationError(
            _("Dit overleg is al gehouden op %(day)s: het kan niet meer verplaatst worden.")
            % {"day": _day(meeting.held_on)},
            code="held",
        )
    if planned_on is None:
        errors["planned_on"] = _("Vul de nieuwe datum in.")
    elif planned_on < timezone.localdate():
        errors["planned_on"] = _("De nieuwe datum ligt in het verleden.")
    elif planned_on == meeting.expected_on:
        errors["planned_on"] = _("Het overleg staat al op die datum.")
    if not reason.strip():
        errors["reason"] = _("Geef de reden waarom het overleg verplaatst wordt.")
    if errors:
        raise ValidationError(errors)
    before = meeting.expected_on
    meeting.planned_on = planned_on
    meeting.save(update_fields=["planned_on"])
    log_event(
        case=trajectory.case,
        by=by,
        kind=TimelineEvent.Kind.TRAJECTORY_MEETING_REPLANNED,
        obj=meeting,
        detail=f"{meeting.get_kind_display()}: {_day(before)} → {_day(planned_on)}. {reason.strip()}",
        action="trajectory_meeting.replanned",
        changed_fields=["planned_on"],
    )
    return meeting


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
    meeting: TrajectoryMeeting | None = None,
    family_presence: str = "",
    attended=(),
) -> TrajectoryMeeting:
    """A samenwerkingsoverleg that was held, with who attended. It fills the planned meeting given
    as ``meeting`` or, for the start and three-month meetings, the one the product scheduled;
    holding the start meeting schedules the three-month one."""
    trajectory = _lock(trajectory)
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if meeting is not None:
        meeting = (
            TrajectoryMeeting.objects.select_for_update().filter(pk=meeting.pk, trajectory=trajectory).first()
        )
        if meeting is None or meeting.held_on is not None:
            raise ValidationError(
                {"meeting": _("Dit overleg is intussen al geregistreerd. Kies een ander of laat leeg.")}
            )
        kind = meeting.kind
    if kind not in Kind.values:
        errors["kind"] = _("Kies de soort overleg.")
    if held_on is None:
        errors["held_on"] = _("Vul de datum van het overleg in.")
    elif held_on > today:
        errors["held_on"] = _(
            "Deze datum ligt in de toekomst. Plan het overleg, en registreer het nadat het gehouden is."
        )
    elif held_on < trajectory.referred_on:
        errors["held_on"] = _("Deze datum ligt vóór de aanmelding (%(day)s).") % {
            "day": _day(trajectory.referred_on)
        }
    if client_presence not in TrajectoryMeeting.ClientPresence.values:
        errors["client_presence"] = _("Duid aan of de jongere erbij was of vooraf gehoord werd.")
    if family_presence and family_presence not in TrajectoryMeeting.FamilyPresence.values:
        errors["family_presence"] = _("Duid aan of het gezin erbij was of vooraf gehoord werd.")
    on = held_on if "held_on" not in errors else None
    message = _check_invited(trajectory, invited, on=on)
    if message:
        errors["invited"] = message
    message = _check_invited(trajectory, attended, on=on)
    if message:
        errors["attended"] = message
    existing = meeting
    if existing is None and kind in (Kind.START, Kind.THREE_MONTHS) and "kind" not in errors:
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
    meeting.family_presence = family_presence
    meeting.roles_agreed = roles_agreed.strip()
    meeting.findings = findings.strip()
    meeting.recorded_by = by
    meeting.save()
    # Whoever attended was invited; planned invitations stay.
    meeting.invited.add(*invited, *attended)
    meeting.attended.set(attended)
    log_event(
        case=trajectory.case,
        by=by,
        kind=TimelineEvent.Kind.TRAJECTORY_MEETING_HELD,
        obj=meeting,
        detail=f"{meeting.get_kind_display()}: {_day(held_on)}",
        action="trajectory_meeting.held",
        changed_fields=[
            "held_on",
            "client_presence",
            "family_presence",
            "roles_agreed",
            "findings",
            "invited",
            "attended",
        ],
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
    if is_anchor and case.support_persons.filter(is_anchor=True, until__isnull=True).exists():
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
    if person.until is not None:
        raise ValidationError(
            _("%(name)s is geen steunfiguur meer (sinds %(day)s).")
            % {"name": person.name, "day": _day(person.until)},
            code="ended",
        )
    if person.is_anchor == is_anchor:
        return person
    if is_anchor:
        SupportPerson.objects.filter(case_id=person.case_id, is_anchor=True, until__isnull=True).update(
            is_anchor=False
        )
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


@transaction.atomic
def end_support_person(
    *, person: SupportPerson, by: User, until: datetime.date | None, reason: str
) -> SupportPerson:
    """A buddy or the anchor figure stops. The row stays as history (with the day and the reason);
    an ended anchor figure is no longer the case's anchor, so another can be named."""
    Case.objects.select_for_update().filter(pk=person.case_id).first()
    person = SupportPerson.objects.select_for_update().select_related("case").get(pk=person.pk)
    errors: dict[str, str] = {}
    if person.until is not None:
        raise ValidationError(
            _("%(name)s is al beëindigd op %(day)s.") % {"name": person.name, "day": _day(person.until)},
            code="ended",
        )
    if until is None:
        errors["until"] = _("Vul de laatste dag in.")
    elif until > timezone.localdate():
        errors["until"] = _(
            "Deze datum ligt in de toekomst. Beëindig de steunfiguur op of na de laatste dag."
        )
    elif until < person.since:
        errors["until"] = _("Deze datum ligt vóór de start (%(day)s).") % {"day": _day(person.since)}
    if not reason.strip():
        errors["reason"] = _("Geef de reden waarom deze steunfiguur stopt.")
    if errors:
        raise ValidationError(errors)
    person.until = until
    person.end_reason = reason.strip()
    person.save(update_fields=["until", "end_reason"])
    log_event(
        case=person.case,
        by=by,
        kind=TimelineEvent.Kind.SUPPORT_PERSON_ENDED,
        obj=person,
        detail=str(_("ankerfiguur")) if person.is_anchor else person.get_circle_display(),
        action="support_person.ended",
        changed_fields=["until", "end_reason"],
    )
    return person
