"""The cliëntoverleg: request → admissibility → chair → sessions → werkplan → closing.

Each function runs in one transaction and ends with ``log_event`` (timeline + audit, field names
only). Who may call what is decided before, in the view, through ``cases.access``; the rules here
are about the conference itself: its status, its dates and the consent (DESIGN.md §5).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.models import User
from instruments.models import LifeDomain
from networks.models import Membership, Organisation

from ..models import (
    CASE_ROLES,
    CarePlanItem,
    Case,
    CaseTeamMember,
    ClientConference,
    ConferenceEvaluation,
    ConferenceSession,
    Consent,
    SessionInvitation,
    TimelineEvent,
)
from .cases import covering_consent, log_event

Status = ClientConference.Status

# Invitees who are the family itself: the consent is theirs, so they need not be named in it.
FAMILY_KINDS = (SessionInvitation.Kind.CLIENT, SessionInvitation.Kind.PARENT)


# --- who can be chosen ---------------------------------------------------------------------------


def requesting_organisations(*, case: Case, user: User):
    """The organisations the user represents on this case's team (by name or as their caseworker)."""
    team = CaseTeamMember.objects.active().filter(case=case)
    works_for = Membership.objects.active().filter(
        user=user,
        network_id=case.network_id,
        role__in=(Membership.Role.CASEWORKER, Membership.Role.PLANMAKER),
        organisation__isnull=False,
    )
    return Organisation.objects.filter(
        Q(pk__in=team.filter(user=user).values("organisation_id"))
        | Q(
            pk__in=team.filter(organisation_id__in=works_for.values("organisation_id")).values(
                "organisation_id"
            )
        )
    ).order_by("name")


def chair_pool(network_id: int):
    """The network's pool of independent chairs: people with an active external-chair role there."""
    chairs = Membership.objects.active().filter(
        network_id=network_id, role=Membership.Role.CHAIRPERSON_EXTERNAL
    )
    return User.objects.filter(pk__in=chairs.values("user_id")).order_by("last_name", "first_name", "pk")


def team_people(case: Case):
    """People on the case team today: named on it, or caseworkers/planmakers of a team organisation."""
    team = CaseTeamMember.objects.active().filter(case=case)
    via_organisation = Membership.objects.active().filter(
        network_id=case.network_id,
        role__in=(Membership.Role.CASEWORKER, Membership.Role.PLANMAKER),
        organisation_id__in=team.values("organisation_id"),
    )
    # Named on the team counts while the person still holds a case role here (as on_team_expression).
    case_roles_here = Membership.objects.active().filter(network_id=case.network_id, role__in=CASE_ROLES)
    named = team.filter(user__isnull=False, user_id__in=case_roles_here.values("user_id"))
    return User.objects.filter(
        Q(pk__in=named.values("user_id")) | Q(pk__in=via_organisation.values("user_id"))
    ).order_by("last_name", "first_name", "pk")


def plan_owner_organisations(conference: ClientConference):
    """Organisations that can take on an agreement: the case team's and the invited ones."""
    team = CaseTeamMember.objects.active().filter(case_id=conference.case_id)
    invited = SessionInvitation.objects.filter(session__conference=conference, organisation__isnull=False)
    return Organisation.objects.filter(
        Q(pk__in=team.values("organisation_id")) | Q(pk__in=invited.values("organisation_id"))
    ).order_by("name")


# --- request and decision ------------------------------------------------------------------------


