"""The meldpunt's night shift and the providers' side of it (issue 18).

Who sees what (cases/access.py): the meldpunt operators of the network see its calls and
episodes until handled or closed (plus grace); a provider's caseworkers see the episodes their
organisation has a step in, until the step ended (plus grace). The capacity board shows free
places per provider (no client data) to the meldpunt, the providers and the coordinators.
Every page that shows a call's question or a client's pseudonym logs the read.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from instruments.models import CrisisProgramme, CrisisStepKind

from ..access import (
    crisis_overview_allowed,
    get_case_for_user,
    get_core_group_network_for_user,
    get_crisis_board_network_for_user,
    get_crisis_conflict_for_user,
    get_crisis_episode_for_user,
    get_crisis_step_for_user,
    get_meldpunt_network_for_user,
    provider_crisis_steps,
    visible_cases,
    visible_crisis_calls,
)
from ..forms.crisis import (
    CallForm,
    CloseEpisodeForm,
    ConflictForm,
    EndStepForm,
    ExtendForm,
    LinkCaseForm,
    OpenCaseForm,
    ResolveConflictForm,
    StepForm,
)
from ..models import Case, CrisisCall, CrisisConflict, CrisisStep
from ..reads import log_read
from ..services import crisis as services

CALL_LIST_SIZE = 30
STEP_LIST_SIZE = 50


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _meldpunt_context(network, programme: CrisisProgramme, user, *, form: CallForm | None = None) -> dict:
    """The meldpunt page: the call form, running steps with their clocks, the latest calls.
    Four queries: the form's providers, running steps, calls, the programme's providers."""
    now = timezone.now()
    calls = list(
        visible_crisis_calls(user)
        .filter(network=network)
        .select_related("episode__client")
        .order_by("-received_at", "-id")[:CALL_LIST_SIZE]
    )
    running = list(
        CrisisStep.objects.running()
        .filter(episode__call__in=visible_crisis_calls(user).filter(network=network))
        .select_related("provider__organisation", "episode__client")
        .order_by("due_at", "started_at")[:STEP_LIST_SIZE]
    )
    for step in running:
        step.state = step.clock(now)
    return {
        "network": network,
        "programme": programme,
        "form": form or CallForm(programme=programme),
        "calls": calls,
        "running": running,
        "overdue": sum(1 for step in running if step.state == "overdue"),
        "now": now,
    }


@login_required
@require_GET
def meldpunt(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_meldpunt_network_for_user(request.user, network_id)
    programme = network.crisis_programme
    context = _meldpunt_context(network, programme, request.user)
    log_read(request, None, page="crisis_meldpunt", network_id=network.pk)
    return render(request, "cases/crisis/meldpunt.html", context)


@login_required
@require_POST
def call_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_meldpunt_network_for_user(request.user, network_id)
    programme = network.crisis_programme
    form = CallForm(request.POST, programme=programme)
    if form.is_valid():
        data = form.cleaned_data
        try:
            call, created = services.register_call(
                programme=programme,
                by=request.user,
                token=data["token"],
                received_at=data["received_at"],
                caller=data["caller"],
                urgency=data["urgency"],
                question=data["question"],
                admissible=data["admissible"],
                outcome=data["outcome"],
                referred_to=data["referred_to"],
                provider=data["provider"] if data["outcome"] == CrisisCall.Outcome.DISPATCHED else None,
                handed_over_at=data["handed_over_at"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if not created:
                messages.info(request, _("Deze oproep was al geregistreerd; ze is niet dubbel bewaard."))
            else:
                messages.success(request, _("De oproep is geregistreerd."))
            episode = (
                getattr(call, "episode", None) if call.outcome == CrisisCall.Outcome.DISPATCHED else None
            )
            if episode is not None:
                return redirect_after_post(request, reverse("cases:crisis-episode", args=[episode.pk]))
            return redirect_after_post(request, reverse("cases:crisis-meldpunt", args=[network.pk]))
    context = _meldpunt_context(network, programme, request.user, form=form)
    log_read(request, None, page="crisis_meldpunt", network_id=network.pk)
    template = "cases/crisis/meldpunt.html" + ("#call-form" if request.htmx else "")
    return render(request, template, context, status=422)


def _episode_context(episode, user, **forms) -> dict:
    now = timezone.now()
    steps = list(
        episode.steps.select_related("provider__organisation", "started_by").order_by("started_at", "id")
    )
    mine = set(provider_crisis_steps(user).filter(episode=episode).values_list("pk", flat=True))
    for step in steps:
        step.state = step.clock(now)
        step.days = step.days_used(now)
        step.can_write = episode.user_is_meldpunt or step.pk in mine
        step.end_form = EndStepForm(prefix=f"end-{step.pk}")
        step.extend_form = ExtendForm(prefix=f"extend-{step.pk}")
    providers = services.providers_with_occupancy(episode.call.programme_id)
    call = episode.call
    organisations = services.episode_organisations(episode, steps)
    own = [step.provider.organisation for step in steps if step.pk in mine]
    running = [step.provider.organisation for step in steps if step.ended_at is None]
    default_lead = (own or running or organisations or [None])[-1]
    intervention = next((s for s in steps if s.kind == CrisisStepKind.INTERVENTION), None)
    return {
        "episode": episode,
        "call": call,
        "network": episode.network,
        "steps": steps,
        "minutes_to_intervention": (
            int((intervention.started_at - call.received_at).total_seconds() // 60) if intervention else None
        ),
        "step_form": forms.get("step_form") or StepForm(episode=episode, providers=providers),
        "close_form": forms.get("close_form") or CloseEpisodeForm(),
        "conflict_form": forms.get("conflict_form") or ConflictForm(episode=episode),
        "conflicts": list(
            episode.conflicts.select_related("first_organisation", "second_organisation").order_by(
                "-raised_at"
            )
        ),
        "can_write": episode.is_open and (episode.user_is_meldpunt or episode.user_is_provider),
        "open_case_form": forms.get("open_case_form")
        or OpenCaseForm(organisations=organisations, default=default_lead),
        "link_case_form": forms.get("link_case_form") or LinkCaseForm(),
        # The linked case's page is for its team: the others see that there is one.
        "case_visible": (
            episode.case_id is not None and visible_cases(user).filter(pk=episode.case_id).exists()
        ),
        "now": now,
    }


@login_required
@require_GET
def episode_detail(request: AuthedRequest, episode_id: int) -> HttpResponse:
    episode = get_crisis_episode_for_user(request.user, episode_id)
    context = _episode_context(episode, request.user)
    log_read(request, episode, page="crisis_episode", network_id=episode.network_id, case_id=episode.case_id)
    return render(request, "cases/crisis/episode.html", context)


def _episode_page(request, episode, status: int = 200, **forms) -> HttpResponse:
    log_read(request, episode, page="crisis_episode", network_id=episode.network_id, case_id=episode.case_id)
    return render(
        request, "cases/crisis/episode.html", _episode_context(episode, request.user, **forms), status=status
    )


@login_required
@require_POST
def step_start(request: AuthedRequest, episode_id: int) -> HttpResponse:
    episode = get_crisis_episode_for_user(request.user, episode_id, write=True)
    providers = services.providers_with_occupancy(episode.call.programme_id)
    form = StepForm(request.POST, episode=episode, providers=providers)
    if form.is_valid():
        try:
            step = services.start_step(
                episode=episode,
                kind=form.cleaned_data["kind"],
                provider=form.cleaned_data["provider"],
                started_at=form.cleaned_data["started_at"] or timezone.now(),
                by=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Overgedragen aan %(org)s.") % {"org": step.provider.organisation})
            return redirect_after_post(request, reverse("cases:crisis-episode", args=[episode.pk]))
    return _episode_page(request, episode, 422, step_form=form)


def _step_action(request, step_id: int, form_class, prefix: str, action) -> HttpResponse:
    step = get_crisis_step_for_user(request.user, step_id, write=True)
    episode = get_crisis_episode_for_user(request.user, step.episode_id)
    form = form_class(request.POST, prefix=f"{prefix}-{step.pk}")
    if form.is_valid():
        try:
            message = action(step, form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return _episode_page(request, episode, 422)
        messages.success(request, message)
        return redirect_after_post(request, reverse("cases:crisis-episode", args=[step.episode_id]))
    for errors in form.errors.values():
        for text in errors:
            messages.error(request, text)
    return _episode_page(request, episode, 422)


@login_required
@require_POST
def step_end(request: AuthedRequest, step_id: int) -> HttpResponse:
    def action(step, data):
        services.end_step(step=step, ended_at=data["ended_at"] or timezone.now(), by=request.user)
        return _("De stap is beëindigd; de plaats is weer vrij.")

    return _step_action(request, step_id, EndStepForm, "end", action)


@login_required
@require_POST
def step_extend(request: AuthedRequest, step_id: int) -> HttpResponse:
    def action(step, data):
        services.extend_shelter(step=step, reason=data["extension_reason"], by=request.user)
        return _("De crisisopvang is verlengd.")

    return _step_action(request, step_id, ExtendForm, "extend", action)


@login_required
@require_POST
def episode_close(request: AuthedRequest, episode_id: int) -> HttpResponse:
    episode = get_crisis_episode_for_user(request.user, episode_id, write=True)
    form = CloseEpisodeForm(request.POST)
    if form.is_valid():
        try:
            services.close_episode(
                episode=episode,
                outcome=form.cleaned_data["outcome"],
                closed_at=form.cleaned_data["closed_at"] or timezone.now(),
                by=request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("De episode is afgesloten."))
            if episode.user_is_meldpunt:
                return redirect_after_post(
                    request, reverse("cases:crisis-meldpunt", args=[episode.network_id])
                )
            return redirect_after_post(request, reverse("cases:crisis-my-steps"))
    return _episode_page(request, episode, 422, close_form=form)


def _linked_errors(request, episode, form, error: ValidationError) -> None:
    """Errors on the form; when the episode already has a case the page shows no form, so the
    message goes on top of the page (a double click, or a colleague who was first)."""
    if episode.case_id is not None:
        for text in error.messages:
            messages.error(request, text)
    else:
        _form_errors(form, error)


@login_required
@require_POST
def episode_case_open(request: AuthedRequest, episode_id: int) -> HttpResponse:
    """A new case for the episode's client (issue 18): the meldpunt or a provider of the episode."""
    episode = get_crisis_episode_for_user(request.user, episode_id, write=True)
    steps = episode.steps.select_related("provider__organisation").order_by("started_at", "id")
    form = OpenCaseForm(request.POST, organisations=services.episode_organisations(episode, steps))
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = services.open_case_for_episode(
                episode=episode,
                by=request.user,
                lead_organisation=data["lead_organisation"],
                consent=form.consent_data(),
                first_name=data["first_name"],
                last_name=data["last_name"],
                birth_year=data["birth_year"],
            )
        except ValidationError as error:
            _linked_errors(request, episode, form, error)
        else:
            messages.success(
                request, _("Het dossier %(pseudonym)s is geopend.") % {"pseudonym": case.client.pseudonym}
            )
            if visible_cases(request.user).filter(pk=case.pk).exists():
                return redirect_after_post(request, reverse("cases:detail", args=[case.pk]))
            return redirect_after_post(request, reverse("cases:crisis-episode", args=[episode.pk]))
    return _episode_page(request, episode, 422, open_case_form=form)


