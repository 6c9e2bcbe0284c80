"""Writes on the trajectory guidance of detainees (issue 20 §4, §5). Each runs in a transaction and
writes a timeline line and an audit event; a write that changes nothing writes neither."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.mail import absolute_url, send_mail_once
from ijh.models import User
from instruments import services_offer
from instruments.models import Activity, Enrolment, LifeDomain
from networks.models import Membership, Network, Organisation

from ..models import (
    Case,
    CaseTeamMember,
    Client,
    Consent,
    Guidance,
    GuidanceReferral,
    PlanGoal,
    TimelineEvent,
    Transfer,
)
from ..models.detention import RELEASE_WARNING_DAYS
from .cases import covering_consent, log_event, open_case

Kind = TimelineEvent.Kind


def _check_release_date(day: datetime.date | None) -> None:
    if day is not None and day < timezone.localdate():
        raise ValidationError({"planned_release_on": _("De geplande vrijlating ligt in het verleden.")})


@transaction.atomic
def register_detainee(
    *,
    client: Client,
    network: Network,
    organisation: Organisation,
    by: User,
    question: str = "",
    information: str = "",
    planned_release_on: datetime.date | None = None,
) -> Guidance:
    """Onthaal: a new case in the prison's network with the trajectbegeleider as its team, and the
    guidance on it."""
    _check_release_date(planned_release_on)
    case = open_case(client=client, network=network, lead_organisation=organisation, by=by)
    case.team.filter(user=by).update(role=CaseTeamMember.Role.TRAJECTORY_GUIDE)
    guidance = Guidance.objects.create(
        case=case,
        network=network,
        guide=by,
        question=question,
        information=information,
        planned_release_on=planned_release_on,
        started_on=case.opened_on,
    )
    log_event(case=case, by=by, kind=Kind.GUIDANCE_STARTED, obj=guidance, action="guidance.started")
    if planned_release_on:
        _warn_if_due(guidance, by=by)
    return guidance


@transaction.atomic
def add_plan_goal(
    *, guidance: Guidance, domain: LifeDomain, text: str, after_release: bool, by: User
) -> PlanGoal:
    goal = PlanGoal.objects.create(
        guidance=guidance, domain=domain, text=text, after_release=after_release, created_by=by
    )
    log_event(
        case=guidance.case,
        by=by,
        kind=Kind.PLAN_GOAL_ADDED,
        obj=goal,
        detail=domain.name,
        action="plan_goal.added",
    )
    return goal


@transaction.atomic
def close_plan_goal(
    *, goal: PlanGoal, status: str, on: datetime.date, by: User, reason: str = ""
) -> PlanGoal:
    """Mark a goal of the plan reached or dropped, on a day, with a reason when dropped. Once: a
    goal already reached or dropped stays as it is (a conditional update, so two clicks or two
    people change it once)."""
    if status not in (PlanGoal.Status.REACHED, PlanGoal.Status.DROPPED):
        raise ValidationError({"status": _("Kies bereikt of stopgezet.")})
    reason = reason.strip()
    if status == PlanGoal.Status.DROPPED and not reason:
        raise ValidationError({"reason": _("Geef de reden waarom het doel stopgezet wordt.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("Die datum ligt in de toekomst.")})
    if on < goal.created_at.date() - datetime.timedelta(days=1):
        raise ValidationError({"on": _("Die datum ligt vóór het doel in het plan kwam.")})
    updated = PlanGoal.objects.filter(pk=goal.pk, status=PlanGoal.Status.OPEN).update(
        status=status, status_on=on, drop_reason=reason if status == PlanGoal.Status.DROPPED else ""
    )
    if not updated:
        raise ValidationError(_("Dit doel is al bereikt of stopgezet. Er is niets gewijzigd."))
    goal.refresh_from_db()
    reached = status == PlanGoal.Status.REACHED
    log_event(
        case=goal.guidance.case,
        by=by,
        kind=Kind.PLAN_GOAL_REACHED if reached else Kind.PLAN_GOAL_DROPPED,
        obj=goal,
        # the domain and the day; the goal's text and the reason are client data and stay on the goal
        detail=f"{goal.domain.name}, {on.strftime('%d/%m/%Y')}",
        action="plan_goal.reached" if reached else "plan_goal.dropped",
        changed_fields=["status", "status_on"] + ([] if reached else ["drop_reason"]),
    )
    return goal


@transaction.atomic
def refer_to_activity(
    *, guidance: Guidance, activity: Activity, by: User, note: str = ""
) -> GuidanceReferral:
    """Enrol the detainee, by pseudonym, in an activity of the prison's offer (or its waiting list)."""
    if activity.network_id != guidance.network_id:
        raise ValidationError(_("Deze activiteit hoort bij een andere gevangenis."))
    enrolment = services_offer.enrol(activity=activity, detainee_code=guidance.case.client.pseudonym, by=by)
    waiting = enrolment.status == Enrolment.Status.WAITING
    referral = GuidanceReferral.objects.create(
        guidance=guidance,
        kind=GuidanceReferral.Kind.ACTIVITY,
        activity=activity,
        waiting_list=waiting,
        note=note,
        created_by=by,
    )
    detail = activity.title + (" (" + _("wachtlijst") + ")" if waiting else "")
    log_event(
        case=guidance.case,
        by=by,
        kind=Kind.ACTIVITY_REFERRAL,
        obj=referral,
        detail=detail,
        action="guidance.referred",
    )
    return referral


