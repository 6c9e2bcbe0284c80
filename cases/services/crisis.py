"""Crisis calls, episodes and steps (issue 18). Every write is audited; steps of an episode
linked to a case also go on the case's timeline.

Rules the database keeps, whatever the view: one call per form token (a double click registers
one call), one running step per place of a provider (the last bed goes to one operator), a
shelter extended once (a conditional UPDATE), a dispatched call is admissible.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ijh import audit
from ijh.mail import send_mail_once
from ijh.models import User
from instruments.models import CrisisProgramme, CrisisProvider, CrisisStepKind
from networks.models import Membership

from ..models import (
    Case,
    CaseTeamMember,
    Client,
    Consent,
    CrisisCall,
    CrisisConflict,
    CrisisEpisode,
    CrisisStep,
    TimelineEvent,
)
from .cases import add_team_member, log_event, record_consent

# A clock a few minutes ahead of the server's is not "the future".
CLOCK_SLACK = datetime.timedelta(minutes=5)
# A call taken in the night may be entered the next morning, or after a weekend.
BACKDATE_LIMIT = datetime.timedelta(days=7)
PLACE_KINDS = (CrisisStepKind.GUIDANCE, CrisisStepKind.SHELTER)


def _fmt(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def check_moment(moment: datetime.datetime, *, field: str, not_before=None, now=None) -> None:
    now = now or timezone.now()
    if moment > now + CLOCK_SLACK:
        raise ValidationError({field: _("Dit tijdstip ligt in de toekomst.")})
    if not_before is not None and moment < not_before:
        raise ValidationError({field: _("Dit tijdstip ligt vóór %(at)s.") % {"at": _fmt(not_before)}})


def _timeline(episode: CrisisEpisode, *, by: User, kind: str, obj, detail: str, action: str) -> None:
    if episode.case_id is not None:
        log_event(case=episode.case, by=by, kind=kind, obj=obj, detail=detail, action=action)
    else:
        audit.record(by, action, obj, network_id=episode.network_id)


@transaction.atomic
def register_call(
    *,
    programme: CrisisProgramme,
    by: User,
    token: uuid.UUID,
    received_at: datetime.datetime,
    caller: str,
    urgency: str,
    question: str,
    admissible: bool,
    outcome: str,
    referred_to: str = "",
    provider: CrisisProvider | None = None,
    handed_over_at: datetime.datetime | None = None,
) -> tuple[CrisisCall, bool]:
    """Register a call; a dispatched one opens an episode with its intervention step. Returns
    (call, created): the same token again returns the call registered the first time."""
    existing = CrisisCall.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    check_moment(received_at, field="received_at", now=now)
    if received_at < now - BACKDATE_LIMIT:
        raise ValidationError(
            {"received_at": _("Een oproep van meer dan 7 dagen geleden registreer je niet meer.")}
        )
    dispatched = outcome == CrisisCall.Outcome.DISPATCHED
    if dispatched and not admissible:
        raise ValidationError(
            {"outcome": _("Alleen een ontvankelijke oproep wordt doorgeschakeld binnen het netwerk.")}
        )
    if dispatched and provider is None:
        raise ValidationError({"provider": _("Kies de aanbieder die de crisisinterventie doet.")})
    if outcome == CrisisCall.Outcome.REFERRED and not referred_to.strip():
        raise ValidationError({"referred_to": _("Zeg naar wie het meldpunt doorverwees.")})
    try:
        with transaction.atomic():
            call = CrisisCall.objects.create(
                network_id=programme.network_id,
                programme=programme,
                token=token,
                received_at=received_at,
                caller=caller,
                urgency=urgency,
                question=question.strip(),
                admissible=admissible,
                outcome=outcome,
                referred_to=referred_to.strip() if outcome == CrisisCall.Outcome.REFERRED else "",
                closed_on=None if dispatched else timezone.localdate(received_at),
                registered_by=by,
            )
    except IntegrityError:
        # The same form posted twice at once: the other request registered it.
        existing = CrisisCall.objects.filter(token=token).first()
        if existing is None:
            raise
        return existing, False
    audit.record(by, "crisiscall.registered", call, network_id=call.network_id)
    if dispatched:
        episode = CrisisEpisode.objects.create(
            call=call, network_id=call.network_id, client=Client.objects.create(), opened_at=received_at
        )
        audit.record(by, "crisisepisode.opened", episode, network_id=call.network_id)
        start_step(
            episode=episode,
            kind=CrisisStepKind.INTERVENTION,
            provider=provider,
            started_at=handed_over_at or now,
            by=by,
            field="handed_over_at",
        )
    return call, True


def free_place(provider: CrisisProvider) -> int | None:
    """The lowest free place number of the provider, or None when all are taken."""
    taken = set(
        CrisisStep.objects.running()
        .filter(provider=provider, place_number__isnull=False)
        .values_list("place_number", flat=True)
    )
    return next((number for number in range(1, provider.places + 1) if number not in taken), None)


@transaction.atomic
def start_step(
    *,
    episode: CrisisEpisode,
    kind: str,
    provider: CrisisProvider,
    started_at: datetime.datetime,
    by: User,
    field: str = "started_at",
) -> CrisisStep:
    """Hand the episode over to a provider for a step. Guidance and shelter take one of the
    provider's crisis places; the unique constraint on running places decides a race."""
    if episode.closed_at is not None:
        raise ValidationError(_("Deze episode is afgesloten."))
    programme = episode.call.programme
    if provider.programme_id != programme.pk or provider.step != kind or not provider.is_active:
        raise ValidationError(
            {"provider": _("Deze aanbieder neemt niet deel aan deze stap van het programma.")}
        )
    check_moment(started_at, field=field, not_before=episode.call.received_at)
    if episode.steps.running().filter(provider=provider, kind=kind).exists():
        raise ValidationError(
            {"provider": _("Deze stap loopt al bij %(org)s.") % {"org": provider.organisation}}
        )
    step = CrisisStep(
        episode=episode,
        kind=kind,
        provider=provider,
        started_at=started_at,
        limit_days=programme.limit_days(kind),
        started_by=by,
    )
    step.due_at = step.compute_due()
    if kind in PLACE_KINDS:
        step.place_number = free_place(provider)
        if step.place_number is None:
            raise ValidationError(
                {
                    "provider": _("Bij %(org)s is er geen vrije crisisplaats meer.")
                    % {"org": provider.organisation}
                }
            )
    try:
        with transaction.atomic():
            step.save()
    except IntegrityError:
        raise ValidationError(
            {
                "provider": _(
                    "Iemand anders nam net de laatste vrije plaats bij %(org)s. Kies een andere aanbieder."
                )
                % {"org": provider.organisation}
            }
        ) from None
    _timeline(
        episode,
        by=by,
        kind=TimelineEvent.Kind.CRISIS_STEP_STARTED,
        obj=step,
        detail=str(step),
        action="crisisstep.started",
    )
    return step