@transaction.atomic
def request_conference(
    *,
    case: Case,
    by: User,
    requesting_organisation: Organisation,
    question: str,
    complexity: str,
    involved: str,
) -> ClientConference:
    """A cliëntoverleg shares the client's situation with the cell, a chair and others: it needs a
    consent (or legal ground) covering the conference, in force today."""
    if not case.is_open:
        raise ValidationError(
            _("Dit dossier is afgesloten: er kan geen cliëntoverleg meer aangevraagd worden.")
        )
    today = timezone.localdate()
    consent = covering_consent(case=case, purpose=Consent.Purpose.CONFERENCE, on=today)
    conference = ClientConference.objects.create(
        case=case,
        network_id=case.network_id,
        requested_by=by,
        requesting_organisation=requesting_organisation,
        requested_on=today,
        question=question,
        complexity=complexity,
        involved=involved,
        consent=consent,
    )
    log_event(
        case=case,
        by=by,
        kind=TimelineEvent.Kind.CONFERENCE_REQUESTED,
        obj=conference,
        detail=str(requesting_organisation),
        action="conference.requested",
    )
    return conference


@transaction.atomic
def decide_admissibility(
    *, conference: ClientConference, by: User, admissible: bool, reason: str
) -> ClientConference:
    if conference.status != Status.REQUESTED:
        raise ValidationError(_("Over deze aanvraag is al beslist."))
    reason = reason.strip()
    if not admissible and not reason:
        raise ValidationError({"reason": _("Motiveer waarom de aanvraag niet ontvankelijk is.")})
    conference.status = Status.ADMISSIBLE if admissible else Status.NOT_ADMISSIBLE
    conference.decided_on = timezone.localdate()
    conference.decided_by = by
    conference.admissibility_reason = reason
    conference.save(update_fields=["status", "decided_on", "decided_by", "admissibility_reason"])
    log_event(
        case=conference.case,
        by=by,
        kind=(
            TimelineEvent.Kind.CONFERENCE_ADMISSIBLE
            if admissible
            else TimelineEvent.Kind.CONFERENCE_NOT_ADMISSIBLE
        ),
        obj=conference,
        action="conference.admissible" if admissible else "conference.not_admissible",
        changed_fields=["status", "decided_on", "decided_by", "admissibility_reason"],
    )
    return conference


@transaction.atomic
def assign_chair(*, conference: ClientConference, by: User, chair: User) -> ClientConference:
    if conference.status not in (Status.ADMISSIBLE, Status.RUNNING):
        raise ValidationError(_("Enkel een ontvankelijk of lopend cliëntoverleg krijgt een voorzitter."))
    # A (new) chair reads the client's file: that is new sharing, so the consent must be in force.
    covering_consent(case=conference.case, purpose=Consent.Purpose.CONFERENCE, on=timezone.localdate())
    # Checked again here, not only by the form's choices: the pool is the rule.
    if not chair_pool(conference.network_id).filter(pk=chair.pk).exists():
        raise ValidationError(
            {"chair": _("Deze persoon staat niet in de pool van onafhankelijke voorzitters van het netwerk.")}
        )
    conference.chair = chair
    conference.chair_assigned_on = timezone.localdate()
    conference.save(update_fields=["chair", "chair_assigned_on"])
    log_event(
        case=conference.case,
        by=by,
        kind=TimelineEvent.Kind.CHAIR_ASSIGNED,
        obj=conference,
        detail=chair.get_full_name() or chair.get_username(),
        action="conference.chair_assigned",
        changed_fields=["chair", "chair_assigned_on"],
    )
    return conference


@transaction.atomic
def withdraw_request(*, conference: ClientConference, by: User) -> ClientConference:
    """The team withdraws a request that has not started yet (no session held)."""
    if conference.status not in (Status.REQUESTED, Status.ADMISSIBLE):
        raise ValidationError(
            _("Een lopend of afgesloten cliëntoverleg trek je niet meer in; sluit het af met een resultaat.")
        )
    conference.status = Status.WITHDRAWN
    # The day it ended: a chair already assigned keeps it for the grace period, then loses it.
    conference.closed_on = timezone.localdate()
    conference.save(update_fields=["status", "closed_on"])
    log_event(
        case=conference.case,
        by=by,
        kind=TimelineEvent.Kind.CONFERENCE_WITHDRAWN,
        obj=conference,
        action="conference.withdrawn",
        changed_fields=["status", "closed_on"],
    )
    return conference


# --- sessions ------------------------------------------------------------------------------------