@transaction.atomic
def refer_outside(*, guidance: Guidance, service: str, note: str, by: User) -> GuidanceReferral:
    referral = GuidanceReferral.objects.create(
        guidance=guidance, kind=GuidanceReferral.Kind.OUTSIDE, service=service, note=note, created_by=by
    )
    log_event(
        case=guidance.case,
        by=by,
        kind=Kind.OUTSIDE_REFERRAL,
        obj=referral,
        detail=service,
        action="guidance.referred_outside",
    )
    return referral


@transaction.atomic
def plan_release(*, guidance: Guidance, planned_release_on: datetime.date, by: User) -> Guidance:
    _check_release_date(planned_release_on)
    if guidance.planned_release_on == planned_release_on:
        return guidance  # nothing changes: no timeline line, no audit event
    guidance.planned_release_on = planned_release_on
    guidance.release_warned_on = None  # a new date gets its own warning
    guidance.save(update_fields=["planned_release_on", "release_warned_on"])
    log_event(
        case=guidance.case,
        by=by,
        kind=Kind.RELEASE_PLANNED,
        obj=guidance,
        detail=planned_release_on.strftime("%d/%m/%Y"),
        action="guidance.release_planned",
        changed_fields=["planned_release_on"],
    )
    _warn_if_due(guidance, by=by)
    return guidance


def _warn_if_due(guidance: Guidance, *, by: User | None) -> bool:
    today = timezone.localdate()
    if guidance.release_warned_on is not None or not guidance.release_warning_due(today):
        return False
    guidance.release_warned_on = today
    guidance.save(update_fields=["release_warned_on"])
    log_event(
        case=guidance.case,
        by=by,
        kind=Kind.RELEASE_WARNING,
        obj=guidance,
        detail=guidance.planned_release_on.strftime("%d/%m/%Y"),
        action="guidance.release_warning",
    )
    _mail_release_warning(guidance)
    return True


def _mail_release_warning(guidance: Guidance) -> None:
    """A mail to the trajectbegeleider, once per planned date. The pseudonym only: mail leaves the
    product, the name stays behind the login."""
    guide = guidance.guide
    if not guide.email:
        return
    pseudonym = guidance.case.client.pseudonym
    day = guidance.planned_release_on.strftime("%d/%m/%Y")
    send_mail_once(
        key=f"release-warning:{guidance.pk}:{guidance.planned_release_on.isoformat()}",
        to=guide.email,
        subject=_("Vrijlating binnen drie maanden (%(pseudonym)s)") % {"pseudonym": pseudonym},
        template="notice",
        context={
            "name": guide.get_full_name(),
            "paragraphs": [
                _(
                    "De vrijlating van %(pseudonym)s is gepland op %(day)s, binnen drie maanden. Start nu de "
                    "voorbereiding: wonen, werk en inkomen, en de doorverwijzing naar diensten buiten de gevangenis."
                )
                % {"pseudonym": pseudonym, "day": day},
            ],
            "link": absolute_url(reverse("cases:guidance", args=[guidance.pk])),
            "link_label": _("Open de trajectbegeleiding"),
        },
    )


def warn_upcoming_releases() -> int:
    """Daily (cases.tasks): a timeline warning, once, for each running guidance whose planned
    release is within three months, so preparation starts in time. Returns how many."""
    horizon = timezone.localdate() + datetime.timedelta(days=RELEASE_WARNING_DAYS)
    due = Guidance.objects.filter(
        status=Guidance.Status.ACTIVE, release_warned_on__isnull=True, planned_release_on__lte=horizon
    ).select_related("case__client", "guide")
    warned = 0
    for guidance in due:
        with transaction.atomic():
            warned += _warn_if_due(guidance, by=None)
    return warned