@login_required
@require_POST
def episode_case_link(request: AuthedRequest, episode_id: int) -> HttpResponse:
    """Link the episode to an existing case the user reaches: any other case answers 404."""
    episode = get_crisis_episode_for_user(request.user, episode_id, write=True)
    form = LinkCaseForm(request.POST)
    if form.is_valid():
        case_id = Case.objects.filter(**form.cleaned_data["reference"]).values_list("pk", flat=True).first()
        if case_id is None:
            raise Http404
        case = get_case_for_user(request.user, case_id, write=True)
        try:
            services.link_case(episode=episode, case=case, by=request.user)
        except ValidationError as error:
            _linked_errors(request, episode, form, error)
        else:
            messages.success(
                request,
                _("De episode is gekoppeld aan dossier %(pseudonym)s.")
                % {"pseudonym": case.client.pseudonym},
            )
            return redirect_after_post(request, reverse("cases:detail", args=[case.pk]))
    return _episode_page(request, episode, 422, link_case_form=form)


def board_context(network, programme: CrisisProgramme) -> dict:
    """Free places per provider and sector, and the capacity key against the declared assured
    shelter. Two queries: providers with occupancy, the key's shares."""
    providers = services.providers_with_occupancy(programme.pk)
    shelter = [p for p in providers if p.step == CrisisStepKind.SHELTER]
    reserved_total = sum(p.reserved_places for p in shelter)
    sectors: dict[int, dict] = {}
    for provider in shelter:
        row = sectors.setdefault(
            provider.organisation.sector_id,
            {"sector": provider.organisation.sector, "places": 0, "free": 0, "reserved": 0, "target": None},
        )
        row["places"] += provider.places
        row["free"] += provider.free_places
        row["reserved"] += provider.reserved_places
    for share in programme.capacity_shares.select_related("sector"):
        row = sectors.setdefault(
            share.sector_id, {"sector": share.sector, "places": 0, "free": 0, "reserved": 0, "target": None}
        )
        row["target"] = share.percent
    for row in sectors.values():
        row["share"] = round(100 * row["reserved"] / reserved_total) if reserved_total else 0
        # Within 5 percentage points of its share counts as meeting the key.
        row["meets"] = row["target"] is None or abs(row["share"] - row["target"]) <= 5
    return {
        "network": network,
        "programme": programme,
        "steps": [
            (kind, label, [p for p in providers if p.step == kind])
            for kind, label in CrisisStepKind.choices
            if kind != CrisisStepKind.INTERVENTION
        ],
        "interventions": [p for p in providers if p.step == CrisisStepKind.INTERVENTION],
        "sectors": sorted(sectors.values(), key=lambda row: -(row["target"] or 0)),
        "key_met": all(row["meets"] for row in sectors.values()),
        "now": timezone.now(),
    }


