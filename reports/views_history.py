"""History import pages (issue 17 §6): upload → dry run → import by the worker → status.

Regional staff of the network's region only (the same rights as making its reports). The files
hold no client data (reports/history.py refuses names); the pages show counts, dates, sectors and
organisations.
"""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ijh.http import AuthedRequest, redirect_after_post

from . import history, history_services
from .access import Scope, get_network_scope, require_write
from .forms import HistoryUploadForm
from .models import HistoryImport


def _network_scope(request: AuthedRequest, network_id: int) -> Scope:
    scope = get_network_scope(request.user, network_id)
    require_write(scope)
    return scope


def _page(
    request: AuthedRequest, scope: Scope, *, form=None, checked=None, status: int = 200
) -> HttpResponse:
    imports = (
        HistoryImport.objects.filter(network=scope.network)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")[:20]
    )
    return render(
        request,
        "reports/history.html",
        {
            "scope": scope,
            "form": form or HistoryUploadForm(),
            "checked": checked,
            "imports": list(imports),
            "kinds": [(kind, label, history.columns_for(kind)) for kind, label in HistoryImport.Kind.choices],
        },
        status=status,
    )


@login_required
@require_GET
def history_page(request: AuthedRequest, network_id: int) -> HttpResponse:
    return _page(request, _network_scope(request, network_id))


@login_required
@require_POST
def history_check(request: AuthedRequest, network_id: int) -> HttpResponse:
    """The dry run: refused files come back with every problem (422) and nothing saved."""
    scope = _network_scope(request, network_id)
    form = HistoryUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, scope, form=form, status=422)
    upload = form.cleaned_data["file"]
    content = upload.read()
    batch, checked = history_services.dry_run(
        network=scope.network,
        kind=form.cleaned_data["kind"],
        content=content,
        filename=upload.name or "bestand",
        by=request.user,
    )
    if batch is None:
        return _page(request, scope, form=form, checked=checked, status=422)
    return redirect_after_post(request, reverse("reports:history-detail", args=[batch.pk]))


def _batch_for_user(request: AuthedRequest, batch_id: int) -> tuple[HistoryImport, Scope]:
    batch = get_object_or_404(
        HistoryImport.objects.select_related("network", "uploaded_by", "imported_by"), pk=batch_id
    )
    return batch, _network_scope(request, batch.network_id)


@login_required
@require_GET
def history_detail(request: AuthedRequest, batch_id: int) -> HttpResponse:
    batch, scope = _batch_for_user(request, batch_id)
    template = "reports/history_detail.html"
    if request.htmx:
        template += "#import-status"
    columns = [column.header for column in history.columns_for(batch.kind)]
    return render(request, template, {"batch": batch, "scope": scope, "columns": columns})


@login_required
@require_POST
def history_import(request: AuthedRequest, batch_id: int) -> HttpResponse:
    batch, _scope = _batch_for_user(request, batch_id)
    try:
        batch = history_services.start_import(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De import is gestart. Deze pagina toont de voortgang."))
    return redirect_after_post(request, reverse("reports:history-detail", args=[batch.pk]))


@login_required
@require_GET
def history_template(request: AuthedRequest, kind: str, fmt: str) -> HttpResponse:
    """An empty file with the right column names and two example rows (no real data)."""
    if kind not in HistoryImport.Kind.values or fmt not in ("csv", "xlsx"):
        raise Http404
    columns = history.columns_for(kind)
    headers = [column.header for column in columns]
    examples = history.TEMPLATE_EXAMPLES[kind]
    name = (
        f"sjabloon-historiek-{'clientoverleg' if kind == HistoryImport.Kind.CONFERENCES else 'verwijzingen'}"
    )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(examples)
        body, content_type = ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    else:
        body = _template_xlsx(headers, examples, columns)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{name}.{fmt}")
    return response


def _template_xlsx(headers: list[str], examples: list[list[str]], columns) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Historiek")
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in examples:
        # Dates as text (dd/mm/jjjj): what people type, and what the check reads.
        sheet.append(row)
    for index in range(len(headers)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 22
    explanation = workbook.create_sheet(_("Uitleg"))
    explanation.append([_("Kolom"), _("Verplicht"), _("Wat"), ""])
    for column in columns:
        explanation.append([column.header, _("ja") if column.required else _("nee"), str(column.help)])
    explanation.append([])
    explanation.append(
        [
            _(
                "Alleen pseudonieme gegevens: geen namen, geboortedata of adressen. Alleen het eerste tabblad wordt gelezen."
            )
        ]
    )
    explanation.column_dimensions["A"].width = 26
    explanation.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