@transaction.atomic
def end_guidance(*, guidance: Guidance, reason: str, by: User) -> Guidance:
    """Released or stopped: the guidance and the case close, the team's access ends today."""
    if reason not in Guidance.EndReason.values:
        raise ValidationError(_("Kies waarom de begeleiding eindigt."))
    guidance = Guidance.objects.select_for_update().get(pk=guidance.pk)
    if guidance.status != Guidance.Status.ACTIVE:
        raise ValidationError(_("Deze begeleiding is al afgesloten."))
    today = timezone.localdate()
    guidance.status = Guidance.Status.ENDED
    guidance.ended_on = today
    guidance.end_reason = reason
    guidance.save(update_fields=["status", "ended_on", "end_reason"])
    _close(guidance.case, today)
    services_offer.end_enrolments_of(
        detainee_code=guidance.case.client.pseudonym, network_id=guidance.network_id, by=by
    )
    log_event(
        case=guidance.case,
        by=by,
        kind=Kind.GUIDANCE_ENDED,
        obj=guidance,
        detail=Guidance.EndReason(reason).label,
        action="guidance.ended",
    )
    return guidance


def _close(case: Case, day: datetime.date) -> None:
    Case.objects.filter(pk=case.pk, closed_on__isnull=True).update(closed_on=day)
    # Access ends with its reason: the team rows end today (through today, 404 tomorrow).
    CaseTeamMember.objects.filter(case=case, until__isnull=True).update(until=day)


# --- transfers --------------------------------------------------------------------------------------


@transaction.atomic
def propose_transfer(
    *, guidance: Guidance, to_network: Network, transfer_on: datetime.date, reason: str, by: User
) -> Transfer:
    if to_network.pk == guidance.network_id:
        raise ValidationError({"to_network": _("Een overplaatsing gaat naar een andere gevangenis.")})
    if to_network.kind != Network.Kind.DETENTION:
        raise ValidationError({"to_network": _("Kies een gevangenis.")})
    if transfer_on < guidance.started_on:
        raise ValidationError({"transfer_on": _("De overplaatsing ligt vóór de start van de begeleiding.")})
    # Consent holds throughout: without it, no file goes to another prison.
    covering_consent(case=guidance.case, purpose=Consent.Purpose.CASE_TEAM)
    if Transfer.objects.open().filter(guidance=guidance).exists():
        raise ValidationError(_("Er staat al een overplaatsing open voor deze gedetineerde."))
    transfer = Transfer.objects.create(
        guidance=guidance, to_network=to_network, transfer_on=transfer_on, reason=reason, proposed_by=by
    )
    log_event(
        case=guidance.case,
        by=by,
        kind=Kind.TRANSFER_PROPOSED,
        obj=transfer,
        detail=to_network.name,
        action="transfer.proposed",
    )
    return transfer


def _already_decided(transfer: Transfer) -> None:
    """Raise the Dutch message for a transfer that is no longer open."""
    if transfer.status == Transfer.Status.PROPOSED:
        return
    if transfer.status == Transfer.Status.WITHDRAWN:
        raise ValidationError(
            _("De verzendende gevangenis heeft deze overplaatsing ingetrokken. Er is niets gewijzigd.")
        )
    raise ValidationError(
        _("Over deze overplaatsing is al beslist (%(status)s). Er is niets gewijzigd.")
        % {"status": transfer.get_status_display()}
    )


def _claim(transfer: Transfer, status: str, by: User, **fields) -> Transfer:
    """Move a proposed transfer to ``status`` with one conditional UPDATE: of two teams accepting,
    or an acceptance racing a withdrawal, the database lets exactly one through; the other gets
    a Dutch message and nothing changes."""
    now = timezone.now()
    claimed = Transfer.objects.filter(pk=transfer.pk, status=Transfer.Status.PROPOSED).update(
        status=status, decided_by=by, decided_at=now, **fields
    )
    if not claimed:
        _already_decided(Transfer.objects.get(pk=transfer.pk))
    transfer.status, transfer.decided_by, transfer.decided_at = status, by, now
    for name, value in fields.items():
        setattr(transfer, name, value)
    return transfer


@transaction.atomic
def withdraw_transfer(*, transfer: Transfer, by: User) -> Transfer:
    """The sending team takes a proposed transfer back before the receiving prison decided."""
    transfer = _claim(transfer, Transfer.Status.WITHDRAWN, by)
    log_event(
        case=transfer.guidance.case,
        by=by,
        kind=Kind.TRANSFER_WITHDRAWN,
        obj=transfer,
        detail=transfer.to_network.name,
        action="transfer.withdrawn",
    )
    return transfer


