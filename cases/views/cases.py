"""Case list, case detail, the client, the team, consent, the timeline and who viewed the case.

Need to know (DESIGN.md §5): every case comes through ``cases.access``; names, birth date and
free text about the client are shown to the team and the conference chair only
(``case.may_see_identity``); everything that changes the case needs ``write=True`` (the team).
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from ijh.models import User
from networks.models import Membership, Organisation

from ..access import case_networks_for, get_case_for_user, visible_cases
from ..forms.cases import (
    CaseCreateForm,
    CaseFilterForm,
    ClientCaseForm,
    CloseCaseForm,
    ConsentForm,
    EndTeamMemberForm,
    TeamMemberForm,
    WithdrawConsentForm,
)
from ..forms.trajectory_meetings import SupportPersonEndForm, SupportPersonForm
from ..models import Case, CaseTeamMember, Client, ClientConference, Consent, SharingReview, TimelineEvent
from ..reads import log_read, pages_of, reads_per_person_and_day
from ..services import cases as services
from ..services import sharing

PAGE_SIZE = 25
TIMELINE_PAGE_SIZE = 50
VIEWERS_PAGE_SIZE = 50
DETAIL_TIMELINE_LENGTH = 20

DETAIL = "cases/case_detail.html"


def _may_see_identity(case: Case) -> bool:
    """Names, birth date, free text: the case team (DESIGN.md §5); the conference chair reads them
    on the conference's own pages, never on the case's."""
    return bool(case.user_on_team)


def _validation_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


# --- list ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request: AuthedRequest) -> HttpResponse:
    visible = visible_cases(request.user)
    filter_form = CaseFilterForm(request.GET, cases=visible)
    cases = (
        filter_form.filter(visible)
        .select_related("client", "network", "lead_organisation")
        .annotate(open_conference=Exists(ClientConference.objects.open().filter(case_id=OuterRef("pk"))))
        .order_by("-opened_on", "-id")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        log_read(request, page="case_list")  # the list shows names: a read too
    template = "cases/case_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    # One query for the buttons: who opens cases, who has a conference inbox, who receives referrals.
    roles = list(Membership.objects.active().filter(user=request.user).values_list("role", "organisation_id"))
    works_for_organisation = any(
        role in (Membership.Role.CASEWORKER, Membership.Role.PLANMAKER) and organisation
        for role, organisation in roles
    )
    context = {
        "filter_form": filter_form,
        "page": page,
        "can_open": works_for_organisation,
        "has_referral_inbox": works_for_organisation,
        "has_conference_inbox": any(
            role in (Membership.Role.COORDINATOR, Membership.Role.CHAIRPERSON_EXTERNAL)
            for role, _org in roles
        ),
    }
    return render(request, template, context)


# --- create and edit -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: AuthedRequest) -> HttpResponse:
    networks = case_networks_for(request.user)
    if not networks.exists():
        raise PermissionDenied  # only caseworkers and planmakers of an organisation open cases
    if request.method == "POST" and request.POST.get("refresh"):
        # The network changed on the page: the same form again, unvalidated, with that network's
        # organisations. A POST, so what was typed (names) never lands in a URL or a log.
        initial = {key: request.POST.get(key) for key in request.POST if key in CaseCreateForm.base_fields}
        form = CaseCreateForm(initial=initial, user=request.user, networks=networks)
        status = 200
    elif request.method == "POST":
        form = CaseCreateForm(request.POST, user=request.user, networks=networks)
        if form.is_valid():
            data = form.cleaned_data
            case = services.open_case(
                client=form.instance,
                network=data["network"],
                lead_organisation=data["lead_organisation"],
                by=request.user,
                opened_on=data["opened_on"],
                summary=data["summary"],
            )
            messages.success(
                request,
                _("Het dossier %(pseudonym)s is geopend.") % {"pseudonym": case.client.pseudonym},
            )
            return redirect_after_post(request, reverse("cases:detail", args=[case.pk]))
        status = 422
    else:
        initial = {"network": request.GET["network"]} if request.GET.get("network") else {}
        form = CaseCreateForm(initial=initial, user=request.user, networks=networks)
        status = 200
    context = {
        "form": form,
        "title": _("Nieuw dossier"),
        "action": reverse("cases:create"),
        "cancel_url": reverse("cases:list"),
        "creating": True,
    }
    template = "cases/case_form.html" + ("#form" if request.htmx else "")
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    client: Client = case.client
    form = ClientCaseForm(request.POST if request.method == "POST" else None, instance=client, case=case)
    if request.method == "POST":
        if form.is_valid():
            changed = form.case_changed_fields()
            form.apply_to_case(case)
            services.update_case(case=case, client=form.instance, by=request.user, changed_fields=changed)
            if changed:
                messages.success(request, _("Het dossier is bijgewerkt."))
            return redirect_after_post(request, reverse("cases:detail", args=[case.pk]))
        status = 422
    else:
        status = 200
        log_read(request, case, page="case_edit", case_id=case.pk)
    context = {
        "case": case,
        "form": form,
        "title": _("Dossier %(pseudonym)s bewerken") % {"pseudonym": client.pseudonym},
        "action": reverse("cases:edit", args=[case.pk]),
        "cancel_url": reverse("cases:detail", args=[case.pk]),
    }
    template = "cases/case_form.html" + ("#form" if request.htmx else "")
    return render(request, template, context, status=status)


# --- detail --------------------------------------------------------------------------------------------


def _detail_context(request: AuthedRequest, case: Case, **bound_forms) -> dict:
    """Everything the case page shows, in a fixed number of queries whatever the sizes.

    ``bound_forms`` are forms that failed validation; they replace the empty ones in place.
    """
    may_see_identity = _may_see_identity(case)
    on_team = bool(case.user_on_team)
    today = timezone.localdate()
    team = list(case.team.select_related("organisation", "user").order_by("-since", "-id"))
    for member in team:
        member.is_active = member.since <= today and (member.until is None or member.until >= today)
    consents = list(
        case.consents.select_related("recorded_by").prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("name"))
        )
    )
    withdraw_form = bound_forms.get("withdraw_form")
    reviews: dict[int, list] = {}
    for review in SharingReview.objects.filter(consent__case=case).select_related(
        "team_member__organisation",
        "team_member__user",
        "referral__to_organisation",
        "invitation__session",
        "invitation__organisation",
        "decided_by",
    ):
        reviews.setdefault(review.consent_id, []).append(review)
    for consent in consents:
        consent.reviews = reviews.get(consent.pk, [])
        consent.current_state = consent.state_on(today)
        if not on_team:
            continue
        if withdraw_form is not None and withdraw_form.consent.pk == consent.pk:
            consent.withdraw_form = withdraw_form  # with its errors, even if withdrawn meanwhile
        elif consent.withdrawn_on is None:
            consent.withdraw_form = WithdrawConsentForm(consent=consent)
    withdrawn = [consent for consent in consents if consent.current_state == Consent.State.WITHDRAWN]
    conferences = list(case.conferences.select_related("chair", "requesting_organisation"))
    referrals = list(case.referrals.select_related("to_organisation", "agreement"))
    trajectories = list(case.trajectories.select_related("network"))
    support_persons = list(case.support_persons.all())
    anchor = next((p for p in support_persons if p.is_anchor and p.until is None), None)
    timeline = list(case.timeline.select_related("actor")[:DETAIL_TIMELINE_LENGTH])
    context = {
        "case": case,
        "client": case.client,
        "network": case.network,
        "may_see_identity": may_see_identity,
        "on_team": on_team,
        "age": case.client.age_on(today) if may_see_identity else None,
        "team": team,
        "consents": consents,
        "withdrawn_consents": withdrawn,
        "conferences": conferences,
        "referrals": referrals,
        "trajectories": trajectories,
        "support_persons": [p for p in support_persons if p.until is None],
        "ended_support_persons": sorted(
            (p for p in support_persons if p.until is not None), key=lambda p: (p.until, p.pk), reverse=True
        ),
        "anchor": anchor,
        "support_error": bound_forms.get("support_error", ""),
        "timeline": timeline,
        "timeline_length": DETAIL_TIMELINE_LENGTH,
        "today": today,
        "sharing_error": bound_forms.get("sharing_error"),
    }
    if on_team:
        context["team_form"] = bound_forms.get("team_form") or (
            TeamMemberForm(case=case) if case.is_open else None
        )
        context["consent_form"] = bound_forms.get("consent_form") or ConsentForm(case=case)
        context["support_form"] = bound_forms.get("support_form") or (
            SupportPersonForm() if case.is_open else None
        )
        context["close_form"] = bound_forms.get("close_form") or (
            CloseCaseForm(case=case) if case.is_open else None
        )
        context["end_error"] = bound_forms.get("end_error")
        if case.is_open:
            # Each running support person has a small form to end it (its own prefix, so the
            # labels point at its own fields); a refused one comes back bound.
            end_form, end_person_id = bound_forms.get("end_form"), bound_forms.get("end_person_id")
            for person in context["support_persons"]:
                if end_form is not None and person.pk == end_person_id:
                    person.end_form = end_form
                else:
                    person.end_form = SupportPersonEndForm(prefix=f"end-{person.pk}")
    return context


def _case_page(request: AuthedRequest, case: Case, *, partial: str = "", status: int = 200, **bound_forms):
    """The case page, or one of its sections for htmx (a refused form, shown in place).

    Every GET of the page is a read of the case and is logged. A refused POST re-shows the page
    the user had just opened (that read is logged already) and must leave the database as it was.
    """
    template = DETAIL
    if partial and request.htmx and not request.htmx.boosted:
        template += f"#{partial}"
    if request.method == "GET":
        log_read(request, case, page="case", case_id=case.pk)
    return render(request, template, _detail_context(request, case, **bound_forms), status=status)


@login_required
@require_GET
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id)
    return _case_page(request, case)


@login_required
@require_POST
def case_close(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    form = CloseCaseForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.close_case(case=case, by=request.user, closed_on=form.cleaned_data["closed_on"])
        except ValidationError as error:
            form.add_error("closed_on", _validation_messages(error))
        else:
            messages.success(request, _("Het dossier is afgesloten."))
            return redirect_after_post(request, reverse("cases:detail", args=[case.pk]))
    return _case_page(request, case, partial="close", status=422, close_form=form)


# --- team ----------------------------------------------------------------------------------------------


@login_required
@require_POST
def team_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    form = TeamMemberForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = services.add_team_member(
                case=case,
                organisation=data["organisation"],
                user=data["user"],
                role=data["role"],
                since=data["since"],
                by=request.user,
            )
        except ValidationError as error:
            # No covering consent (or it was withdrawn): the service's Dutch message, on the form.
            form.add_error(None, _validation_messages(error))
        else:
            messages.success(
                request,
                _("%(org)s is toegevoegd aan het dossierteam.") % {"org": member.organisation.name},
            )
            return redirect_after_post(request, reverse("cases:detail", args=[case.pk]) + "#team")
    return _case_page(request, case, partial="team", status=422, team_form=form)


@login_required
@require_POST
def team_end(request: AuthedRequest, case_id: int, member_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    member = get_object_or_404(
        CaseTeamMember.objects.select_related("organisation", "user"), pk=member_id, case=case
    )
    member.case = case
    form = EndTeamMemberForm(request.POST, member=member)
    if form.is_valid():
        try:
            services.end_team_member(member=member, by=request.user, until=form.cleaned_data["until"])
        except ValidationError as error:
            form.add_error("until", _validation_messages(error))
        else:
            messages.success(
                request, _("%(member)s staat niet meer in het dossierteam.") % {"member": member}
            )
            return redirect_after_post(request, reverse("cases:detail", args=[case.pk]) + "#team")
    end_error = {"member_id": member.pk, "messages": [m for errors in form.errors.values() for m in errors]}
    return _case_page(request, case, partial="team", status=422, end_error=end_error)


# --- consent -------------------------------------------------------------------------------------------


@login_required
@require_POST
def consent_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    form = ConsentForm(request.POST, request.FILES, case=case)
    if form.is_valid():
        services.record_consent(
            consent=form.instance, organisations=form.cleaned_data["organisations"], by=request.user
        )
        messages.success(request, _("De toestemming is geregistreerd."))
        return redirect_after_post(request, reverse("cases:detail", args=[case.pk]) + "#consents")
    return _case_page(request, case, partial="consents", status=422, consent_form=form)


@login_required
@require_POST
def consent_withdraw(request: AuthedRequest, case_id: int, consent_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    consent = get_object_or_404(Consent, pk=consent_id, case=case)
    consent.case = case
    form = WithdrawConsentForm(request.POST, consent=consent)
    if form.is_valid():
        try:
            services.withdraw_consent(
                consent=consent,
                by=request.user,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error("withdrawn_on", _validation_messages(error))
        else:
            messages.success(
                request,
                _("De toestemming is ingetrokken: vanaf nu worden er geen nieuwe gegevens op gedeeld."),
            )
            return redirect_after_post(request, reverse("cases:detail", args=[case.pk]) + "#consents")
        consent.withdrawn_on = None  # the failed attempt must not show as withdrawn
    return _case_page(request, case, partial="consents", status=422, withdraw_form=form)


@login_required
@require_POST
def sharing_decide(request: AuthedRequest, case_id: int, review_id: int) -> HttpResponse:
    """End or keep something shared under a withdrawn consent."""
    case = get_case_for_user(request.user, case_id, write=True)
    review = get_object_or_404(SharingReview, pk=review_id, consent__case=case)
    try:
        sharing.decide(
            review=review,
            by=request.user,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", "")[:500],
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        return _case_page(
            request,
            case,
            partial="consents",
            status=422,
            sharing_error={"consent_id": review.consent_id, "message": message},
        )
    messages.success(request, _("De beslissing is bewaard."))
    return redirect_after_post(request, reverse("cases:detail", args=[case.pk]) + "#consents")


@login_required
@require_GET
def consent_evidence(request: AuthedRequest, case_id: int, consent_id: int) -> FileResponse:
    """The signed form names the client: the team and the chair download it, after the same check."""
    case = get_case_for_user(request.user, case_id)
    if not _may_see_identity(case):
        raise PermissionDenied
    consent = get_object_or_404(Consent, pk=consent_id, case=case)
    if not consent.evidence:
        raise Http404(_("Bij deze toestemming hoort geen bewijsstuk."))
    try:
        handle = consent.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Het bewijsstuk is niet meer beschikbaar.")) from exc
    log_read(
        request,
        consent,
        page="consent_evidence",
        case_id=case.pk,
        network_id=case.network_id,
        action="consent.evidence_downloaded",
    )
    extension = os.path.splitext(consent.evidence.name)[1].lower()
    filename = f"toestemming-{case.client.pseudonym}-{consent.given_on:%Y%m%d}{extension}"
    return FileResponse(handle, as_attachment=True, filename=filename)


# --- timeline and viewers ------------------------------------------------------------------------------


@login_required
@require_GET
def case_timeline(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id)
    events = TimelineEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-id")
    page = Paginator(events, TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    log_read(request, case, page="timeline", case_id=case.pk)
    template = "cases/case_timeline.html"
    if request.htmx and not request.htmx.boosted:
        template += "#events"
    context = {"case": case, "client": case.client, "page": page, "may_see_identity": _may_see_identity(case)}
    return render(request, template, context)


@login_required
@require_GET
def case_viewers(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Who read the file, per person and day, and which pages (DESIGN.md §5): for the team only."""
    case = get_case_for_user(request.user, case_id, write=True)
    page = Paginator(reads_per_person_and_day(case.pk), VIEWERS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    pages = pages_of(case.pk, rows)
    people = User.objects.in_bulk({row["actor_id"] for row in rows if row["actor_id"]})
    for row in rows:
        row["pages"] = pages.get((row["day"], row["actor_id"]), [])
        person = people.get(row["actor_id"])
        row["who"] = (person.get_full_name() or person.get_username()) if person else row["actor_label"]
    log_read(request, case, page="viewers", case_id=case.pk)
    template = "cases/case_viewers.html"
    if request.htmx and not request.htmx.boosted:
        template += "#viewers"
    return render(request, template, {"case": case, "client": case.client, "page": page, "rows": rows})
