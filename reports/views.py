"""Report pages: pick a scope and period, write the narrative, generate, poll, download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from networks.models import Network, Region

from . import exports, services
from .access import (
    Scope,
    get_flanders_scope,
    get_network_scope,
    get_region_scope,
    get_run_for_user,
    is_agency,
    reader_network_ids,
    require_write,
    staff_region_ids,
)
from .forms import NarrativeForm, PeriodForm
from .models import Narrative, ReportPeriod, ReportRun


@login_required
@require_GET
def report_index(request: AuthedRequest) -> HttpResponse:
    agency = is_agency(request.user)
    regions = Region.objects.order_by("name")
    networks = Network.objects.select_related("region").order_by("region__name", "name")
    if not agency:
        regions = regions.filter(pk__in=staff_region_ids(request.user))
        networks = (
            networks.filter(region__in=regions) | networks.filter(pk__in=reader_network_ids(request.user))
        ).distinct()
    return render(
        request,
        "reports/index.html",
        {"regions": list(regions), "networks": list(networks), "flanders": agency},
    )


def _scope(request: AuthedRequest, scope_type: str, scope_id: int) -> Scope:
    if scope_type == "network":
        return get_network_scope(request.user, scope_id)
    if scope_type == "region":
        return get_region_scope(request.user, scope_id)
    return get_flanders_scope(request.user)


def _scope_urls(scope: Scope) -> dict:
    if scope.network:
        names, args = ("network", "network-narrative", "network-run-create"), [scope.network.pk]
    elif scope.region:
        names, args = ("region", "region-narrative", "region-run-create"), [scope.region.pk]
    else:
        names, args = ("flanders", "flanders-narrative", "flanders-run-create"), []
    page, narrative, run_create = (reverse(f"reports:{name}", args=args) for name in names)
    return {"page_url": page, "narrative_url": narrative, "run_create_url": run_create}


def _back(scope: Scope, period: ReportPeriod) -> str:
    return f"{_scope_urls(scope)['page_url']}?{period.query}"


def _period_from(request: AuthedRequest, data, scope: Scope) -> tuple[PeriodForm, ReportPeriod | None]:
    if "jaar" not in data and "semester" not in data:
        # The half year just ended, or the running one once that report is final.
        period = services.default_period(**scope.kwargs)
        return PeriodForm(initial={"jaar": period.year, "semester": period.half}), period
    form = PeriodForm(data)
    return form, (form.cleaned_data["period"] if form.is_valid() else None)


def _scope_page(request: AuthedRequest, scope: Scope, *, status: int = 200, **extra) -> HttpResponse:
    period_form, period = _period_from(request, request.POST or request.GET, scope)
    narrative = None
    runs = ReportRun.objects.filter(**scope.filter).select_related("narrative", "requested_by")
    if not scope.can_write:
        runs = runs.filter(status=ReportRun.Status.DONE, is_final=True)
    if period is not None and scope.can_write:
        narrative = services.current_narrative(**scope.kwargs, period=period)
    narrative_form = extra.pop("narrative_form", None)
    if (
        narrative_form is None
        and scope.can_write
        and period is not None
        and not (narrative and narrative.is_locked)
    ):
        narrative_form = NarrativeForm(instance=narrative)
    context = {
        "scope": scope,
        "period": period,
        "period_running": period is not None and not period.is_finished(),
        "period_form": period_form,
        "narrative": narrative,
        "narrative_form": narrative_form,
        "runs": list(runs[:30]),
        **_scope_urls(scope),
        **extra,
    }
    return render(request, "reports/scope.html", context, status=status)


@login_required
@require_GET
def network_reports(request: AuthedRequest, network_id: int) -> HttpResponse:
    return _scope_page(request, get_network_scope(request.user, network_id))


@login_required
@require_GET
def region_reports(request: AuthedRequest, region_id: int) -> HttpResponse:
    return _scope_page(request, get_region_scope(request.user, region_id))


@login_required
@require_GET
def flanders_reports(request: AuthedRequest) -> HttpResponse:
    return _scope_page(request, get_flanders_scope(request.user))


@login_required
@require_POST
def narrative_save(
    request: AuthedRequest, scope_type: str, network_id: int = 0, region_id: int = 0
) -> HttpResponse:
    scope = _scope(request, scope_type, network_id or region_id)
    require_write(scope)
    _period_form, period = _period_from(request, request.POST, scope)
    form = NarrativeForm(request.POST)
    if period is None or not form.is_valid():
        return _scope_page(request, scope, status=422, narrative_form=form)
    try:
        services.save_narrative(**scope.kwargs, period=period, data=form.cleaned_data, by=request.user)
    except ValidationError as error:
        return _scope_page(request, scope, status=422, narrative_form=form, error=" ".join(error.messages))
    messages.success(request, _("Het verhalende deel is bewaard."))
    return redirect_after_post(request, _back(scope, period))


@login_required
@require_POST
def run_create(
    request: AuthedRequest, scope_type: str, network_id: int = 0, region_id: int = 0
) -> HttpResponse:
    scope = _scope(request, scope_type, network_id or region_id)
    require_write(scope)
    period_form, period = _period_from(request, request.POST, scope)
    if period is None:
        error = " ".join(str(e) for errors in period_form.errors.values() for e in errors)
        if request.htmx:
            return render(request, "reports/scope.html#run-error", {"error": error}, status=422)
        return _scope_page(request, scope, status=422, error=error)
    run = services.request_report(**scope.kwargs, period=period, by=request.user)
    if request.htmx:
        response = render(request, "reports/scope.html#run-row", {"run": run, "scope": scope})
        if not getattr(run, "was_created", False):
            # A second click found the active run: update its row instead of adding another.
            response["HX-Retarget"] = f"#run-{run.pk}"
            response["HX-Reswap"] = "outerHTML"
        return response
    return redirect_after_post(request, _back(scope, period))


def _narrative_for_user(request: AuthedRequest, narrative_id: int) -> tuple[Narrative, Scope]:
    narrative = get_object_or_404(Narrative.objects.select_related("network", "region"), pk=narrative_id)
    if narrative.network_id:
        scope = _scope(request, "network", narrative.network_id)
    elif narrative.region_id:
        scope = _scope(request, "region", narrative.region_id)
    else:
        scope = _scope(request, "flanders", 0)
    if not scope.can_write:
        raise Http404  # readers may not learn that a draft exists
    return narrative, scope


@login_required
@require_POST
def narrative_finalise(request: AuthedRequest, narrative_id: int) -> HttpResponse:
    narrative, scope = _narrative_for_user(request, narrative_id)
    back = _back(scope, narrative.period)
    try:
        services.finalise_narrative(narrative=narrative, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect_after_post(request, back)
    messages.success(request, _("Het rapport is definitief; de definitieve PDF wordt gemaakt."))
    return redirect_after_post(request, back)


@login_required
@require_POST
def narrative_correct(request: AuthedRequest, narrative_id: int) -> HttpResponse:
    narrative, scope = _narrative_for_user(request, narrative_id)
    back = _back(scope, narrative.period)
    try:
        services.correct_narrative(narrative=narrative, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Een verbeterde versie staat klaar; de vorige blijft bewaard."))
    return redirect_after_post(request, back)


@login_required
@require_GET
def run_status(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = get_run_for_user(request.user, run_id)
    return render(request, "reports/scope.html#run-row", {"run": run, "scope": None})


@login_required
@require_POST
def run_retry(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = get_run_for_user(request.user, run_id, write=True)
    new_run = services.retry_report(run=run, by=request.user)
    if request.htmx:
        return render(request, "reports/scope.html#run-row", {"run": new_run, "scope": None})
    if run.network_id:
        page = reverse("reports:network", args=[run.network_id])
    elif run.region_id:
        page = reverse("reports:region", args=[run.region_id])
    else:
        page = reverse("reports:flanders")
    return redirect_after_post(request, page)


def _done_run(request: AuthedRequest, run_id: int) -> ReportRun:
    run = get_run_for_user(request.user, run_id)
    if run.status != ReportRun.Status.DONE:
        raise Http404
    return run


def _file_stem(run: ReportRun) -> str:
    if run.network_id:
        scope = run.network.name
    elif run.region_id:
        scope = f"regio-{run.region.name}"
    else:
        scope = "vlaanderen"
    return f"praktijkrapport-{scope.lower().replace(' ', '-')}-{run.period}-{run.pk}"


@login_required
@require_GET
def run_download(request: AuthedRequest, run_id: int) -> FileResponse:
    run = _done_run(request, run_id)
    try:
        handle = run.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=f"{_file_stem(run)}.pdf", content_type="application/pdf"
    )


EXPORT_SUFFIXES = {"csv": ".csv", "lang.csv": "-lang.csv", "xlsx": ".xlsx"}


@login_required
@require_GET
def run_export(request: AuthedRequest, run_id: int, fmt: str) -> HttpResponse:
    run = _done_run(request, run_id)
    if fmt == "csv":
        body, content_type = exports.to_csv(run.figures), "text/csv; charset=utf-8"
    elif fmt == "lang.csv":  # the long format: one line per figure
        body, content_type = exports.to_long_csv(run.figures), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = exports.to_xlsx(run.figures)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{_file_stem(run)}{EXPORT_SUFFIXES[fmt]}"
    )
    return response