@transaction.atomic
def plan_session(
    *, conference: ClientConference, by: User, kind: str, starts_at: datetime.datetime, location: str
) -> ConferenceSession:
    if not conference.can_plan_sessions:
        raise ValidationError(
            _("Een overleg plan je pas als de aanvraag ontvankelijk is en er een voorzitter is.")
        )
    covering_consent(case=conference.case, purpose=Consent.Purpose.CONFERENCE, on=timezone.localdate())
    session = ConferenceSession(conference=conference, kind=kind, starts_at=starts_at, location=location)
    session.full_clean()
    session.save()
    log_event(
        case=conference.case,
        by=by,
        kind=TimelineEvent.Kind.SESSION_PLANNED,
        obj=session,
        detail=str(session),
        action="conference_session.planned",
    )
    return session


@transaction.atomic
def mark_session(*, session: ConferenceSession, by: User, status: str) -> ConferenceSession:
    """Planned → held or cancelled. The first session held starts the conference (RUNNING)."""
    conference = session.conference
    if session.status != ConferenceSession.Status.PLANNED:
        raise ValidationError(_("Dit overleg is al als gehouden of geannuleerd geregistreerd."))
    if status == ConferenceSession.Status.HELD:
        if timezone.localtime(session.starts_at).date() > timezone.localdate():
            raise ValidationError(_("Een overleg in de toekomst kan nog niet gehouden zijn."))
        if conference.status not in (Status.ADMISSIBLE, Status.RUNNING):
            raise ValidationError(_("Dit cliëntoverleg loopt niet (meer)."))
        # Holding the session shares the client's situation with everyone at the table.
        covering_consent(case=conference.case, purpose=Consent.Purpose.CONFERENCE, on=timezone.localdate())
        kind = TimelineEvent.Kind.SESSION_HELD
    elif status == ConferenceSession.Status.CANCELLED:
        kind = TimelineEvent.Kind.SESSION_CANCELLED
    else:
        raise ValidationError(_("Onbekende status."))
    session.status = status
    session.save(update_fields=["status"])
    if status == ConferenceSession.Status.HELD and conference.status == Status.ADMISSIBLE:
        conference.status = Status.RUNNING
        conference.save(update_fields=["status"])
    log_event(
        case=conference.case,
        by=by,
        kind=kind,
        obj=session,
        detail=str(session),
        action=f"conference_session.{status}",
        changed_fields=["status"],
    )
    return session


@transaction.atomic
def save_session_notes(*, session: ConferenceSession, by: User, notes: str) -> ConferenceSession:
    session.notes = notes
    session.save(update_fields=["notes"])
    # Not a step on the timeline; the audit log keeps who wrote in the notes (never what).
    audit.record(
        by,
        "conference_session.notes",
        session,
        network_id=session.conference.network_id,
        changed_fields=["notes"],
    )
    return session


def _check_invitation_consent(
    *, conference: ClientConference, kind: str, name: str, organisation: Organisation | None, bound: bool
) -> None:
    """DESIGN.md §5: participants are bound by professional secrecy unless the consent names them.

    Every invitation needs a conference consent in force today (withdrawal stops the next share).
    A professional's organisation must be named in it (or a legal ground that names nobody); someone
    not bound by secrecy (other than the young person and the parents, whose consent it is) must be
    named in it as a person.
    """
    case = conference.case
    today = timezone.localdate()
    if kind == SessionInvitation.Kind.PROFESSIONAL and bound:
        covering_consent(case=case, purpose=Consent.Purpose.CONFERENCE, organisation=organisation, on=today)
        return
    covering_consent(case=case, purpose=Consent.Purpose.CONFERENCE, on=today)
    if kind in FAMILY_KINDS:
        return
    consents = case.consents.covering(Consent.Purpose.CONFERENCE, on=today)
    if not any(consent.names(name) for consent in consents):
        raise ValidationError(
            {
                "name": _(
                    "%(name)s is niet gebonden door het beroepsgeheim en wordt in geen geldige toestemming "
                    "voor het cliëntoverleg genoemd. Laat de toestemming aanvullen of nodig iemand anders uit."
                )
                % {"name": name}
            }
        )


