"""Writes on the networks domain. Each one records an audit event in the same transaction.

Callers pass validated data (forms call ``full_clean`` through ModelForm); services re-check the
rules that span several rows (minutes lock, closed rounds, mandates) and raise ValidationError
with a Dutch message when one is broken.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.models import User

from . import access, leavers
from .models import (
    ActionItem,
    AgendaItem,
    Agreement,
    AgreementSignatory,
    Attachment,
    Attendance,
    Body,
    Criterion,
    Decision,
    Goal,
    GoalProgress,
    Meeting,
    Membership,
    Minutes,
    NetworkMembership,
    Organisation,
    Score,
    SelfAssessmentRound,
)

# --- structure ---------------------------------------------------------------------------------


@transaction.atomic
def create_organisation(*, organisation: Organisation, by: User) -> Organisation:
    organisation.save()
    audit.record(by, "organisation.created", organisation)
    return organisation


@transaction.atomic
def add_organisation_to_network(*, membership: NetworkMembership, by: User) -> NetworkMembership:
    membership.save()
    audit.record(
        by, "network.organisation_added", membership, changed_fields=["organisation", "kind", "since"]
    )
    return membership


@transaction.atomic
def grant_role(*, membership: Membership, by: User, bodies: Iterable[Body] = ()) -> Membership:
    """Give a role, under the rules of ``networks.access.check_grant``. A client-data role waits
    for a contact person of the organisation to confirm it (DESIGN.md §5)."""
    access.check_grant(granter=by, membership=membership)
    membership.granted_by = by
    membership.granted_at = timezone.now()
    if access.needs_confirmation(membership):
        membership.confirmation = Membership.Confirmation.PENDING
    membership.save()
    membership.bodies.set(bodies)
    # A leaver given a new role that starts today is back at once (issue 21 §3).
    if membership.since and membership.since <= timezone.localdate():
        leavers.reactivate_if_returning(membership.user)
    audit.record(
        by,
        "network.role_granted",
        membership,
        changed_fields=["user", "role", "organisation", "mandate_status"],
    )
    return membership


@transaction.atomic
def decide_grant(*, membership: Membership, by: User, confirm: bool) -> Membership:
    """The organisation's contact person confirms (or refuses) that the person works there. Once
    decided, it stays decided: a second click (or a second contact person) changes nothing."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.confirmation != Membership.Confirmation.PENDING:
        raise ValidationError(
            _("Deze toekenning is al %(decision)s door %(person)s op %(day)s.")
            % {
                "decision": locked.get_confirmation_display(),
                "person": locked.confirmed_by or _("iemand anders"),
                "day": timezone.localtime(locked.confirmed_at).strftime("%d/%m/%Y")
                if locked.confirmed_at
                else "–",
            }
        )
    if by.pk in (locked.user_id, locked.granted_by_id):
        # The access helper already hides these; a second person is the point.
        raise ValidationError(_("Een tweede persoon bevestigt: niet wie de rol kreeg en niet wie ze gaf."))
    locked.confirmation = Membership.Confirmation.CONFIRMED if confirm else Membership.Confirmation.REFUSED
    locked.confirmed_by = by
    locked.confirmed_at = timezone.now()
    locked.save(update_fields=["confirmation", "confirmed_by", "confirmed_at"])
    audit.record(
        by,
        "network.role_confirmed" if confirm else "network.role_refused",
        locked,
        changed_fields=["confirmation"],
    )
    return locked


@transaction.atomic
def update_role(
    *, membership: Membership, changed_fields: Iterable[str], bodies: Iterable[Body], by: User
) -> Membership:
    access.check_role_edit(editor=by, membership=membership)
    changed = set(changed_fields)
    before = set(
        Membership.bodies.through.objects.filter(membership_id=membership.pk).values_list(
            "body_id", flat=True
        )
    )
    bodies = list(bodies)
    if {body.pk for body in bodies} != before:
        changed.add("bodies")
    if not changed:
        return membership  # nothing changed: no save, no audit event
    membership.save()
    membership.bodies.set(bodies)
    audit.record(by, "network.role_updated", membership, changed_fields=changed)
    return membership


# --- meetings ----------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(*, meeting: Meeting, by: User, agenda: Iterable[str] = ()) -> Meeting:
    """Save the meeting, invite everyone who sits in the body, and add the first agenda items."""
    meeting.created_by = by
    meeting.save()
    seats = (
        Membership.objects.active(on=meeting.date)
        .filter(network=meeting.network, bodies=meeting.body)
        .select_related("organisation")
    )
    invited: dict[int, Attendance] = {}
    for seat in seats:
        # One invitation per person even with several roles; any mandated role counts.
        attendance = invited.get(seat.user_id)
        if attendance is None:
            invited[seat.user_id] = Attendance(
                meeting=meeting,
                user_id=seat.user_id,
                organisation=seat.organisation,
                holds_mandate=seat.holds_mandate,
            )
        elif seat.holds_mandate:
            attendance.holds_mandate = True
            attendance.organisation = seat.organisation
    Attendance.objects.bulk_create(invited.values())
    for position, title in enumerate((title.strip() for title in agenda if title.strip()), start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=title)
    audit.record(by, "meeting.scheduled", meeting, changed_fields=["body", "starts_at", "location"])
    return meeting