@transaction.atomic
def end_step(*, step: CrisisStep, ended_at: datetime.datetime, by: User) -> CrisisStep:
    if step.ended_at is not None:
        raise ValidationError(_("Deze stap is al beëindigd."))
    if ended_at < step.started_at:
        raise ValidationError(
            {"ended_at": _("Het einde ligt vóór het begin (%(at)s).") % {"at": _fmt(step.started_at)}}
        )
    check_moment(ended_at, field="ended_at")
    updated = CrisisStep.objects.filter(pk=step.pk, ended_at__isnull=True).update(
        ended_at=ended_at, ended_on=timezone.localdate(ended_at)
    )
    if not updated:
        raise ValidationError(_("Deze stap is al beëindigd."))
    step.refresh_from_db()
    _timeline(
        step.episode,
        by=by,
        kind=TimelineEvent.Kind.CRISIS_STEP_ENDED,
        obj=step,
        detail=str(step),
        action="crisisstep.ended",
    )
    return step


@transaction.atomic
def extend_shelter(*, step: CrisisStep, reason: str, by: User) -> CrisisStep:
    """The one extension of a shelter stay, with a reason; a second one is refused."""
    if step.kind != CrisisStepKind.SHELTER:
        raise ValidationError(_("Alleen een crisisopvang kan verlengd worden."))
    if step.ended_at is not None:
        raise ValidationError(_("Deze opvang is al beëindigd."))
    if not reason.strip():
        raise ValidationError({"extension_reason": _("Geef de reden van de verlenging.")})
    days = step.episode.call.programme.shelter_extension_days
    if days == 0:
        raise ValidationError(_("Het programma voorziet geen verlenging van de crisisopvang."))
    # Conditional: two clicks at once extend once.
    updated = CrisisStep.objects.filter(pk=step.pk, extension_days=0, ended_at__isnull=True).update(
        extension_days=days, extension_reason=reason.strip()[:300]
    )
    if not updated:
        raise ValidationError(_("Een crisisopvang kan maar één keer verlengd worden."))
    step.refresh_from_db()
    step.due_at = step.compute_due()
    step.overdue_marked_at = None
    step.save(update_fields=["due_at", "overdue_marked_at"])
    _timeline(
        step.episode,
        by=by,
        kind=TimelineEvent.Kind.CRISIS_SHELTER_EXTENDED,
        obj=step,
        detail=_("met %(days)s dagen") % {"days": days},
        action="crisisstep.extended",
    )
    return step