@transaction.atomic
def invite(
    *,
    session: ConferenceSession,
    by: User,
    kind: str,
    name: str,
    organisation: Organisation | None = None,
    bound_by_secrecy: bool = False,
) -> SessionInvitation:
    conference = session.conference
    if session.status == ConferenceSession.Status.CANCELLED:
        raise ValidationError(_("Dit overleg is geannuleerd."))
    if not conference.is_open:
        raise ValidationError(_("Dit cliëntoverleg loopt niet (meer)."))
    name = " ".join(name.split())
    if kind == SessionInvitation.Kind.PROFESSIONAL:
        if organisation is None:
            raise ValidationError({"organisation": _("Kies de organisatie van de hulpverlener.")})
    else:
        # Only professionals are bound by professional secrecy through their work.
        bound_by_secrecy = False
    _check_invitation_consent(
        conference=conference, kind=kind, name=name, organisation=organisation, bound=bound_by_secrecy
    )
    invitation = SessionInvitation.objects.create(
        session=session, kind=kind, name=name, organisation=organisation, bound_by_secrecy=bound_by_secrecy
    )
    audit.record(by, "session_invitation.created", invitation, network_id=conference.network_id)
    return invitation


@transaction.atomic
def record_attendance(*, invitation: SessionInvitation, by: User, attended: bool | None) -> SessionInvitation:
    if invitation.cancelled_on is not None:
        raise ValidationError(
            _("Deze uitnodiging is geannuleerd (%(reason)s).") % {"reason": invitation.cancel_reason}
        )
    if invitation.attended == attended:
        return invitation  # the same answer again: nothing changes, nothing is logged
    invitation.attended = attended
    invitation.save(update_fields=["attended"])
    audit.record(
        by,
        "session_invitation.attendance",
        invitation,
        network_id=invitation.session.conference.network_id,
        changed_fields=["attended"],
    )
    return invitation


# --- werkplan ------------------------------------------------------------------------------------


@transaction.atomic
def add_plan_item(
    *,
    session: ConferenceSession,
    by: User,
    domain: LifeDomain,
    description: str,
    due_on: datetime.date,
    owner: User | None = None,
    owner_organisation: Organisation | None = None,
    owner_label: str = "",
) -> CarePlanItem:
    conference = session.conference
    if conference.status not in (Status.ADMISSIBLE, Status.RUNNING):
        raise ValidationError(_("Dit cliëntoverleg loopt niet (meer)."))
    if session.status == ConferenceSession.Status.CANCELLED:
        raise ValidationError(_("Dit overleg is geannuleerd."))
    if due_on < timezone.localtime(session.starts_at).date():
        raise ValidationError(
            {"due_on": _("De termijn ligt vóór het overleg waarin de afspraak gemaakt werd.")}
        )
    item = CarePlanItem(
        conference=conference,
        made_in=session,
        domain=domain,
        description=description,
        due_on=due_on,
        owner=owner,
        owner_organisation=owner_organisation,
        owner_label=owner_label.strip(),
    )
    item.full_clean()
    item.save()
    log_event(
        case=conference.case,
        by=by,
        kind=TimelineEvent.Kind.PLAN_ITEM_ADDED,
        obj=item,
        detail=str(domain),
        action="care_plan_item.added",
    )
    return item


