"""Trajectory guidance of detainees (issue 20 §4, §5, §6): the trajectbegeleider's caseload with
upcoming releases and incoming transfers, registering a detainee (onthaal), the guidance page
with the detention and reintegration plan, referrals, the release date and the transfer, and the
receiving prison's decision on a transfer.

Every page with client data logs the read (cases.reads). Prison staff reach none of it.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post

from ..access import (
    get_guidance_for_user,
    get_plan_goal_for_user,
    get_transfer_for_user,
    guide_networks,
    incoming_transfers,
    sender_records,
    sending_team_ids,
    team_guidances,
)
from ..forms.detention import (
    ActivityReferralForm,
    DecideTransferForm,
    EndGuidanceForm,
    GoalOutcomeForm,
    OutsideReferralForm,
    PlanGoalForm,
    RegisterDetaineeForm,
    ReleaseForm,
    TransferForm,
)
from ..models import Guidance, GuidanceReferral, PlanGoal, TimelineEvent, Transfer
from ..models.detention import RELEASE_WARNING_DAYS
from ..reads import log_read
from ..services import detention as services


@login_required
@require_GET
def caseload(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    guidances = list(
        team_guidances(request.user)
        .filter(status=Guidance.Status.ACTIVE)
        .select_related("case__client", "network")
        .order_by("planned_release_on", "-started_on", "pk")[:200]
    )
    horizon = today + datetime.timedelta(days=RELEASE_WARNING_DAYS)
    for guidance in guidances:
        guidance.warn = guidance.planned_release_on is not None and guidance.planned_release_on <= horizon
    transfers = list(
        incoming_transfers(request.user)
        .filter(status=Transfer.Status.PROPOSED)
        .select_related("guidance__case__client", "guidance__network", "to_network")
    )
    log_read(request, page="guidance_list")
    context = {
        "guidances": guidances,
        "upcoming": [g for g in guidances if g.warn],
        "transfers": transfers,
        "can_register": guide_networks(request.user).exists(),
    }
    return render(request, "cases/detention/caseload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: AuthedRequest) -> HttpResponse:
    roles = list(guide_networks(request.user).select_related("network", "organisation"))
    if not roles:
        raise PermissionDenied
    role = roles[0]
    chosen = request.POST.get("network") if request.method == "POST" else None
    if chosen:
        role = next((r for r in roles if str(r.network_id) == chosen), role)
    form = RegisterDetaineeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            guidance = services.register_detainee(
                client=form.instance,
                network=role.network,
                organisation=role.organisation,
                by=request.user,
                question=form.cleaned_data["question"],
                information=form.cleaned_data["information"],
                planned_release_on=form.cleaned_data["planned_release_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("De gedetineerde is geregistreerd. Registreer nu de toestemming in het dossier.")
            )
            return redirect_after_post(request, reverse("cases:guidance", args=[guidance.pk]))
    context = {"form": form, "roles": roles, "role": role}
    return render(
        request, "cases/detention/register.html", context, status=422 if request.method == "POST" else 200
    )


def _detail_context(request, guidance: Guidance, **forms) -> dict:
    history = []
    previous = guidance.transferred_from
    while previous is not None and len(history) < 10:
        history.append(previous)
        previous = (
            Guidance.objects.select_related("network", "transferred_from")
            .filter(pk=previous.transferred_from_id)
            .first()
        )
    chain = [guidance, *history]
    goals = list(PlanGoal.objects.filter(guidance__in=chain).select_related("domain"))
    referrals = list(GuidanceReferral.objects.filter(guidance__in=chain).select_related("activity"))
    timeline = list(
        TimelineEvent.objects.filter(case_id__in=[g.case_id for g in chain]).select_related("actor")[:60]
    )
    transfers = list(Transfer.objects.filter(guidance__in=chain).select_related("to_network", "decided_by"))
    if guidance.sender_view:
        # A handed-over guidance (issue 20 §5): what the sending team wrote up to the hand-over,
        # nothing after it and nothing from earlier prisons' teams.
        handed_over_at = next((t.handed_over_at for t in transfers if t.handed_over_at), None)
        if handed_over_at is None:  # cannot happen for a transferred guidance; show nothing then
            handed_over_at = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        authors = set(sending_team_ids(guidance))
        history = []
        goals = sender_records(
            [g for g in goals if g.guidance_id == guidance.pk], authors=authors, until=handed_over_at
        )
        referrals = sender_records(
            [r for r in referrals if r.guidance_id == guidance.pk], authors=authors, until=handed_over_at
        )
        timeline = sender_records(
            [e for e in timeline if e.case_id == guidance.case_id],
            authors=authors,
            until=handed_over_at,
            author="actor_id",
            at="at",
        )
        transfers = [t for t in transfers if t.guidance_id == guidance.pk]
    if guidance.staff_view:
        history = []
        goals = [g for g in goals if g.guidance_id == guidance.pk]
        referrals = [r for r in referrals if r.guidance_id == guidance.pk]
        timeline = [e for e in timeline if e.case_id == guidance.case_id]
        transfers = [t for t in transfers if t.guidance_id == guidance.pk]
    for item in history:
        item.old_goals = [goal for goal in goals if goal.guidance_id == item.pk]
        item.old_referrals = [r for r in referrals if r.guidance_id == item.pk]
    consent_in_force = guidance.case.consents.in_force().exists()
    context = {
        "guidance": guidance,
        "case": guidance.case,
        "client": guidance.case.client,
        "goals": [goal for goal in goals if goal.guidance_id == guidance.pk],
        "referrals": [r for r in referrals if r.guidance_id == guidance.pk],
        "history": history,
        "timeline": timeline,
        "transfers": transfers,
        "open_transfer": next(
            (t for t in transfers if t.guidance_id == guidance.pk and t.status == Transfer.Status.PROPOSED),
            None,
        ),
        "consent_in_force": consent_in_force,
        "release_warning": guidance.release_warning_due(),
    }
    if guidance.user_can_write:
        outcome_forms = forms.get("outcome_forms") or {}
        for goal in context["goals"]:
            if goal.status == PlanGoal.Status.OPEN:
                goal.outcome_form = outcome_forms.get(goal.pk) or GoalOutcomeForm(goal_id=goal.pk)
                goal.outcome_form_id = f"outcome-form-{goal.pk}"
        context.update(
            {
                "goal_form": forms.get("goal_form") or PlanGoalForm(),
                "activity_form": forms.get("activity_form") or ActivityReferralForm(guidance=guidance),
                "outside_form": forms.get("outside_form") or OutsideReferralForm(),
                "release_form": forms.get("release_form")
                or ReleaseForm(initial={"planned_release_on": guidance.planned_release_on}),
                "transfer_form": forms.get("transfer_form") or TransferForm(guidance=guidance),
                "end_form": forms.get("end_form") or EndGuidanceForm(),
            }
        )
    return context


@login_required
@require_GET
def guidance_detail(request: AuthedRequest, guidance_id: int) -> HttpResponse:
    guidance = get_guidance_for_user(request.user, guidance_id)
    log_read(request, guidance, page="guidance", case_id=guidance.case_id, network_id=guidance.network_id)
    return render(request, "cases/detention/guidance.html", _detail_context(request, guidance))


def _post(request, guidance_id: int, form_name: str, make_form, act, done: str) -> HttpResponse:
    """One POST helper: access (write), form, service, a Dutch message either way."""
    guidance = get_guidance_for_user(request.user, guidance_id, write=True)
    form = make_form(guidance)
    if form.is_valid():
        try:
            act(guidance, form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            messages.success(request, done)
            return redirect_after_post(request, reverse("cases:guidance", args=[guidance.pk]))
    log_read(request, guidance, page="guidance", case_id=guidance.case_id, network_id=guidance.network_id)
    return render(
        request,
        "cases/detention/guidance.html",
        _detail_context(request, guidance, **{form_name: form}),
        status=422,
    )


@login_required
@require_POST
def plan_goal_add(request: AuthedRequest, guidance_id: int) -> HttpResponse:
    return _post(
        request,
        guidance_id,
        "goal_form",
        lambda g: PlanGoalForm(request.POST),
        lambda g, d: services.add_plan_goal(guidance=g, by=request.user, **d),
        _("Het doel staat in het plan."),
    )


@login_required
@require_POST
def activity_referral_add(request: AuthedRequest, guidance_id: int) -> HttpResponse:
    return _post(
        request,
        guidance_id,
        "activity_form",
        lambda g: ActivityReferralForm(request.POST, guidance=g),
        lambda g, d: services.refer_to_activity(guidance=g, by=request.user, **d),
        _("De gedetineerde is toegeleid naar de activiteit (of staat op de wachtlijst)."),
    )


@login_required
@require_POST
def outside_referral_add(request: AuthedRequest, guidance_id: int) -> HttpResponse:
    return _post(
        request,
        guidance_id,
        "outside_form",
        lambda g: OutsideReferralForm(request.POST),
        lambda g, d: services.refer_outside(guidance=g, by=request.user, **d),
        _("De doorverwijzing is genoteerd."),
    )


@login_required
@require_POST
def release_plan(request: AuthedRequest, guidance_id: int) -> HttpResponse:
    return _post(
        request,
        guidance_id,
        "release_form",
        lambda g: ReleaseForm(request.POST),
        lambda g, d: services.plan_release(guidance=g, by=request.user, **d),
        _("De geplande vrijlating is bewaard."),
    )


@login_required
@require_POST
def transfer_propose(request: AuthedRequest, guidance_id: int) -> HttpResponse:
    return _post(
        request,
        guidance_id,
        "transfer_form",
        lambda g: TransferForm(request.POST, guidance=g),
        lambda g, d: services.propose_transfer(guidance=g, by=request.user, **d),
        _("De overplaatsing is voorgesteld aan de ontvangende gevangenis."),
    )


@login_required
@require_POST
def guidance_end(request: AuthedRequest, guidance_id: int) -> HttpResponse:
    return _post(
        request,
        guidance_id,
        "end_form",
        lambda g: EndGuidanceForm(request.POST),
        lambda g, d: services.end_guidance(guidance=g, by=request.user, **d),
        _("De begeleiding is afgesloten."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer_decide(request: AuthedRequest, transfer_id: int) -> HttpResponse:
    transfer = get_transfer_for_user(request.user, transfer_id)
    form = DecideTransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.decide_transfer(
                transfer=transfer,
                by=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                refusal_reason=form.cleaned_data["refusal_reason"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        else:
            if new is not None:
                messages.success(request, _("Je hebt de begeleiding overgenomen."))
                return redirect_after_post(request, reverse("cases:guidance", args=[new.pk]))
            messages.info(request, _("De overplaatsing is geweigerd."))
            return redirect_after_post(request, reverse("cases:caseload"))
    # The receiving side sees the pseudonym only until it accepts; still a read of a client's file.
    log_read(
        request,
        transfer,
        page="transfer",
        case_id=transfer.guidance.case_id,
        network_id=transfer.to_network_id,
    )
    return render(
        request,
        "cases/detention/transfer.html",
        {"transfer": transfer, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def plan_goal_outcome(request: AuthedRequest, plan_goal_id: int) -> HttpResponse:
    """Mark a goal of the plan reached or dropped (with a date; a reason when dropped)."""
    goal = get_plan_goal_for_user(request.user, plan_goal_id, write=True)
    guidance = goal.guidance
    form = GoalOutcomeForm(request.POST, goal_id=goal.pk)
    if form.is_valid():
        try:
            services.close_plan_goal(
                goal=goal,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                # e.g. already reached or dropped: the goal has no form any more, so say it on top
                messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De uitkomst van het doel is bewaard."))
            return redirect_after_post(request, reverse("cases:guidance", args=[guidance.pk]))
    log_read(request, guidance, page="guidance", case_id=guidance.case_id, network_id=guidance.network_id)
    return render(
        request,
        "cases/detention/guidance.html",
        _detail_context(request, guidance, outcome_forms={goal.pk: form}),
        status=422,
    )


@login_required
@require_POST
def transfer_withdraw(request: AuthedRequest, guidance_id: int) -> HttpResponse:
    """The sending team takes its proposed transfer back, before the receiving prison decides."""
    guidance = get_guidance_for_user(request.user, guidance_id, write=True)
    transfer = (
        Transfer.objects.filter(guidance=guidance)
        .select_related("to_network", "guidance__case")
        .order_by("-proposed_at", "-pk")
        .first()
    )
    if transfer is None:
        raise Http404
    try:
        services.withdraw_transfer(transfer=transfer, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De overplaatsing is ingetrokken."))
    return redirect_after_post(request, reverse("cases:guidance", args=[guidance.pk]))