@transaction.atomic
def close_episode(
    *, episode: CrisisEpisode, outcome: str, closed_at: datetime.datetime, by: User
) -> CrisisEpisode:
    """Close the episode; steps still running end at the same moment."""
    if episode.closed_at is not None:
        raise ValidationError(_("Deze episode is al afgesloten."))
    if outcome not in CrisisEpisode.Outcome.values:
        raise ValidationError({"outcome": _("Kies de uitkomst uit de lijst.")})
    latest_start = max([episode.opened_at, *episode.steps.values_list("started_at", flat=True)])
    check_moment(closed_at, field="closed_at", not_before=latest_start)
    for step in episode.steps.running():
        end_step(step=step, ended_at=closed_at, by=by)
    updated = CrisisEpisode.objects.filter(pk=episode.pk, closed_at__isnull=True).update(
        closed_at=closed_at, closed_on=timezone.localdate(closed_at), outcome=outcome
    )
    if not updated:
        raise ValidationError(_("Deze episode is al afgesloten."))
    CrisisCall.objects.filter(pk=episode.call_id).update(closed_on=timezone.localdate(closed_at))
    episode.refresh_from_db()
    _timeline(
        episode,
        by=by,
        kind=TimelineEvent.Kind.CRISIS_EPISODE_CLOSED,
        obj=episode,
        detail=episode.get_outcome_display(),
        action="crisisepisode.closed",
    )
    return episode


def mark_overdue_steps(*, now: datetime.datetime | None = None) -> int:
    """Mark running steps past their limit (once each) and mail the provider where it gave an
    address: one mail per step, ever (``send_mail_once``). Returns how many were marked."""
    from ijh.mail import absolute_url

    now = now or timezone.now()
    marked = 0
    with transaction.atomic():
        steps = list(
            CrisisStep.objects.overdue(now)
            .filter(overdue_marked_at__isnull=True)
            .select_related("provider__organisation", "episode__client")
            .select_for_update(of=("self",), skip_locked=True)
        )
        if not steps:
            return 0
        marked = CrisisStep.objects.filter(
            pk__in=[s.pk for s in steps], overdue_marked_at__isnull=True
        ).update(overdue_marked_at=now)
        for step in steps:
            audit.record(None, "crisisstep.overdue", step, network_id=step.episode.network_id)
            if not step.provider.email:
                continue
            pseudonym = step.episode.client.pseudonym
            send_mail_once(
                key=f"crisis-step-overdue:{step.pk}",
                to=step.provider.email,
                subject=_("Crisisstap over termijn: %(step)s (%(pseudonym)s)")
                % {"step": step.get_kind_display(), "pseudonym": pseudonym},
                template="notice",
                context={
                    "name": str(step.provider.organisation),
                    "paragraphs": [
                        _(
                            "De %(step)s voor %(pseudonym)s is op %(due)s over haar termijn gegaan. "
                            "Beëindig de stap, of verleng een crisisopvang één keer met een reden."
                        )
                        % {"step": step.get_kind_display(), "pseudonym": pseudonym, "due": _fmt(step.due_at)}
                    ],
                    "link": absolute_url(reverse("cases:crisis-episode", args=[step.episode_id])),
                    "link_label": _("Open de episode"),
                },
            )
    return marked


def providers_with_occupancy(programme_id: int, *, active_only: bool = True):
    """The programme's providers with ``occupied`` (running steps holding a place) annotated and
    ``free_places`` set on each: one query, whatever the number of providers or episodes."""
    from django.db.models import Count, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    running = (
        CrisisStep.objects.filter(provider=OuterRef("pk"), ended_at__isnull=True, place_number__isnull=False)
        .order_by()
        .values("provider")
        .annotate(n=Count("pk"))
        .values("n")
    )
    providers = CrisisProvider.objects.filter(programme_id=programme_id)
    if active_only:
        providers = providers.filter(is_active=True)
    providers = list(
        providers.annotate(occupied=Coalesce(Subquery(running, output_field=IntegerField()), 0))
        .select_related("organisation__sector")
        .order_by("step", "organisation__name")
    )
    for provider in providers:
        provider.free_places = max(provider.places - provider.occupied, 0)
    return providers