@transaction.atomic
def follow_up_plan_item(
    *,
    item: CarePlanItem,
    by: User,
    status: str,
    not_done_reason: str = "",
    note: str = "",
    session: ConferenceSession | None = None,
) -> CarePlanItem:
    """Follow-up by the owner, the chair or the team. Updated from a follow-up (or closing)
    session, the item remembers it was reviewed there."""
    if status == CarePlanItem.Status.NOT_DONE and not not_done_reason:
        raise ValidationError({"not_done_reason": _("Geef aan waarom de afspraak niet gerealiseerd werd.")})
    changed = []
    if session is not None:
        if session.conference_id != item.conference_id or session.kind == ConferenceSession.Kind.FIRST:
            raise ValidationError(_("Dit is geen opvolgoverleg van dit cliëntoverleg."))
        if session.status == ConferenceSession.Status.CANCELLED:
            raise ValidationError(_("Dit overleg is geannuleerd."))
        item.reviewed_in = session
        changed.append("reviewed_in")
    for field, value in (
        ("status", status),
        ("not_done_reason", not_done_reason if status == CarePlanItem.Status.NOT_DONE else ""),
        ("status_note", note),
    ):
        if getattr(item, field) != value:
            setattr(item, field, value)
            changed.append(field)
    item.full_clean()
    item.save()
    log_event(
        case=item.conference.case,
        by=by,
        kind=TimelineEvent.Kind.PLAN_ITEM_UPDATED,
        obj=item,
        detail=item.get_status_display(),
        action="care_plan_item.updated",
        changed_fields=changed,
    )
    return item


@transaction.atomic
def name_case_manager(*, conference: ClientConference, by: User, case_manager: User) -> ClientConference:
    if not team_people(conference.case).filter(pk=case_manager.pk).exists():
        raise ValidationError({"case_manager": _("De casemanager moet deel uitmaken van het dossierteam.")})
    conference.case_manager = case_manager
    conference.save(update_fields=["case_manager"])
    log_event(
        case=conference.case,
        by=by,
        kind=TimelineEvent.Kind.CASE_MANAGER_NAMED,
        obj=conference,
        detail=case_manager.get_full_name() or case_manager.get_username(),
        action="conference.case_manager_named",
        changed_fields=["case_manager"],
    )
    return conference


# --- closing -------------------------------------------------------------------------------------


@transaction.atomic
def close_conference(
    *, conference: ClientConference, by: User, outcome: str, note: str, closed_on: datetime.date
) -> ClientConference:
    if conference.status not in (Status.ADMISSIBLE, Status.RUNNING):
        raise ValidationError(_("Enkel een lopend cliëntoverleg kan afgesloten worden."))
    if closed_on < conference.requested_on:
        raise ValidationError({"closed_on": _("De afsluiting ligt vóór de aanvraag.")})
    if closed_on > timezone.localdate():
        raise ValidationError(
            {"closed_on": _("Een cliëntoverleg sluit je vandaag of achteraf af, niet vooraf.")}
        )
    conference.status = Status.CLOSED
    conference.outcome = outcome
    conference.outcome_note = note
    conference.closed_on = closed_on
    conference.save(update_fields=["status", "outcome", "outcome_note", "closed_on"])
    log_event(
        case=conference.case,
        by=by,
        kind=TimelineEvent.Kind.CONFERENCE_CLOSED,
        obj=conference,
        detail=conference.get_outcome_display(),
        action="conference.closed",
        changed_fields=["status", "outcome", "outcome_note", "closed_on"],
    )
    return conference


@transaction.atomic
def record_evaluation(*, evaluation: ConferenceEvaluation, by: User) -> ConferenceEvaluation:
    """``evaluation`` is an unsaved, validated instance with conference and respondent set."""
    conference = evaluation.conference
    if conference.status not in (Status.RUNNING, Status.CLOSED):
        raise ValidationError(_("Een evaluatie vul je in bij het afsluiten van het cliëntoverleg."))
    # Lock the conference so two simultaneous submissions cannot both pass the check below.
    ClientConference.objects.select_for_update().filter(pk=conference.pk).first()
    if conference.evaluations.filter(respondent=evaluation.respondent).exists():
        raise ValidationError(_("Deze evaluatie is al ingevuld."))
    evaluation.save()
    log_event(
        case=conference.case,
        by=by,
        kind=TimelineEvent.Kind.EVALUATION,
        obj=evaluation,
        detail=evaluation.get_respondent_display(),
        action="conference_evaluation.recorded",
    )
    return evaluation