@transaction.atomic
def add_agenda_item(*, item: AgendaItem, by: User) -> AgendaItem:
    if item.position is None or item.position <= 0:
        last = item.meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
        item.position = (last or 0) + 1
    item.save()
    audit.record(by, "meeting.agenda_item_added", item, network_id=item.meeting.network_id)
    return item


@transaction.atomic
def add_attachment(*, agenda_item: AgendaItem, upload, by: User) -> Attachment:
    attachment = Attachment(agenda_item=agenda_item, name=upload.name[:200], uploaded_by=by)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    audit.record(by, "meeting.attachment_added", attachment, network_id=agenda_item.meeting.network_id)
    return attachment


@transaction.atomic
def record_attendance(
    *, attendance: Attendance, status: str, represented_by: User | None, by: User
) -> Attendance:
    attendance.status = status
    attendance.represented_by = represented_by if status == Attendance.Status.REPRESENTED else None
    attendance.full_clean()
    attendance.save(update_fields=["status", "represented_by"])
    audit.record(
        by,
        "meeting.attendance_recorded",
        attendance,
        network_id=attendance.meeting.network_id,
        changed_fields=["status"],
    )
    return attendance


def _open_minutes(meeting: Meeting) -> Minutes | None:
    return meeting.minutes_versions.exclude(status=Minutes.Status.APPROVED).select_for_update().first()


@transaction.atomic
def save_minutes(*, meeting: Meeting, text: str, by: User) -> Minutes:
    """Write into the version being prepared, or start version 1. Approved minutes stay locked."""
    minutes = _open_minutes(meeting)
    if minutes is None:
        if meeting.minutes_versions.exists():
            raise ValidationError(
                _(
                    "Het verslag is goedgekeurd en vergrendeld. Maak een verbeterde versie om iets te wijzigen."
                )
            )
        minutes = Minutes(meeting=meeting, version=1, created_by=by)
    minutes.text = text
    minutes.save()
    audit.record(by, "minutes.saved", minutes, network_id=meeting.network_id, changed_fields=["text"])
    return minutes


@transaction.atomic
def circulate_minutes(*, minutes: Minutes, by: User) -> Minutes:
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("Alleen een ontwerpverslag kan rondgestuurd worden."))
    if not minutes.text.strip():
        raise ValidationError(_("Het verslag is nog leeg."))
    minutes.status = Minutes.Status.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.save()
    audit.record(
        by, "minutes.circulated", minutes, network_id=minutes.meeting.network_id, changed_fields=["status"]
    )
    return minutes


@transaction.atomic
def approve_minutes(*, minutes: Minutes, by: User) -> Minutes:
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Een verslag wordt eerst rondgestuurd en pas daarna goedgekeurd."))
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = by
    minutes.save()
    audit.record(
        by, "minutes.approved", minutes, network_id=minutes.meeting.network_id, changed_fields=["status"]
    )
    return minutes


@transaction.atomic
def correct_minutes(*, minutes: Minutes, by: User) -> Minutes:
    """A correction of approved minutes: a new draft version linked to the one it corrects."""
    if minutes.status != Minutes.Status.APPROVED:
        raise ValidationError(_("Alleen een goedgekeurd verslag wordt verbeterd met een nieuwe versie."))
    if _open_minutes(minutes.meeting) is not None:
        raise ValidationError(_("Er is al een versie in voorbereiding."))
    if Minutes.objects.filter(corrects=minutes).exists():
        raise ValidationError(_("Deze versie werd al verbeterd; verbeter de nieuwste versie."))
    latest = minutes.meeting.minutes_versions.order_by("-version").values_list("version", flat=True).first()
    correction = Minutes.objects.create(
        meeting=minutes.meeting, version=latest + 1, text=minutes.text, corrects=minutes, created_by=by
    )
    audit.record(by, "minutes.correction_started", correction, network_id=minutes.meeting.network_id)
    return correction


def organisations_without_mandate(meeting: Meeting) -> list[Organisation]:
    """Participating organisations invited to the meeting with no mandated person present."""
    attendances = list(meeting.attendances.select_related("organisation").filter(organisation__isnull=False))
    participating = set(
        NetworkMembership.objects.active(on=meeting.date)
        .filter(network=meeting.network_id, kind=NetworkMembership.Kind.PARTICIPATING)
        .values_list("organisation_id", flat=True)
    )
    invited = {a.organisation_id: a.organisation for a in attendances if a.organisation_id in participating}
    mandated = {
        a.organisation_id for a in attendances if a.status == Attendance.Status.PRESENT and a.holds_mandate
    }
    return sorted(
        (org for org_id, org in invited.items() if org_id not in mandated), key=lambda org: org.name
    )


