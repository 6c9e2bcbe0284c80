"""Planmaker trajectories: the aanmelding, the coordinator's decision, the phases, the shared
plan and the bottlenecks signalled from a trajectory.

Every change is one timeline line and one audit event (``log_event``); a write that changes
nothing writes neither. Phase moves lock the row and carry the phase the person saw, so two people
moving the same trajectory at once get a Dutch message instead of a double step.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.models import User
from instruments.models import LifeDomain
from networks.models import Bottleneck, Membership, Network, NetworkMembership, Organisation

from ..models import (
    PLANMAKER_GRACE_DAYS,
    Case,
    CaseTeamMember,
    Consent,
    SharedPlanItem,
    TimelineEvent,
    Trajectory,
)
from .cases import add_team_member, covering_consent, log_event

Phase = Trajectory.Phase


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def planmaker_memberships(network: Network | int):
    """The planmakers of a network today (effective roles, each for an organisation)."""
    network_id = network if isinstance(network, int) else network.pk
    return (
        Membership.objects.active()
        .filter(network_id=network_id, role=Membership.Role.PLANMAKER, organisation__isnull=False)
        .select_related("user", "organisation")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def planmaker_networks_for(organisations):
    """Planmaker networks that one of ``organisations`` is a member of today: where its
    caseworkers refer to."""
    return Network.objects.filter(
        kind=Network.Kind.PLANMAKER,
        pk__in=NetworkMembership.objects.active().filter(organisation__in=organisations).values("network_id"),
    ).order_by("name")


def consent_for_planmakers(*, case: Case, network: Network, on: datetime.date | None = None) -> Consent:
    """A consent in force for the case team that names an organisation of the network's
    planmakers (or a legal ground naming none), as the cliëntoverleg checks it before sharing."""
    organisations = {membership.organisation for membership in planmaker_memberships(network)}
    for organisation in sorted(organisations, key=lambda org: org.pk):
        consent = case.consents.covering(Consent.Purpose.CASE_TEAM, organisation, on=on).first()
        if consent is not None:
            return consent
    if organisations:
        # The first organisation's message says what is missing (withdrawn, or none naming it).
        covering_consent(
            case=case,
            purpose=Consent.Purpose.CASE_TEAM,
            organisation=min(organisations, key=lambda o: o.pk),
            on=on,
        )
    raise ValidationError(_("Dit planmakersnetwerk heeft vandaag geen planmakers."), code="no_planmakers")


@transaction.atomic
def refer(
    *,
    case: Case,
    by: User,
    network: Network,
    referring_organisation: Organisation,
    question: str,
    in_facility_going_badly: bool,
    difficult_from_start: bool,
    involved: str,
    referrer_engaged: bool,
) -> Trajectory:
    """The aanmelding. Raises a ValidationError in Dutch and saves nothing when a rule fails."""
    errors: dict[str, str] = {}
    if case.closed_on is not None:
        errors["question"] = _("Dit dossier is afgesloten.")
    if not (in_facility_going_badly or difficult_from_start):
        errors["in_facility_going_badly"] = _(
            "Duid aan welk criterium van toepassing is: in een voorziening waar het slecht loopt, of een "
            "traject dat van bij de start moeilijk loopt."
        )
    if not referrer_engaged:
        errors["referrer_engaged"] = _(
            "Een aanmelding kan alleen als je zelf deelneemt aan de samenwerkingsoverleggen."
        )
    if network.kind != Network.Kind.PLANMAKER:
        errors["network"] = _("Kies een planmakersnetwerk.")
    elif case.trajectories.filter(network=network).exclude(phase__in=(Phase.CLOSED, Phase.DECLINED)).exists():
        errors["network"] = _("Dit dossier heeft al een lopend traject bij dit planmakersnetwerk.")
    if errors:
        raise ValidationError(errors)
    consent = consent_for_planmakers(case=case, network=network)
    trajectory = Trajectory.objects.create(
        case=case,
        network=network,
        referring_organisation=referring_organisation,
        referred_by=by,
        question=question,
        in_facility_going_badly=in_facility_going_badly,
        difficult_from_start=difficult_from_start,
        involved=involved,
        referrer_engaged=True,
        consent=consent,
        referred_on=timezone.localdate(),
    )
    log_event(
        case=case,
        by=by,
        kind=TimelineEvent.Kind.TRAJECTORY_REFERRED,
        obj=trajectory,
        detail=str(network),
        action="trajectory.referred",
    )
    return trajectory


def _locked(trajectory: Trajectory, seen_phase: str) -> Trajectory:
    locked = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    if locked.phase != seen_phase:
        raise ValidationError(
            _(
                "Iemand anders heeft dit traject intussen al naar de fase „%(phase)s” gebracht. "
                "Bekijk de pagina opnieuw; er ging niets verloren."
            )
            % {"phase": locked.get_phase_display()},
            code="stale",
        )
    return locked


def _check_day(on: datetime.date, *, after: datetime.date, after_label: str) -> None:
    if on > timezone.localdate():
        raise ValidationError(
            {"on": _("Deze datum ligt in de toekomst. Registreer de stap op de dag zelf of achteraf.")}
        )
    if on < after:
        raise ValidationError(
            {"on": _("Deze datum ligt vóór %(what)s (%(day)s).") % {"what": after_label, "day": _day(after)}}
        )


@transaction.atomic
def decide(
    *,
    trajectory: Trajectory,
    by: User,
    accept: bool,
    planmakers: list[User] | tuple = (),
    reason: str = "",
    on: datetime.date | None = None,
) -> Trajectory:
    """The coordinator accepts (and assigns one or more planmakers, who join the case team) or
    declines with a reason."""
    on = on or timezone.localdate()
    locked = _locked(trajectory, Phase.REFERRED)
    _check_day(on, after=locked.referred_on, after_label=_("de aanmelding"))
    if not accept:
        if not reason.strip():
            raise ValidationError({"reason": _("Geef de reden waarom de aanmelding niet aanvaard wordt.")})
        locked.phase = Phase.DECLINED
        locked.decline_reason = reason.strip()
        locked.decided_on = on
        locked.decided_by = by
        locked.save(update_fields=["phase", "decline_reason", "decided_on", "decided_by"])
        log_event(
            case=locked.case,
            by=by,
            kind=TimelineEvent.Kind.TRAJECTORY_DECIDED,
            obj=locked,
            detail=_("niet aanvaard"),
            action="trajectory.declined",
            changed_fields=["phase", "decline_reason"],
        )
        return locked
    if not planmakers:
        raise ValidationError({"planmakers": _("Wijs minstens één planmaker toe.")})
    memberships = {m.user_id: m for m in planmaker_memberships(locked.network_id)}
    unknown = [user for user in planmakers if user.pk not in memberships]
    if unknown:
        raise ValidationError({"planmakers": _("Kies planmakers van dit netwerk.")})
    locked.phase = Phase.CONNECTING
    locked.decided_on = on
    locked.decided_by = by
    locked.connecting_on = on
    locked.save(update_fields=["phase", "decided_on", "decided_by", "connecting_on"])
    log_event(
        case=locked.case,
        by=by,
        kind=TimelineEvent.Kind.TRAJECTORY_DECIDED,
        obj=locked,
        detail=_("aanvaard"),
        action="trajectory.accepted",
        changed_fields=["phase", "connecting_on"],
    )
    for user in planmakers:
        # Shares the client's data with the planmaker's organisation: add_team_member checks the
        # consent (a ValidationError rolls the whole decision back).
        add_team_member(
            case=locked.case,
            organisation=memberships[user.pk].organisation,
            user=user,
            role=CaseTeamMember.Role.PLANMAKER,
            by=by,
            since=on,
        )
    # The product schedules the start meeting itself (issue 19 §3).
    from .trajectory_meetings import schedule_start_meeting

    schedule_start_meeting(locked, by=by, accepted_on=on)
    return locked


@transaction.atomic
def move_phase(
    *,
    trajectory: Trajectory,
    by: User,
    seen_phase: str,
    on: datetime.date,
    outcome: str = "",
    outcome_note: str = "",
) -> Trajectory:
    """One step forward (Trajectory.STEPS): connecting → mandate → shared plan → follow-up → closed."""
    locked = _locked(trajectory, seen_phase)
    target = locked.next_phase()
    if target is None:
        raise ValidationError(_("Dit traject kan niet naar een volgende fase."), code="final")
    previous_field = Trajectory.PHASE_DATE_FIELDS[Phase(locked.phase)]
    _check_day(on, after=getattr(locked, previous_field), after_label=_("de vorige fase"))
    changed = ["phase", Trajectory.PHASE_DATE_FIELDS[target]]
    if target == Phase.PLAN:
        if locked.mandate_on is None:
            raise ValidationError(_("Een gedeeld plan komt pas na het mandaat."), code="no_mandate")
        if not locked.plan_items.exists():
            raise ValidationError(
                _("Het gedeeld plan heeft nog geen doel of afspraak. Voeg er eerst één toe."),
                code="empty_plan",
            )
    if target == Phase.CLOSED:
        if outcome not in Trajectory.Outcome.values:
            raise ValidationError({"outcome": _("Kies de uitkomst van het traject om het af te sluiten.")})
        locked.outcome = outcome
        locked.outcome_note = outcome_note.strip()
        changed += ["outcome", "outcome_note"]
    locked.phase = target
    setattr(locked, Trajectory.PHASE_DATE_FIELDS[target], on)
    locked.save(update_fields=changed)
    log_event(
        case=locked.case,
        by=by,
        kind=TimelineEvent.Kind.TRAJECTORY_PHASE,
        obj=locked,
        detail=str(target.label) + (f": {locked.get_outcome_display()}" if target == Phase.CLOSED else ""),
        action=f"trajectory.{target}",
        changed_fields=changed,
    )
    if target == Phase.CLOSED:
        # The planmakers' reason to read the case ends with the trajectory (plus the grace period
        # to finish their notes): their team rows end then.
        until = on + datetime.timedelta(days=PLANMAKER_GRACE_DAYS)
        locked.case.team.filter(role=CaseTeamMember.Role.PLANMAKER).filter(until__isnull=True).update(
            until=until
        )
    return locked


PLAN_PHASES = (Phase.MANDATE, Phase.PLAN, Phase.FOLLOW_UP)


@transaction.atomic
def add_plan_item(
    *,
    trajectory: Trajectory,
    by: User,
    domain: LifeDomain | None,
    kind: str,
    text: str,
    owner: str,
    due_on: datetime.date | None,
) -> SharedPlanItem:
    if trajectory.phase not in PLAN_PHASES or trajectory.mandate_on is None:
        raise ValidationError(
            _("Het gedeeld plan start pas wanneer het mandaat geregistreerd is."), code="no_mandate"
        )
    errors = {}
    if domain is None:
        errors["domain"] = _("Kies het levensdomein van dit doel of deze afspraak.")
    if not text.strip():
        errors["text"] = _("Omschrijf het doel of de afspraak.")
    if not owner.strip():
        errors["owner"] = _("Wie neemt dit op?")
    if due_on is not None and due_on < trajectory.referred_on:
        errors["due_on"] = _("Deze datum ligt vóór de aanmelding.")
    if errors:
        raise ValidationError(errors)
    item = SharedPlanItem.objects.create(
        trajectory=trajectory,
        domain=domain,
        kind=kind,
        text=text.strip(),
        owner=owner.strip(),
        due_on=due_on,
        created_by=by,
    )
    log_event(
        case=trajectory.case,
        by=by,
        kind=TimelineEvent.Kind.SHARED_PLAN_ADDED,
        obj=item,
        detail=f"{item.get_kind_display()} ({domain})",
        action="shared_plan.added",
    )
    return item


@transaction.atomic
def update_plan_item(
    *, item: SharedPlanItem, by: User, status: str, due_on: datetime.date | None
) -> SharedPlanItem:
    """Changes status or due date; a change of nothing writes nothing."""
    if status not in SharedPlanItem.Status.values:
        raise ValidationError({"status": _("Kies een status uit de lijst.")})
    if item.trajectory.phase not in PLAN_PHASES:
        raise ValidationError(_("Dit traject is afgesloten: het plan verandert niet meer."), code="closed")
    changed = [
        field for field, value in (("status", status), ("due_on", due_on)) if getattr(item, field) != value
    ]
    if not changed:
        return item
    item.status = status
    item.due_on = due_on
    item.save(update_fields=changed)
    log_event(
        case=item.trajectory.case,
        by=by,
        kind=TimelineEvent.Kind.SHARED_PLAN_UPDATED,
        obj=item,
        detail=f"{item.get_kind_display()} ({item.domain}): {item.get_status_display()}",
        action="shared_plan.updated",
        changed_fields=changed,
    )
    return item


@transaction.atomic
def signal_bottleneck(
    *,
    trajectory: Trajectory,
    by: User,
    existing: Bottleneck | None = None,
    title: str = "",
    category: str = "",
    level: str = "",
    description: str = "",
    concerns: str = "",
) -> Bottleneck:
    """Links a bottleneck of the planmaker network to the trajectory, creating it when new."""
    if existing is not None:
        if existing.network_id != trajectory.network_id:
            raise ValidationError({"existing": _("Kies een knelpunt van dit planmakersnetwerk.")})
        bottleneck = existing
        if trajectory.bottlenecks.filter(pk=bottleneck.pk).exists():
            return bottleneck
    else:
        bottleneck = Bottleneck(
            network_id=trajectory.network_id,
            title=title.strip(),
            category=category,
            level=level,
            description=description.strip(),
            concerns=concerns.strip(),
            created_by=by,
        )
        bottleneck.full_clean()
        bottleneck.save()
        audit.record(by, "bottleneck.signalled", bottleneck, network_id=trajectory.network_id)
    trajectory.bottlenecks.add(bottleneck)
    log_event(
        case=trajectory.case,
        by=by,
        kind=TimelineEvent.Kind.BOTTLENECK_SIGNALLED,
        obj=trajectory,
        detail=bottleneck.title,
        action="trajectory.bottleneck_linked",
    )
    return bottleneck


@transaction.atomic
def move_bottleneck(
    *,
    bottleneck: Bottleneck,
    by: User,
    status: str,
    on: datetime.date,
    meeting=None,
    findings: str = "",
    passed_to: str = "",
    answer: str = "",
) -> Bottleneck:
    """signalled → discussed (in a learning-network meeting) → passed on (to whom) → resolved or not
    resolvable (with the answer or the explanation)."""
    locked = Bottleneck.objects.select_for_update().get(pk=bottleneck.pk)
    if status not in Bottleneck.Status.values or not locked.can_move_to(status):
        raise ValidationError(
            _("Een knelpunt met status „%(current)s” kan niet naar deze status.")
            % {"current": locked.get_status_display()},
            code="transition",
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("Deze datum ligt in de toekomst.")})
    if on < locked.signalled_on:
        raise ValidationError(
            {"on": _("Deze datum ligt vóór het signaleren (%(day)s).") % {"day": _day(locked.signalled_on)}}
        )
    changed = ["status"]
    if status == Bottleneck.Status.DISCUSSED:
        if meeting is None:
            raise ValidationError({"meeting": _("Kies de vergadering van het lerend netwerk.")})
        locked.discussed_on = on
        locked.findings = findings.strip()
        changed += ["discussed_on", "findings"]
    elif status == Bottleneck.Status.PASSED_ON:
        if not passed_to.strip():
            raise ValidationError({"passed_to": _("Aan wie werd het knelpunt doorgegeven?")})
        locked.passed_on_on = on
        locked.passed_to = passed_to.strip()
        changed += ["passed_on_on", "passed_to"]
    else:
        if not answer.strip():
            raise ValidationError({"answer": _("Noteer het antwoord of de toelichting.")})
        locked.answered_on = on
        locked.answer = answer.strip()
        changed += ["answered_on", "answer"]
    locked.status = status
    locked.save(update_fields=changed)
    if meeting is not None and status == Bottleneck.Status.DISCUSSED:
        locked.discussed_in.add(meeting)
    audit.record(by, f"bottleneck.{status}", locked, network_id=locked.network_id, changed_fields=changed)
    return locked
