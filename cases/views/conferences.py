"""The cliëntoverleg pages: the request, the organising cell's inbox, the conference and its sessions.

Who does what (``cases.access.ConferenceAction``): the case team requests and withdraws, the
organising cell (network coordinators) decides and assigns a chair, the chair runs the sessions,
the werkplan and the closing. Client names, invitees and free text are shown to the team and the
chair only; the cell sees the pseudonym and reads the request itself, which it must judge.
"""

from collections import defaultdict
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from networks.models import Membership, NetworkMembership, Organisation

from ..access import (
    ConferenceAction,
    cell_conferences,
    chaired_conferences,
    get_case_for_user,
    get_conference_for_user,
    get_plan_item_for_user,
    get_session_for_user,
)
from ..forms.conferences import (
    CaseManagerForm,
    ChairForm,
    CloseForm,
    DecisionForm,
    EvaluationForm,
    FollowUpForm,
    InvitationForm,
    PlanItemForm,
    RequestForm,
    SessionForm,
    SessionNotesForm,
)
from ..models import (
    CarePlanItem,
    Case,
    CaseTeamMember,
    ClientConference,
    ConferenceEvaluation,
    ConferenceSession,
    SessionInvitation,
)
from ..reads import log_read
from ..services import conferences as services
from ..services import documents

Status = ClientConference.Status
PAGE_SIZE = 50


def _apply_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: per field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _submit(
    request: AuthedRequest,
    form,
    *,
    save: Callable[[dict], object],
    message: str,
    next_url: Callable[[object], str],
    refused: Callable[[], HttpResponse],
) -> HttpResponse:
    """The one pattern of the conference POST views: validate → service → message and redirect;
    a refusal (the form's, or the service's Dutch ValidationError) re-renders the page or its htmx
    section with what was typed, status 422, and the database as it was."""
    if form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, message)
            return redirect_after_post(request, next_url(result))
    return refused()


def case_section_context(case: Case) -> dict:
    """For the case detail page: ``context.update(case_section_context(case))`` then include
    ``cases/conferences/_case_section.html``. One query."""
    conferences = list(
        case.conferences.select_related("requesting_organisation", "chair").annotate(
            next_session=Min(
                "sessions__starts_at",
                filter=Q(
                    sessions__status=ConferenceSession.Status.PLANNED, sessions__starts_at__gte=timezone.now()
                ),
            )
        )
    )
    return {"conferences": conferences}


# --- request -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conference_request(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    form = RequestForm(request.POST or None, case=case, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                conference = services.request_conference(case=case, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("De aanvraag voor een cliëntoverleg is ingediend."))
                return redirect_after_post(request, reverse("cases:conference-detail", args=[conference.pk]))
        status = 422
    if request.method == "GET":
        log_read(request, case, page="conference_request", case_id=case.pk)
    context = {
        "case": case,
        "form": form,
        "title": _("Cliëntoverleg aanvragen"),
        "action": reverse("cases:conference-request", args=[case.pk]),
    }
    template = "cases/conferences/request_form.html" + ("#form" if request.htmx else "")
    return render(request, template, context, status=status)


# --- the organising cell's inbox -----------------------------------------------------------------