@transaction.atomic
def record_decision(*, decision: Decision, by: User) -> Decision:
    decision.recorded_by = by
    decision.save()
    meeting = decision.agenda_item.meeting
    decision.organisations_without_mandate.set(organisations_without_mandate(meeting))
    audit.record(by, "meeting.decision_recorded", decision, network_id=meeting.network_id)
    return decision


@transaction.atomic
def create_action(*, action: ActionItem, by: User) -> ActionItem:
    action.network_id = action.meeting.network_id
    action.created_by = by
    action.save()
    audit.record(by, "action.created", action, changed_fields=["title", "owner", "due_on"])
    return action


@transaction.atomic
def change_action_status(
    *, action: ActionItem, status: str, by: User, dropped_reason: str = ""
) -> ActionItem:
    if status not in ActionItem.Status.values:
        raise ValidationError(_("Onbekende status."))
    action.status = status
    action.dropped_reason = dropped_reason.strip() if status == ActionItem.Status.DROPPED else ""
    action.completed_on = timezone.localdate() if status == ActionItem.Status.DONE else None
    if status == ActionItem.Status.DROPPED and not action.dropped_reason:
        raise ValidationError({"dropped_reason": _("Geef een reden waarom de actie geschrapt wordt.")})
    action.save(update_fields=["status", "dropped_reason", "completed_on"])
    audit.record(by, "action.status_changed", action, changed_fields=["status"])
    return action


# --- goals -------------------------------------------------------------------------------------


@transaction.atomic
def create_goal(*, goal: Goal, by: User) -> Goal:
    goal.created_by = by
    goal.save()
    audit.record(by, "goal.created", goal)
    return goal


@transaction.atomic
def update_goal(*, goal: Goal, changed_fields: Iterable[str], by: User) -> Goal:
    goal.save()
    audit.record(by, "goal.updated", goal, changed_fields=changed_fields)
    return goal


@transaction.atomic
def record_progress(*, progress: GoalProgress, by: User) -> GoalProgress:
    progress.recorded_by = by
    progress.save()
    audit.record(by, "goal.progress_recorded", progress, network_id=progress.goal.network_id)
    return progress


# --- agreements --------------------------------------------------------------------------------


@transaction.atomic
def create_agreement(*, agreement: Agreement, by: User) -> Agreement:
    agreement.created_by = by
    agreement.save()
    audit.record(by, "agreement.created", agreement)
    return agreement


@transaction.atomic
def add_signatory(*, signatory: AgreementSignatory, by: User) -> AgreementSignatory:
    signatory.save()
    audit.record(
        by,
        "agreement.signatory_added",
        signatory,
        network_id=signatory.agreement.network_id,
        changed_fields=["organisation", "signed_on"],
    )
    return signatory


# --- self-assessment ---------------------------------------------------------------------------


@transaction.atomic
def open_assessment_round(*, assessment_round: SelfAssessmentRound, by: User) -> SelfAssessmentRound:
    assessment_round.opened_by = by
    assessment_round.save()
    audit.record(by, "assessment.round_opened", assessment_round)
    return assessment_round


@transaction.atomic
def close_assessment_round(*, assessment_round: SelfAssessmentRound, by: User) -> SelfAssessmentRound:
    if assessment_round.closed_at is None:
        assessment_round.closed_at = timezone.now()
        assessment_round.save(update_fields=["closed_at"])
        audit.record(by, "assessment.round_closed", assessment_round)
    return assessment_round


@transaction.atomic
def submit_scores(
    *, assessment_round: SelfAssessmentRound, respondent: User, scores: dict[int, tuple[int, str]]
) -> list[Score]:
    """Store one member's scores (criterion id → (value 1–5, comment)). One vote per round."""
    assessment_round = SelfAssessmentRound.objects.select_for_update().get(pk=assessment_round.pk)
    if not assessment_round.is_open:
        raise ValidationError(_("Deze ronde is gesloten: er kan niet meer gescoord worden."))
    if Score.objects.filter(round=assessment_round, respondent=respondent).exists():
        raise ValidationError(_("Je hebt in deze ronde al gescoord."))
    criteria = set(Criterion.objects.values_list("pk", flat=True))
    if set(scores) != criteria:
        raise ValidationError(_("Geef een score voor elk criterium."))
    rows = []
    for criterion_id, (value, comment) in scores.items():
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ValidationError(_("Een score ligt tussen 1 en 5."))
        rows.append(
            Score(
                round=assessment_round,
                criterion_id=criterion_id,
                respondent=respondent,
                value=value,
                comment=comment[:500],
            )
        )
    try:
        created = Score.objects.bulk_create(rows)
    except IntegrityError as exc:  # a double submit racing past the check above
        raise ValidationError(_("Je hebt in deze ronde al gescoord.")) from exc
    # The trail says that someone scored, never what they scored.
    audit.record(respondent, "assessment.scores_submitted", assessment_round)
    return created