@transaction.atomic
def decide_transfer(
    *, transfer: Transfer, by: User, accept: bool, refusal_reason: str = ""
) -> Guidance | None:
    """The receiving prison's trajectbegeleider accepts (a new case and guidance there, the
    sender's access ends) or refuses with a reason. A transfer is decided once: the second
    team to accept gets a Dutch message and nothing changes."""
    transfer = Transfer.objects.select_related("guidance__case__client", "to_network").get(pk=transfer.pk)
    _already_decided(transfer)  # the friendly early answer; ``_claim`` below is the guarantee
    role = (
        Membership.objects.active()
        .filter(
            user=by,
            network=transfer.to_network,
            role=Membership.Role.TRAJECTORY_GUIDE,
            organisation__isnull=False,
        )
        .select_related("organisation")
        .first()
    )
    if role is None:
        raise ValidationError(
            _("Alleen een trajectbegeleider van de ontvangende gevangenis beslist hierover.")
        )
    old = Guidance.objects.select_for_update().select_related("case__client").get(pk=transfer.guidance_id)
    if not accept:
        if not refusal_reason.strip():
            raise ValidationError({"refusal_reason": _("Geef de reden van de weigering.")})
        transfer = _claim(transfer, Transfer.Status.REFUSED, by, refusal_reason=refusal_reason.strip())
        log_event(
            case=old.case,
            by=by,
            kind=Kind.TRANSFER_REFUSED,
            obj=transfer,
            detail=transfer.to_network.name,
            action="transfer.refused",
        )
        return None
    if old.status != Guidance.Status.ACTIVE:
        raise ValidationError(_("Deze begeleiding loopt niet meer: overplaatsen kan niet."))
    # The receiving team takes over only with consent that covers its organisation.
    consent = covering_consent(
        case=old.case, purpose=Consent.Purpose.CASE_TEAM, organisation=role.organisation
    )
    # Claimed first: a second acceptance (or a withdrawal in between) stops here, before any write.
    transfer = _claim(transfer, Transfer.Status.ACCEPTED, by)
    today = timezone.localdate()
    client = old.case.client
    new_case = Case.objects.create(
        network=transfer.to_network,
        client=client,
        lead_organisation=role.organisation,
        opened_on=today,
        created_by=by,
    )
    CaseTeamMember.objects.create(
        case=new_case,
        organisation=role.organisation,
        user=by,
        role=CaseTeamMember.Role.TRAJECTORY_GUIDE,
        since=today,
        added_by=by,
    )
    log_event(case=new_case, by=by, kind=Kind.OPENED, detail=str(role.organisation), action="case.opened")
    # The consent goes with the file: the same grounds, recorded on the new case.
    moved = Consent.objects.create(
        case=new_case,
        basis=consent.basis,
        given_by=consent.given_by,
        giver_name=consent.giver_name,
        legal_ground=consent.legal_ground,
        covers_case_team=consent.covers_case_team,
        covers_referrals=consent.covers_referrals,
        covers_conference=consent.covers_conference,
        covers_prison_staff=consent.covers_prison_staff,
        data_fields=consent.data_fields,
        given_on=consent.given_on,
        valid_until=consent.valid_until,
        evidence=consent.evidence,
        evidence_note=consent.evidence_note or _("Overgenomen bij de overplaatsing."),
        recorded_by=by,
    )
    moved.organisations.set(consent.organisations.all())
    new = Guidance.objects.create(
        case=new_case,
        network=transfer.to_network,
        guide=by,
        started_on=today,
        question=old.question,
        information=old.information,
        planned_release_on=old.planned_release_on,
        release_warned_on=old.release_warned_on,
        transferred_from=old,
    )
    # The plan goes on: open goals continue in the new prison; the old plan stays as history.
    PlanGoal.objects.bulk_create(
        PlanGoal(
            guidance=new,
            domain_id=goal.domain_id,
            text=goal.text,
            after_release=goal.after_release,
            created_by=by,
        )
        for goal in old.goals.filter(status=PlanGoal.Status.OPEN)
    )
    old.status = Guidance.Status.TRANSFERRED
    old.ended_on = today
    old.save(update_fields=["status", "ended_on"])
    _close(old.case, today)
    services_offer.end_enrolments_of(detainee_code=client.pseudonym, network_id=old.network_id, by=by)
    log_event(
        case=old.case,
        by=by,
        kind=Kind.TRANSFER_ACCEPTED,
        obj=transfer,
        detail=transfer.to_network.name,
        action="transfer.accepted",
    )
    log_event(
        case=new_case,
        by=by,
        kind=Kind.TRANSFERRED_IN,
        obj=new,
        detail=old.network.name,
        action="guidance.transferred_in",
    )
    audit.record(
        by,
        "case.team_ended",
        old.case,
        network_id=old.network_id,
        case_id=old.case_id,
        detail="overplaatsing",
    )
    audit.record(
        by,
        "case.team_added",
        new_case,
        network_id=new_case.network_id,
        case_id=new_case.pk,
        detail="overplaatsing",
    )
    return new