@login_required
@require_GET
def board(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_crisis_board_network_for_user(request.user, network_id)
    try:
        programme = network.crisis_programme
    except CrisisProgramme.DoesNotExist:
        programme = None
    if programme is None:
        return render(request, "cases/crisis/board.html", {"network": network, "programme": None})
    template = "cases/crisis/board.html" + ("#board" if request.htmx else "")
    return render(request, template, board_context(network, programme))


@login_required
@require_GET
def my_steps(request: AuthedRequest) -> HttpResponse:
    """The provider's dashboard: running steps of my organisations, overdue first."""
    now = timezone.now()
    steps = list(
        provider_crisis_steps(request.user)
        .running()
        .select_related("provider__organisation", "episode__client", "episode__network")
        .annotate(meldpunt=Exists(visible_crisis_calls(request.user).filter(pk=OuterRef("episode__call_id"))))
        .order_by("due_at", "started_at")[:STEP_LIST_SIZE]
    )
    for step in steps:
        step.state = step.clock(now)
        step.days = step.days_used(now)
    if steps:
        log_read(request, None, page="crisis_steps")
    return render(
        request,
        "cases/crisis/my_steps.html",
        {"steps": steps, "now": now, "horizon": now + datetime.timedelta(days=1)},
    )


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    # The same rule as the report exports (reports/exports.py): no cell is read as a formula.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _period(request) -> tuple[int, int]:
    today = timezone.localdate()
    year, half = today.year, 1 if today.month <= 6 else 2
    raw_year, raw_half = request.GET.get("jaar", ""), request.GET.get("half", "")
    if raw_year.isascii() and raw_year.isdigit() and 2000 <= int(raw_year) <= 2100:
        year = int(raw_year)
    if raw_half in ("0", "1", "2"):
        half = int(raw_half)
    return year, half


@login_required
@require_GET
def forfaits(request: AuthedRequest, network_id: int) -> HttpResponse:
    """The forfait overview per provider (issue 18 §6): for the coordinators and the meldpunt;
    CSV or XLSX with ``?fmt=``."""
    network = get_crisis_board_network_for_user(request.user, network_id)
    if not crisis_overview_allowed(request.user, network):
        raise Http404
    try:
        programme = network.crisis_programme
    except CrisisProgramme.DoesNotExist:
        raise Http404 from None
    year, half = _period(request)
    start, end = services.period_bounds(year, half)
    overview = services.forfait_overview(programme, start, end)
    header = [
        _("Organisatie"),
        _("Crisisinterventies"),
        _("Crisisbegeleidingen"),
        _("Crisisopvangen"),
        _("Forfaits (€)"),
    ]
    table = [
        [row["organisation"], row["intervention"], row["guidance"], row["shelter"], float(row["amount"])]
        for row in overview["rows"]
    ]
    totals = overview["totals"]
    total_row = [
        _("Totaal"),
        totals["intervention"],
        totals["guidance"],
        totals["shelter"],
        float(totals["amount"]),
    ]
    fmt = request.GET.get("fmt", "")
    filename = f"forfaits-{network.pk}-{year}-{half}"
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        for row in [header, *table, total_row]:
            writer.writerow([_safe(cell) for cell in row])
        response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt == "xlsx":
        import io

        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Forfaits"
        for row in [header, *table, total_row]:
            sheet.append([_safe(cell) for cell in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    return render(
        request,
        "cases/crisis/forfaits.html",
        {
            "network": network,
            "overview": overview,
            "year": year,
            "half": half,
            "header": header,
            "table": table,
            "total_row": total_row,
        },
    )


# --- praktijkoverleg ------------------------------------------------------------------------------


@login_required
@require_POST
def conflict_create(request: AuthedRequest, episode_id: int) -> HttpResponse:
    episode = get_crisis_episode_for_user(request.user, episode_id, write=True)
    form = ConflictForm(request.POST, episode=episode)
    if form.is_valid():
        try:
            services.raise_conflict(episode=episode, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Het praktijkoverleg is gevraagd; de kerngroep beslist."))
            return redirect_after_post(request, reverse("cases:crisis-episode", args=[episode.pk]))
    return _episode_page(request, episode, 422, conflict_form=form)


def _conflicts_context(network, **extra) -> dict:
    conflicts = list(
        CrisisConflict.objects.filter(network=network)
        .select_related("first_organisation", "second_organisation")
        .order_by(F("resolved_at").desc(nulls_first=True), "-raised_at")[:100]
    )
    for conflict in conflicts:
        conflict.form = ResolveConflictForm(prefix=f"resolve-{conflict.pk}")
    return {
        "network": network,
        "conflicts": conflicts,
        "open": sum(1 for c in conflicts if not c.resolved_at),
        **extra,
    }


@login_required
@require_GET
def conflicts(request: AuthedRequest, network_id: int) -> HttpResponse:
    """The core group's page: open praktijkoverleggen first (organisations, step, dates; no
    client data)."""
    network = get_core_group_network_for_user(request.user, network_id)
    return render(request, "cases/crisis/conflicts.html", _conflicts_context(network))


@login_required
@require_POST
def conflict_resolve(request: AuthedRequest, conflict_id: int) -> HttpResponse:
    conflict = get_crisis_conflict_for_user(request.user, conflict_id)
    form = ResolveConflictForm(request.POST, prefix=f"resolve-{conflict.pk}")
    if form.is_valid():
        try:
            services.resolve_conflict(
                conflict=conflict,
                resolution=form.cleaned_data["resolution"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("De beslissing is bewaard."))
            return redirect_after_post(request, reverse("cases:crisis-conflicts", args=[conflict.network_id]))
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return render(request, "cases/crisis/conflicts.html", _conflicts_context(conflict.network), status=422)