@login_required
@require_GET
def conference_inbox(request: AuthedRequest) -> HttpResponse:
    """Requests to decide and conferences running in the networks the user coordinates (pseudonyms
    only), and the conferences the user chairs."""
    roles = list(
        Membership.objects.active()
        .filter(
            user=request.user,
            role__in=(Membership.Role.COORDINATOR, Membership.Role.CHAIRPERSON_EXTERNAL),
            network__isnull=False,
        )
        .values_list("role", "network_id")
    )
    cell_networks = sorted({network for role, network in roles if role == Membership.Role.COORDINATOR})
    chair_networks = sorted(
        {network for role, network in roles if role == Membership.Role.CHAIRPERSON_EXTERNAL}
    )
    if not roles:
        raise PermissionDenied
    next_session = Subquery(
        ConferenceSession.objects.filter(
            conference_id=OuterRef("pk"),
            status=ConferenceSession.Status.PLANNED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    listed = ClientConference.objects.select_related(
        "case__client", "network", "requesting_organisation__sector", "chair"
    ).annotate(next_session=next_session)
    context = {"to_decide": [], "running": None, "chaired": []}
    if cell_networks:
        in_cell = listed.filter(network_id__in=cell_networks)
        # What the cell must act on (cases.access.cell_conferences: a decision or a chair to find);
        # the rest runs with its chair and is listed without a link.
        to_decide = cell_conferences(request.user).values("pk")
        context["to_decide"] = list(in_cell.filter(pk__in=to_decide).order_by("requested_on", "pk"))
        running = (
            in_cell.filter(status__in=(Status.ADMISSIBLE, Status.RUNNING))
            .exclude(pk__in=to_decide)
            .order_by("-requested_on", "-pk")
        )
        context["running"] = Paginator(running, PAGE_SIZE).get_page(request.GET.get("page"))
    if chair_networks:
        # Running ones, and closed ones still in the grace period to finish the report.
        context["chaired"] = list(
            listed.filter(pk__in=chaired_conferences(request.user).values("pk"))
            .exclude(status__in=(Status.NOT_ADMISSIBLE,))
            .order_by("closed_on", "next_session", "-requested_on", "pk")
        )
    if context["chaired"] or context["to_decide"]:
        # Chaired conferences show names; requests to decide show the request.
        log_read(request, page="conference_inbox")
    template = "cases/conferences/inbox.html" + ("#lists" if request.htmx else "")
    return render(request, template, context)


# --- the conference ------------------------------------------------------------------------------


def _detail_context(request: AuthedRequest, conference: ClientConference, **bound) -> dict:
    team, chair, cell = conference.user_on_team, conference.user_is_chair, conference.user_in_cell
    show_names = team or chair
    sessions = conference.sessions.annotate(
        invited_count=Count("invitations"),
        attended_count=Count("invitations", filter=Q(invitations__attended=True)),
    )
    if show_names:
        sessions = sessions.prefetch_related(
            Prefetch("invitations", queryset=SessionInvitation.objects.select_related("organisation"))
        )
    sessions = list(sessions)
    items = list(
        conference.plan_items.select_related(
            "domain", "owner", "owner_organisation", "made_in", "reviewed_in"
        )
    )
    evaluations = {evaluation.respondent: evaluation for evaluation in conference.evaluations.all()}
    today = timezone.localdate()
    domains: dict = defaultdict(list)
    for item in items:
        item.can_follow_up = team or chair or item.owner_id == request.user.pk
        domains[item.domain].append(item)
    open_or_running = conference.status in (Status.ADMISSIBLE, Status.RUNNING)
    context = {
        "case": conference.case,
        "conference": conference,
        "show_names": show_names,
        "sessions": sessions,
        "plan_domains": list(domains.items()),
        "plan_counts": {
            status: sum(1 for item in items if item.status == status) for status in CarePlanItem.Status.values
        },
        "plan_total": len(items),
        "evaluations": [evaluations.get(value) for value in ConferenceEvaluation.Respondent.values],
        "item_statuses": CarePlanItem.Status.choices,
        "not_done_reasons": CarePlanItem.NotDoneReason.choices,
        "today": today,
        "error": bound.get("error"),
        "follow_up_errors": bound.get("follow_up_errors"),
        "follow_up_item": bound.get("follow_up_item"),
        "can_withdraw": team and conference.status in (Status.REQUESTED, Status.ADMISSIBLE),
        "consent_withdrawn": conference.consent.withdrawn_on is not None
        and conference.consent.withdrawn_on <= today,
    }
    if cell and conference.status == Status.REQUESTED:
        context["decision_form"] = bound.get("decision_form") or DecisionForm()
    if cell and open_or_running:
        context["chair_form"] = bound.get("chair_form") or ChairForm(
            conference=conference, initial={"chair": conference.chair_id}
        )
    if chair and conference.can_plan_sessions:
        context["session_form"] = bound.get("session_form") or SessionForm(conference=conference)
    if chair and open_or_running:
        context["case_manager_form"] = bound.get("case_manager_form") or CaseManagerForm(
            conference=conference, initial={"case_manager": conference.case_manager_id}
        )
        context["close_form"] = bound.get("close_form") or CloseForm()
    if conference.status in (Status.RUNNING, Status.CLOSED):
        respondent = ConferenceEvaluation.Respondent
        if chair and respondent.CHAIR not in evaluations:
            context["chair_evaluation_form"] = bound.get("chair_evaluation_form") or EvaluationForm(
                conference=conference, respondent=respondent.CHAIR
            )
        if show_names and respondent.CLIENT not in evaluations:
            context["client_evaluation_form"] = bound.get("client_evaluation_form") or EvaluationForm(
                conference=conference, respondent=respondent.CLIENT
            )
    context.update(documents.panel_context(case=conference.case, conference=conference))
    return context


def _detail_page(request: AuthedRequest, conference: ClientConference, *, status: int = 200, **bound):
    template = "cases/conferences/conference_detail.html"
    return render(request, template, _detail_context(request, conference, **bound), status=status)


def _detail_url(conference: ClientConference, anchor: str = "") -> str:
    return reverse("cases:conference-detail", args=[conference.pk]) + (f"#{anchor}" if anchor else "")


def _after_cell_action(request: AuthedRequest, conference: ClientConference, anchor: str) -> str:
    """Back to the conference while the cell still has it (a chair to find), else to the inbox:
    a decision or a chair ends the cell's reach (cases.access.cell_conferences)."""
    if cell_conferences(request.user).filter(pk=conference.pk).exists():
        return _detail_url(conference, anchor)
    return reverse("cases:conference-inbox")


@login_required
@require_GET
def conference_detail(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for_user(request.user, conference_id)
    log_read(request, conference, page="conference", case_id=conference.case_id, action="conference.viewed")
    return _detail_page(request, conference)


@login_required
@require_POST
def conference_decide(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for_user(request.user, conference_id, action=ConferenceAction.DECIDE)
    form = DecisionForm(request.POST)
    return _submit(
        request,
        form,
        save=lambda data: services.decide_admissibility(
            conference=conference, by=request.user, admissible=data["admissible"], reason=data["reason"]
        ),
        message=_("De beslissing is bewaard."),
        next_url=lambda _result: _after_cell_action(request, conference, "decision"),
        refused=lambda: _detail_page(request, conference, status=422, decision_form=form),
    )


@login_required
@require_POST
def conference_assign_chair(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for_user(request.user, conference_id, action=ConferenceAction.DECIDE)
    form = ChairForm(request.POST, conference=conference)
    return _submit(
        request,
        form,
        save=lambda data: services.assign_chair(conference=conference, by=request.user, chair=data["chair"]),
        message=_("De voorzitter is toegewezen."),
        next_url=lambda _result: _after_cell_action(request, conference, "decision"),
        refused=lambda: _detail_page(request, conference, status=422, chair_form=form),
    )


@login_required
@require_POST
def conference_withdraw(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for_user(request.user, conference_id, action=ConferenceAction.TEAM)
    try:
        services.withdraw_request(conference=conference, by=request.user)
    except ValidationError as error:
        return _detail_page(request, conference, status=422, error=" ".join(error.messages))
    messages.success(request, _("De aanvraag is ingetrokken."))
    return redirect_after_post(request, _detail_url(conference))


@login_required
@require_POST
def conference_session_add(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for_user(request.user, conference_id, action=ConferenceAction.CHAIR)
    form = SessionForm(request.POST, conference=conference)
    return _submit(
        request,
        form,
        save=lambda data: services.plan_session(conference=conference, by=request.user, **data),
        message=_("Het overleg is gepland."),
        next_url=lambda session: reverse("cases:conference-session", args=[session.pk]),
        refused=lambda: _detail_page(request, conference, status=422, session_form=form),
    )


@login_required
@require_POST
def conference_case_manager(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for_user(request.user, conference_id, action=ConferenceAction.CHAIR)
    form = CaseManagerForm(request.POST, conference=conference)
    return _submit(
        request,
        form,
        save=lambda data: services.name_case_manager(
            conference=conference, by=request.user, case_manager=data["case_manager"]
        ),
        message=_("De casemanager is aangeduid."),
        next_url=lambda _result: _detail_url(conference, "werkplan"),
        refused=lambda: _detail_page(request, conference, status=422, case_manager_form=form),
    )


@login_required
@require_POST
def conference_close(request: AuthedRequest, conference_id: int) -> HttpResponse:
    conference = get_conference_for_user(request.user, conference_id, action=ConferenceAction.CHAIR)
    form = CloseForm(request.POST)
    return _submit(
        request,
        form,
        save=lambda data: services.close_conference(
            conference=conference,
            by=request.user,
            outcome=data["outcome"],
            note=data["note"],
            closed_on=data["closed_on"],
        ),
        message=_("Het cliëntoverleg is afgesloten."),
        next_url=lambda _result: _detail_url(conference, "closing"),
        refused=lambda: _detail_page(request, conference, status=422, close_form=form),
    )


@login_required
@require_POST
def conference_evaluation(request: AuthedRequest, conference_id: int, respondent: str) -> HttpResponse:
    """The chair fills in their own evaluation; the client's is entered by the chair or the team
    on behalf of the family."""
    conference = get_conference_for_user(request.user, conference_id)
    if respondent not in ConferenceEvaluation.Respondent.values:
        raise Http404
    allowed = (
        conference.user_is_chair
        if respondent == ConferenceEvaluation.Respondent.CHAIR
        else conference.user_is_chair or conference.user_on_team
    )
    if not allowed:
        raise PermissionDenied
    form = EvaluationForm(request.POST, conference=conference, respondent=respondent)
    return _submit(
        request,
        form,
        save=lambda _data: services.record_evaluation(evaluation=form.instance, by=request.user),
        message=_("De evaluatie is bewaard."),
        next_url=lambda _result: _detail_url(conference, "closing"),
        refused=lambda: _detail_page(
            request, conference, status=422, **{f"{respondent}_evaluation_form": form}
        ),
    )


# --- sessions ------------------------------------------------------------------------------------


def _session_context(request: AuthedRequest, session: ConferenceSession, **bound) -> dict:
    conference = session.conference
    show_names = conference.user_on_team or conference.user_is_chair
    chair = conference.user_is_chair
    invitations = list(session.invitations.select_related("organisation")) if show_names else []
    attendance = session.invitations.aggregate(
        invited=Count("pk"), attended=Count("pk", filter=Q(attended=True))
    )
    # The werkplan as it stands: made here, or on the table here when this is a follow-up.
    items = list(
        conference.plan_items.select_related(
            "domain", "owner", "owner_organisation", "made_in", "reviewed_in"
        )
    )
    for item in items:
        item.can_follow_up = show_names or item.owner_id == request.user.pk
    is_follow_up = session.kind != ConferenceSession.Kind.FIRST
    context = {
        "case": conference.case,
        "conference": conference,
        "session": session,
        "show_names": show_names,
        "chair": chair,
        "invitations": invitations,
        "attendance": attendance,
        "items": items if show_names else [],
        "is_follow_up": is_follow_up,
        "item_statuses": CarePlanItem.Status.choices,
        "not_done_reasons": CarePlanItem.NotDoneReason.choices,
        "today": timezone.localdate(),
        "error": bound.get("error"),
        "follow_up_errors": bound.get("follow_up_errors"),
        "follow_up_item": bound.get("follow_up_item"),
        "planned": session.status == ConferenceSession.Status.PLANNED,
    }
    active = conference.is_open and session.status != ConferenceSession.Status.CANCELLED
    if chair and active:
        context["invitation_form"] = bound.get("invitation_form") or InvitationForm(
            organisations=_invitable_organisations(conference)
        )
        context["notes_form"] = bound.get("notes_form") or SessionNotesForm(initial={"notes": session.notes})
        if conference.status in (Status.ADMISSIBLE, Status.RUNNING):
            context["plan_item_form"] = bound.get("plan_item_form") or PlanItemForm(conference=conference)
    context.update(documents.panel_context(case=conference.case, session=session))
    return context


def _invitable_organisations(conference: ClientConference):
    """Member organisations of the network and the case team's: whom a chair may invite. Whether
    the consent names them is the service's check, with a message that says so."""
    members = NetworkMembership.objects.active().filter(network_id=conference.network_id)
    team = CaseTeamMember.objects.active().filter(case_id=conference.case_id)
    return Organisation.objects.filter(
        Q(pk__in=members.values("organisation_id")) | Q(pk__in=team.values("organisation_id"))
    ).order_by("name")


def _session_page(request: AuthedRequest, session: ConferenceSession, *, status: int = 200, **bound):
    template = "cases/conferences/session_detail.html"
    return render(request, template, _session_context(request, session, **bound), status=status)


def _session_url(session: ConferenceSession, anchor: str = "") -> str:
    return reverse("cases:conference-session", args=[session.pk]) + (f"#{anchor}" if anchor else "")


@login_required
@require_GET
def session_detail(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = get_session_for_user(request.user, session_id)
    log_read(request, session, page="session", case_id=session.conference.case_id)
    return _session_page(request, session)


@login_required
@require_POST
def session_invite(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = get_session_for_user(request.user, session_id, action=ConferenceAction.CHAIR)
    form = InvitationForm(request.POST, organisations=_invitable_organisations(session.conference))
    return _submit(
        request,
        form,
        save=lambda data: services.invite(session=session, by=request.user, **data),
        message=_("De uitnodiging is toegevoegd."),
        next_url=lambda _result: _session_url(session, "invitations"),
        refused=lambda: _session_page(request, session, status=422, invitation_form=form),
    )


@login_required
@require_POST
def session_attendance(request: AuthedRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(SessionInvitation.objects.only("pk", "session_id"), pk=invitation_id)
    session = get_session_for_user(request.user, invitation.session_id, action=ConferenceAction.CHAIR)
    invitation = get_object_or_404(SessionInvitation, pk=invitation_id)
    invitation.session = session
    value = request.POST.get("attended", "")
    if value not in ("", "yes", "no"):
        return _session_page(
            request, session, status=422, error=_("Kies aanwezig, afwezig of nog niet gekend.")
        )
    try:
        services.record_attendance(
            invitation=invitation, by=request.user, attended={"yes": True, "no": False}.get(value)
        )
    except ValidationError as error:
        return _session_page(request, session, status=422, error=" ".join(error.messages))
    return redirect_after_post(request, _session_url(session, "invitations"))


@login_required
@require_POST
def session_status(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = get_session_for_user(request.user, session_id, action=ConferenceAction.CHAIR)
    status = request.POST.get("status", "")
    if status not in (ConferenceSession.Status.HELD, ConferenceSession.Status.CANCELLED):
        return _session_page(request, session, status=422, error=_("Kies gehouden of geannuleerd."))
    try:
        services.mark_session(session=session, by=request.user, status=status)
    except ValidationError as error:
        return _session_page(request, session, status=422, error=" ".join(error.messages))
    messages.success(request, _("De status van het overleg is bewaard."))
    return redirect_after_post(request, _session_url(session))


@login_required
@require_POST
def session_notes(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = get_session_for_user(request.user, session_id, action=ConferenceAction.CHAIR)
    form = SessionNotesForm(request.POST)
    return _submit(
        request,
        form,
        save=lambda data: services.save_session_notes(session=session, by=request.user, notes=data["notes"]),
        message=_("Het verslag is bewaard."),
        next_url=lambda _result: _session_url(session, "notes"),
        refused=lambda: _session_page(request, session, status=422, notes_form=form),
    )


@login_required
@require_POST
def plan_item_add(request: AuthedRequest, session_id: int) -> HttpResponse:
    session = get_session_for_user(request.user, session_id, action=ConferenceAction.CHAIR)
    form = PlanItemForm(request.POST, conference=session.conference)
    return _submit(
        request,
        form,
        save=lambda data: services.add_plan_item(session=session, by=request.user, **data),
        message=_("De afspraak is toegevoegd aan het werkplan."),
        next_url=lambda _result: _session_url(session, "werkplan"),
        refused=lambda: _session_page(request, session, status=422, plan_item_form=form),
    )


@login_required
@require_POST
def plan_item_follow_up(request: AuthedRequest, item_id: int) -> HttpResponse:
    """Follow-up of one agreement; from a follow-up session's page it counts as reviewed there."""
    item = get_plan_item_for_user(request.user, item_id, write=True)
    form = FollowUpForm(request.POST)
    session = None
    if form.is_valid() and form.cleaned_data.get("session"):
        session = ConferenceSession.objects.filter(
            pk=form.cleaned_data["session"], conference_id=item.conference_id
        ).first()
        if session is None:
            form.add_error(None, _("Dit is geen overleg van dit cliëntoverleg."))
    if form.is_valid():
        try:
            services.follow_up_plan_item(
                item=item,
                by=request.user,
                status=form.cleaned_data["status"],
                not_done_reason=form.cleaned_data["not_done_reason"],
                note=form.cleaned_data["note"],
                session=session,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("De opvolging is bewaard."))
            next_url = request.POST.get("next", "")
            if next_url == "home":
                return redirect_after_post(request, reverse("home"))
            if session is not None:
                return redirect_after_post(request, _session_url(session, "werkplan"))
            return redirect_after_post(request, _detail_url(item.conference, "werkplan"))
    errors = [str(message) for messages_ in form.errors.values() for message in messages_]
    if session is not None:
        session_for_page = get_session_for_user(request.user, session.pk)
        return _session_page(
            request, session_for_page, status=422, follow_up_errors=errors, follow_up_item=item.pk
        )
    conference = get_conference_for_user(request.user, item.conference_id)
    return _detail_page(request, conference, status=422, follow_up_errors=errors, follow_up_item=item.pk)