def period_bounds(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    """Half 1 (January–June), 2 (July–December) or 0 (the calendar year)."""
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    if half == 2:
        return datetime.date(year, 7, 1), datetime.date(year, 12, 31)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def forfait_overview(programme: CrisisProgramme, start: datetime.date, end: datetime.date) -> dict:
    """Per provider organisation: interventions, guidances and shelters started in [start, end]
    and the forfaits due for them (the programme's amounts). One query. Counts per organisation
    for payment, no client data."""
    from django.db.models import Case as SqlCase
    from django.db.models import Count, DecimalField, F, Sum, When

    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    stop = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    amount = SqlCase(
        *(When(kind=kind, then=F(f"provider__programme__forfait_{kind}")) for kind in CrisisStepKind.values),
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )
    rows: dict[str, dict] = {}
    for name, kind, n, due in (
        CrisisStep.objects.filter(provider__programme=programme, started_at__gte=begin, started_at__lt=stop)
        .values_list("provider__organisation__name", "kind")
        .annotate(n=Count("pk"), due=Sum(amount))
        .order_by("provider__organisation__name", "kind")
    ):
        row = rows.setdefault(
            name, {"organisation": name, **dict.fromkeys(CrisisStepKind.values, 0), "amount": 0}
        )
        row[kind] = n
        row["amount"] += due
    totals = {kind: sum(row[kind] for row in rows.values()) for kind in CrisisStepKind.values}
    totals["amount"] = sum((row["amount"] for row in rows.values()), 0)
    return {"rows": list(rows.values()), "totals": totals, "start": start, "end": end}


@transaction.atomic
def raise_conflict(
    *, episode: CrisisEpisode, kind: str, first_organisation, second_organisation, question: str, by: User
) -> CrisisConflict:
    """Log a disagreement on who takes the next step; it goes to the network's core group."""
    if episode.closed_at is not None:
        raise ValidationError(_("Deze episode is afgesloten."))
    if first_organisation.pk == second_organisation.pk:
        raise ValidationError({"second_organisation": _("Kies twee verschillende organisaties.")})
    conflict = CrisisConflict.objects.create(
        episode=episode,
        network_id=episode.network_id,
        kind=kind,
        first_organisation=first_organisation,
        second_organisation=second_organisation,
        question=question.strip(),
        raised_by=by,
    )
    _timeline(
        episode,
        by=by,
        kind=TimelineEvent.Kind.CRISIS_CONFLICT_RAISED,
        obj=conflict,
        detail=str(conflict),
        action="crisisconflict.raised",
    )
    return conflict


@transaction.atomic
def resolve_conflict(*, conflict: CrisisConflict, resolution: str, note: str, by: User) -> CrisisConflict:
    if resolution not in CrisisConflict.Resolution.values:
        raise ValidationError({"resolution": _("Kies de beslissing uit de lijst.")})
    updated = CrisisConflict.objects.filter(pk=conflict.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=resolution, resolution_note=note.strip()[:500], resolved_by=by
    )
    if not updated:
        raise ValidationError(_("Over dit praktijkoverleg is al beslist."))
    conflict.refresh_from_db()
    _timeline(
        conflict.episode,
        by=by,
        kind=TimelineEvent.Kind.CRISIS_CONFLICT_RESOLVED,
        obj=conflict,
        detail=conflict.get_resolution_display(),
        action="crisisconflict.resolved",
    )
    return conflict


# --- a case for the episode's client --------------------------------------------------------------


def episode_organisations(episode: CrisisEpisode, steps=None) -> list:
    """The organisations with a step in the episode, in the order they took one (its provider
    team). ``steps``: the episode's steps with ``provider__organisation``, when already loaded."""
    if steps is None:
        steps = episode.steps.select_related("provider__organisation").order_by("started_at", "id")
    seen: dict[int, object] = {}
    for step in steps:
        seen.setdefault(step.provider.organisation_id, step.provider.organisation)
    return list(seen.values())


def _lock_unlinked(episode: CrisisEpisode) -> CrisisEpisode:
    """The episode, locked for the rest of the transaction, if no case is linked yet: two clicks
    (or two colleagues) at once link one case."""
    locked = CrisisEpisode.objects.select_for_update().get(pk=episode.pk)
    if locked.case_id is not None:
        raise ValidationError(
            _("Deze episode is al gekoppeld aan dossier %(pseudonym)s.")
            % {"pseudonym": locked.case.client.pseudonym},
            code="already_linked",
        )
    if locked.closed_at is not None:
        raise ValidationError(_("Deze episode is afgesloten."))
    return locked


def _link(*, episode: CrisisEpisode, case: Case, by: User, action: str) -> None:
    CrisisEpisode.objects.filter(pk=episode.pk).update(case=case)
    episode.case = case
    kinds = ", ".join(
        str(CrisisStepKind(kind).label)
        for kind in episode.steps.order_by("started_at", "id").values_list("kind", flat=True)
    )
    # The case's timeline (and the audit log on the episode) says which episode came in and
    # which steps it had so far; its later steps go on the timeline as they happen.
    log_event(
        case=case,
        by=by,
        kind=TimelineEvent.Kind.CRISIS_EPISODE,
        obj=episode,
        detail=f"{episode}: {kinds}" if kinds else str(episode),
        action=action,
    )


@transaction.atomic
def open_case_for_episode(
    *,
    episode: CrisisEpisode,
    by: User,
    lead_organisation,
    consent: dict | None = None,
    first_name: str = "",
    last_name: str = "",
    birth_year: int | None = None,
) -> Case:
    """A new case for the episode's client, in the crisis network, led by one of the episode's
    providers. Its team is the episode's provider team: the lead organisation at once (with the
    person opening it, when they work there), the other providers only under the consent (or
    legal ground) recorded here, through the case team's consent rule (``add_team_member``).
    Names are stored only after that consent is on record."""
    episode = _lock_unlinked(episode)
    organisations = episode_organisations(episode)
    if lead_organisation.pk not in {organisation.pk for organisation in organisations}:
        raise ValidationError({"lead_organisation": _("Kies een aanbieder van deze episode.")})
    named = bool(first_name.strip() or last_name.strip())
    if named and consent is None:
        raise ValidationError(
            {
                "first_name": _(
                    "Een naam bewaar je pas als de toestemming of wettelijke grond geregistreerd is."
                )
            }
        )
    client = episode.client
    if client.cases.exists():
        raise ValidationError(_("Deze cliënt heeft al een dossier: koppel de episode aan dat dossier."))
    today = timezone.localdate()
    works_there = Membership.objects.active().filter(
        user=by,
        network_id=episode.network_id,
        role=Membership.Role.CASEWORKER,
        organisation=lead_organisation,
    )
    case = Case.objects.create(
        network_id=episode.network_id,
        client=client,
        lead_organisation=lead_organisation,
        opened_on=today,
        created_by=by,
    )
    # The meldpunt opens the file for the providers: it is not on the team itself.
    CaseTeamMember.objects.create(
        case=case,
        organisation=lead_organisation,
        user=by if works_there.exists() else None,
        role=CaseTeamMember.Role.LEAD,
        since=today,
        added_by=by,
    )
    log_event(
        case=case, by=by, kind=TimelineEvent.Kind.OPENED, detail=str(lead_organisation), action="case.opened"
    )
    _link(episode=episode, case=case, by=by, action="crisisepisode.case_opened")
    if consent is not None:
        if birth_year:
            client.birth_year = birth_year  # for the consent's age check; saved below
        record = Consent(case=case, covers_case_team=True, **consent)
        record.full_clean(exclude=["case", "recorded_by"])
        record_consent(consent=record, organisations=organisations, by=by)
        for organisation in organisations:
            if organisation.pk != lead_organisation.pk:
                add_team_member(case=case, organisation=organisation, by=by, since=today)
        changed = [
            field
            for field, value in (
                ("first_name", first_name),
                ("last_name", last_name),
                ("birth_year", birth_year),
            )
            if value
        ]
        if changed:
            client.first_name, client.last_name = first_name.strip(), last_name.strip()
            client.birth_year = birth_year or client.birth_year
            client.full_clean()
            client.save(update_fields=["first_name", "last_name", "birth_year", "birth_date"])
            log_event(
                case=case,
                by=by,
                kind=TimelineEvent.Kind.UPDATED,
                obj=client,
                action="client.identified",
                changed_fields=changed,
            )
    return case


@transaction.atomic
def link_case(*, episode: CrisisEpisode, case: Case, by: User) -> Case:
    """Link the episode to an existing case the user reaches (the view fetched it through
    ``get_case_for_user``). The episode keeps its own pseudonym; its steps go on that case's
    timeline from now on."""
    episode = _lock_unlinked(episode)
    if case.closed_on is not None:
        raise ValidationError(
            {
                "reference": _("Dossier %(pseudonym)s is afgesloten; open een nieuw dossier.")
                % {"pseudonym": case.client.pseudonym}
            }
        )
    _link(episode=episode, case=case, by=by, action="crisisepisode.case_linked")
    audit.record(by, "case.crisis_episode_linked", case, network_id=case.network_id, case_id=case.pk)
    return case
