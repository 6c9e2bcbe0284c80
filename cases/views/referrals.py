"""Referrals: send one from a case, read it (sender and receiver), move its status, the inbox.

Who sees what on a referral (DESIGN.md §5):
- the case team and the conference chair see everything they already see on the case;
- the receiving organisation's caseworkers see the letter and ONLY the data sheet fields the
  consent allowed when it was sent (``shared_fields``), and only while that consent is in force;
- anyone else who can see the case (the organising cell) sees the pseudonym and the facts.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case as SqlCase
from django.db.models import IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from instruments.models import ReferralAgreement
from networks.models import Membership

from ..access import get_case_for_user, get_referral_for_user, receiving_referrals, visible_cases
from ..forms.referrals import ReferralForm, ReferralStatusForm, status_steps
from ..models import CarePlanItem, Case, DataField, Referral
from ..reads import log_read
from ..services import documents
from ..services import referrals as services
from ..services.referrals import RECEIVER_STATUSES, SENDER_STATUSES

PAGE_SIZE = 25
STEP_LABELS = {
    Referral.Status.RECEIVED: _lazy("Ontvangst bevestigen"),
    Referral.Status.ACCEPTED: _lazy("Aanvaarden"),
    Referral.Status.DECLINED: _lazy("Weigeren"),
    Referral.Status.STARTED: _lazy("Hulp is gestart"),
    Referral.Status.WITHDRAWN: _lazy("Verwijzing intrekken"),
}
SUGGESTIONS = 6


def _suggested_agreements(case: Case) -> list[ReferralAgreement]:
    """Valid agreements of the network whose target group fits the client's age and postcode."""
    today = timezone.localdate()
    return list(
        ReferralAgreement.objects.filter(network_id=case.network_id)
        .valid_on(today)
        .serving(postcode=case.client.postcode, age=case.client.age_on(today))
        .select_related("receiving_organisation")
        .order_by("receiving_organisation__name", "title")[:SUGGESTIONS]
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    if case.closed_on is not None:
        raise PermissionDenied
    initial = {}
    chosen = request.GET.get("agreement", "")
    # isascii(): "²".isdigit() is true but int("²") fails.
    if request.method == "GET" and chosen.isascii() and chosen.isdigit() and len(chosen) <= 12:
        # "kies" in the suggestions: the agreement and its receiver are filled in.
        agreement = ReferralAgreement.objects.filter(network_id=case.network_id, pk=chosen).first()
        if agreement is not None:
            initial = {"agreement": agreement.pk, "to_organisation": agreement.receiving_organisation_id}
    form = ReferralForm(request.POST or None, initial=initial, case=case, user=request.user)
    status = 200
    if request.method == "GET":
        log_read(request, case, page="referral_form", case_id=case.pk)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.send_referral(
                    case=case,
                    by=request.user,
                    from_organisation=data["from_organisation"],
                    to_organisation=data["to_organisation"],
                    agreement=data["agreement"],
                    question=data["question"],
                    letter_note=data["letter_note"],
                    sent_on=data["sent_on"],
                )
            except ValidationError as error:  # no consent covering it: nothing was saved
                form.add_error("to_organisation", error.messages)
            else:
                if referral.outside_agreement:
                    messages.warning(
                        request,
                        _("De verwijzing naar %(org)s is verstuurd, buiten verwijsafspraak.")
                        % {"org": referral.to_organisation},
                    )
                else:
                    messages.success(
                        request,
                        _("De verwijzing naar %(org)s is verstuurd.") % {"org": referral.to_organisation},
                    )
                return redirect_after_post(request, reverse("cases:referral-detail", args=[referral.pk]))
        status = 422
    context = {
        "case": case,
        "form": form,
        "suggestions": _suggested_agreements(case),
        "action": reverse("cases:referral-create", args=[case.pk]),
    }
    template = "cases/referrals/referral_form.html"
    if request.htmx and request.method == "POST":
        template += "#form"
    return render(request, template, context, status=status)


def _viewer(referral: Referral, user) -> dict:
    """What the viewer is to this referral (the flags come with it from the access helper)."""
    sees_case_data = bool(referral.user_on_team)
    if sees_case_data:
        fields = list(DataField.values)
    elif referral.user_receives and referral.consent.is_in_force():
        fields = [field for field in referral.shared_fields if field in DataField.values]
    else:
        fields = []
    return {
        "on_team": sees_case_data,
        "sees_case_data": sees_case_data,
        "receives": referral.user_receives,
        # the letter (verwijsvraag, note, decline note) is for the team and the receiver
        "reads_letter": sees_case_data or referral.user_receives,
        "fields": fields,
    }


def _history(referral: Referral) -> list[dict]:
    steps = [
        (Referral.Status.SENT, referral.sent_on),
        (Referral.Status.RECEIVED, referral.received_on),
        (Referral.Status.ACCEPTED, referral.accepted_on),
        (Referral.Status.DECLINED, referral.declined_on),
        (Referral.Status.STARTED, referral.started_on),
        (Referral.Status.WITHDRAWN, referral.withdrawn_on),
    ]
    return [{"status": status, "label": status.label, "on": day} for status, day in steps if day]


def _detail_context(
    request: AuthedRequest, referral: Referral, *, bound: ReferralStatusForm | None = None
) -> dict:
    viewer = _viewer(referral, request.user)
    case = referral.case
    fields = viewer["fields"]
    care_plan = team = None
    if DataField.CARE_PLAN in fields:
        care_plan = list(
            CarePlanItem.objects.filter(conference__case=case, status=CarePlanItem.Status.OPEN)
            .select_related("domain", "owner_organisation")
            .order_by("due_on", "pk")
        )
    if DataField.TEAM in fields:
        team = sorted(
            {member.organisation.name for member in case.team.active().select_related("organisation")}
        )
    steps = status_steps(referral, receives=viewer["receives"], on_team=viewer["on_team"])
    forms = {step: ReferralStatusForm(referral=referral, step=step) for step in steps}
    if bound is not None and bound.step in forms:
        forms[bound.step] = bound
    context = {
        "referral": referral,
        "case": case,
        "client": case.client,
        "viewer": viewer,
        "shared": set(referral.shared_fields),
        "fields": set(fields),
        "data_fields": DataField,
        "care_plan": care_plan,
        "team": team,
        "history": _history(referral),
        "reasons": services.outside_agreement_reasons(referral),
        "steps": steps,
        "status_forms": [(step, STEP_LABELS[step], form) for step, form in forms.items()],
        "consent_in_force": referral.consent.is_in_force(),
        "today": timezone.localdate(),
    }
    # The document panel reads the access flags from the objects (referral.user_receives is there).
    case.user_on_team = viewer["on_team"]
    context.update(documents.panel_context(case=case, referral=referral))
    return context


@login_required
@require_GET
def referral_detail(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = get_referral_for_user(request.user, referral_id)
    template = "cases/referrals/referral_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#status"
    context = _detail_context(request, referral)
    log_read(request, referral, page="referral", case_id=referral.case_id, action="referral.viewed")
    return render(request, template, context)


@login_required
@require_POST
def referral_status(request: AuthedRequest, referral_id: int) -> HttpResponse:
    """A step on the referral: the receiver answers, the sending team withdraws."""
    referral = get_referral_for_user(request.user, referral_id)
    step = request.POST.get("status", "")
    template = "cases/referrals/referral_detail.html"
    if request.htmx:
        template += "#status"
    if step in RECEIVER_STATUSES and not referral.user_receives:
        raise PermissionDenied
    if step in SENDER_STATUSES:
        # Withdrawing is the sending team's: through the case door, as for every change to a case.
        try:
            get_case_for_user(request.user, referral.case_id, write=True)
        except Http404:
            raise PermissionDenied from None  # they see the referral (receiver), not the case
    if step not in RECEIVER_STATUSES + SENDER_STATUSES:
        if not (referral.user_receives or _viewer(referral, request.user)["on_team"]):
            raise PermissionDenied
        context = _detail_context(request, referral)
        context["status_error"] = _("Onbekende status.")
        return render(request, template, context, status=422)
    form = ReferralStatusForm(request.POST, referral=referral, step=step)
    if form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.move_referral(
                referral=referral,
                by=request.user,
                status=step,
                on=data["on"],
                decline_reason=data.get("decline_reason", ""),
                decline_note=data.get("decline_note", ""),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            message = _("De verwijzing is bijgewerkt: %(status)s.") % {
                "status": referral.get_status_display()
            }
            if referral.joined_team:
                message += " " + _("%(org)s is toegevoegd aan het dossierteam.") % {
                    "org": referral.to_organisation
                }
            messages.success(request, message)
            return redirect_after_post(request, reverse("cases:referral-detail", args=[referral.pk]))
    context = _detail_context(request, referral, bound=form)
    if step not in context["steps"]:
        # A known step that is not open from this status (e.g. sent → started): the bound form
        # has no place on the page, so its message goes above the steps.
        context["status_error"] = " ".join(form.non_field_errors()) or _("Deze stap is nu niet mogelijk.")
    return render(request, template, context, status=422)


def _incoming(user):
    # To handle first (sent, received), then the rest; newest first within each.
    return (
        receiving_referrals(user)
        .select_related("case__client", "to_organisation", "from_organisation", "network", "consent")
        .annotate(
            handle_first=SqlCase(
                When(status__in=(Referral.Status.SENT, Referral.Status.RECEIVED), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("handle_first", "-sent_on", "-id")
    )


def _sent(user):
    # Referrals from the cases the user is on the team of (their own and their colleagues').
    return (
        Referral.objects.filter(case__in=visible_cases(user))
        .select_related("case__client", "to_organisation", "from_organisation", "agreement")
        .order_by("-sent_on", "-id")
    )


@login_required
@require_GET
def referral_inbox(request: AuthedRequest) -> HttpResponse:
    # The inbox belongs to people who work on cases for an organisation; others have none.
    if (
        not Membership.objects.active()
        .filter(
            user=request.user,
            role__in=(Membership.Role.CASEWORKER, Membership.Role.PLANMAKER),
            organisation__isnull=False,
        )
        .exists()
    ):
        raise Http404
    incoming = Paginator(_incoming(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for referral in incoming:
        in_force = referral.consent.is_in_force(today)
        referral.shows_name = in_force and DataField.NAME in referral.shared_fields
        referral.shows_birth_date = in_force and DataField.BIRTH_DATE in referral.shared_fields
    sent = Paginator(_sent(request.user), PAGE_SIZE).get_page(request.GET.get("sent_page"))
    if incoming.object_list or sent.object_list:
        log_read(request, page="referral_inbox")
    return render(request, "cases/referrals/referral_inbox.html", {"incoming": incoming, "sent": sent})
