"""Generated case documents: ask for one, poll its status, download it.

Access follows the source object (DESIGN.md §5): conference and session documents are made by
the case team and the conference chair; a referral letter by the sending team. Downloads go
through ``get_document_for_user`` (team and chair; for referral letters team and receiver).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from ijh.http import AuthedRequest, redirect_after_post

from ..access import (
    get_conference_for_user,
    get_document_for_user,
    get_referral_for_user,
    get_session_for_user,
)
from ..documents import download_name, parse_source
from ..models import Case, CaseDocument
from ..reads import log_read
from ..services import documents as services

PANEL = "cases/documents/_panel.html"


def _source_for_user(request: AuthedRequest, source: str) -> tuple[Case, dict]:
    """The case and the panel_context keywords for ``source``, if this user may make documents
    from it: 404 when the source is not visible, 403 when visible but not theirs to generate."""
    try:
        source_type, source_id = parse_source(source)
    except ValueError as exc:
        raise Http404 from exc
    if source_type == "conference":
        conference = get_conference_for_user(request.user, source_id)
        if not (conference.user_on_team or conference.user_is_chair):
            raise PermissionDenied
        return conference.case, {"conference": conference}
    if source_type == "session":
        session = get_session_for_user(request.user, source_id)
        if not (session.conference.user_on_team or session.conference.user_is_chair):
            raise PermissionDenied
        return session.conference.case, {"session": session}
    referral = get_referral_for_user(request.user, source_id)
    # The sending team makes the letter; the receiver (who sees the referral) may only read it.
    if not referral.user_on_team:
        raise PermissionDenied
    case = referral.case
    case.user_on_team = True
    return case, {"referral": referral}


def _next_url(request: AuthedRequest, case: Case) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("cases:detail", args=[case.pk])


@login_required
@require_POST
def document_create(request: AuthedRequest) -> HttpResponse:
    case, source = _source_for_user(request, request.POST.get("source", ""))
    source_obj = next(iter(source.values()))
    next_url = _next_url(request, case)
    error = ""
    try:
        services.request_document(
            kind=request.POST.get("kind", ""), case=case, source_obj=source_obj, by=request.user
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx and not error:
        return redirect_after_post(request, next_url)
    context = services.panel_context(case=case, **source)
    context["document_panel"].update(error=error, next=next_url)
    # Without htmx an error gets a page of its own with the panel and a way back.
    template = PANEL if request.htmx else "cases/documents/panel_page.html"
    return render(request, template, {**context, "back_url": next_url}, status=422 if error else 200)


@login_required
@require_GET
def document_status(request: AuthedRequest, document_id: int) -> HttpResponse:
    document = get_document_for_user(request.user, document_id)
    return render(request, f"{PANEL}#document-row", {"document": document})


@login_required
@require_GET
def document_download(request: AuthedRequest, document_id: int) -> FileResponse:
    document = get_document_for_user(request.user, document_id)
    if document.status != CaseDocument.Status.DONE or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    log_read(
        request,
        document,
        page="document",
        case_id=document.case_id,
        network_id=document.case.network_id,
        action="case_document.downloaded",
    )
    return FileResponse(
        handle, as_attachment=True, filename=download_name(document), content_type="application/pdf"
    )
