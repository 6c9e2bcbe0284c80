"""Meetings of a network's bodies: agenda, attendance and mandates, minutes, decisions, actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post

from .. import services
from ..access import (
    can_see_unapproved_minutes,
    get_action_for_user,
    get_meeting_for_user,
    get_network_for_user,
)
from ..forms import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemForm,
    AttachmentForm,
    AttendanceForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
)
from ..forms.meetings import network_people
from ..models import ActionItem, AgendaItem, Attachment, Attendance, Decision, Meeting, Minutes

PAGE_SIZE = 20


def _validation_message(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_GET
def meeting_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    meetings = (
        Meeting.objects.filter(network=network)
        .select_related("body")
        .annotate(
            agenda_count=Count("agenda_items", distinct=True),
            approved_minutes=Count(
                "minutes_versions", filter=Q(minutes_versions__status="approved"), distinct=True
            ),
        )
        .order_by("-starts_at")
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/meetings/meeting_list.html",
        {"network": network, "page": page, "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    form = MeetingForm(request.POST or None, network=network)
    if request.method == "POST":
        if form.is_valid():
            meeting = services.schedule_meeting(
                meeting=form.instance, by=request.user, agenda=form.agenda_titles()
            )
            messages.success(
                request,
                _("De vergadering is gepland; %(count)s personen zijn uitgenodigd.")
                % {"count": meeting.attendances.count()},
            )
            return redirect_after_post(request, reverse("networks:meeting-detail", args=[meeting.pk]))
        status = 422
    else:
        status = 200
    context = {
        "network": network,
        "form": form,
        "title": _("Nieuwe vergadering"),
        "action": reverse("networks:meeting-create", args=[network.pk]),
    }
    template = "networks/form_page.html" + ("#form" if request.htmx else "")
    return render(request, template, context, status=status)


def _meeting_page(request: AuthedRequest, meeting: Meeting, *, status: int = 200, **forms) -> HttpResponse:
    """The meeting page, with any bound forms that failed validation shown in place."""
    show_unapproved = can_see_unapproved_minutes(request.user, meeting)
    minutes_versions = meeting.minutes_versions.select_related("approved_by").order_by("-version")
    if not show_unapproved:
        minutes_versions = minutes_versions.filter(status=Minutes.Status.APPROVED)
    minutes_versions = list(minutes_versions)
    agenda_items = list(
        meeting.agenda_items.select_related("owner").prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("agreement", "goal").prefetch_related(
                    "organisations_without_mandate"
                ),
            ),
            "attachments",
        )
    )
    attendances = list(meeting.attendances.select_related("user", "organisation", "represented_by"))
    editing = forms.get("editing_attendance")
    if editing is not None:
        attendances = [editing if attendance.pk == editing.pk else attendance for attendance in attendances]
    actions = list(
        meeting.action_items.select_related("owner", "owner_organisation", "agenda_item").order_by(
            "due_on", "pk"
        )
    )
    manage = meeting.user_can_manage
    open_minutes = next((m for m in minutes_versions if m.status != Minutes.Status.APPROVED), None)
    latest_approved = next((m for m in minutes_versions if m.status == Minutes.Status.APPROVED), None)
    present_mandated = {
        a.organisation_id for a in attendances if a.status == Attendance.Status.PRESENT and a.holds_mandate
    }
    context = {
        "network": meeting.network,
        "meeting": meeting,
        "agenda_items": agenda_items,
        "attendances": attendances,
        "attendance_statuses": Attendance.Status.choices,
        "present_mandated_count": len(present_mandated - {None}),
        "actions": actions,
        "minutes_versions": minutes_versions,
        "open_minutes": open_minutes,
        "latest_approved": latest_approved,
        "show_unapproved": show_unapproved,
        "manage": manage,
        "today": timezone.localdate(),
        "action_statuses": ActionItem.Status.choices,
    }
    if manage:
        context.update(
            agenda_form=forms.get("agenda_form") or AgendaItemForm(meeting=meeting),
            action_form=forms.get("action_form") or ActionItemForm(meeting=meeting),
            minutes_form=forms.get("minutes_form")
            or MinutesForm(initial={"text": open_minutes.text if open_minutes else ""}),
            attachment_form=forms.get("attachment_form") or AttachmentForm(),
            decision_form=forms.get("decision_form") or DecisionForm(meeting=meeting),
            people=list(network_people(meeting.network)),
        )
    context["error"] = forms.get("error")
    return render(request, "networks/meetings/meeting_detail.html", context, status=status)


@login_required
@require_GET
def meeting_detail(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id)
    return _meeting_page(request, meeting)


@login_required
@require_POST
def agenda_item_add(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    form = AgendaItemForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=422, agenda_form=form)
    services.add_agenda_item(item=form.instance, by=request.user)
    return redirect_after_post(request, reverse("networks:meeting-detail", args=[meeting.pk]) + "#agenda")


@login_required
@require_POST
def attachment_add(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.only("meeting_id"), pk=item_id)
    meeting = get_meeting_for_user(request.user, item.meeting_id, write=True)
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=422, attachment_form=form)
    services.add_attachment(agenda_item=item, upload=form.cleaned_data["file"], by=request.user)
    messages.success(request, _("De bijlage is toegevoegd."))
    return redirect_after_post(request, reverse("networks:meeting-detail", args=[meeting.pk]) + "#agenda")


@login_required
@require_GET
def attachment_download(request: AuthedRequest, attachment_id: int) -> FileResponse:
    attachment = get_object_or_404(Attachment.objects.select_related("agenda_item"), pk=attachment_id)
    get_meeting_for_user(request.user, attachment.agenda_item.meeting_id)  # 404 unless visible
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def attendance_update(request: AuthedRequest, attendance_id: int) -> HttpResponse:
    attendance = get_object_or_404(
        Attendance.objects.select_related("user", "organisation"), pk=attendance_id
    )
    meeting = get_meeting_for_user(request.user, attendance.meeting_id, write=True)
    form = AttendanceForm(request.POST, meeting=meeting)
    status = 200
    if form.is_valid():
        services.record_attendance(
            attendance=attendance,
            status=form.cleaned_data["status"],
            represented_by=form.cleaned_data["represented_by"],
            by=request.user,
        )
    else:
        status = 422
        # Show the row as the user set it (e.g. "vertegenwoordigd", now asking by whom); not saved.
        if form.data.get("status") in Attendance.Status.values:
            attendance.status = form.data["status"]
    if not request.htmx:
        if status == 422:
            return _meeting_page(
                request,
                meeting,
                status=422,
                error=" ".join(form.errors.get("represented_by", [])),
                editing_attendance=attendance,
            )
        return redirect_after_post(
            request, reverse("networks:meeting-detail", args=[meeting.pk]) + "#attendance"
        )
    context = {
        "meeting": meeting,
        "attendance": attendance,
        "attendance_form_errors": form.errors,
        "attendance_statuses": Attendance.Status.choices,
        "people": list(network_people(meeting.network)),
        "manage": True,
    }
    return render(request, "networks/meetings/meeting_detail.html#attendance-row", context, status=status)


@login_required
@require_POST
def minutes_save(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=422, minutes_form=form)
    try:
        services.save_minutes(meeting=meeting, text=form.cleaned_data["text"], by=request.user)
    except ValidationError as error:
        return _meeting_page(
            request, meeting, status=422, minutes_form=form, error=_validation_message(error)
        )
    messages.success(request, _("Het verslag is bewaard."))
    return redirect_after_post(request, reverse("networks:meeting-detail", args=[meeting.pk]) + "#minutes")


_MINUTES_TRANSITIONS = {
    "circulate": (services.circulate_minutes, _("Het verslag is rondgestuurd.")),
    "approve": (services.approve_minutes, _("Het verslag is goedgekeurd en vergrendeld.")),
    "correct": (services.correct_minutes, _("Een verbeterde versie staat klaar als ontwerp.")),
}


@login_required
@require_POST
def minutes_transition(request: AuthedRequest, minutes_id: int, transition: str) -> HttpResponse:
    minutes = get_object_or_404(Minutes.objects.only("meeting_id"), pk=minutes_id)
    meeting = get_meeting_for_user(request.user, minutes.meeting_id, write=True)
    if transition not in _MINUTES_TRANSITIONS:
        raise Http404
    service, message = _MINUTES_TRANSITIONS[transition]
    minutes = Minutes.objects.select_related("meeting").get(pk=minutes_id)
    try:
        service(minutes=minutes, by=request.user)
    except ValidationError as error:
        return _meeting_page(request, meeting, status=422, error=_validation_message(error))
    messages.success(request, message)
    return redirect_after_post(request, reverse("networks:meeting-detail", args=[meeting.pk]) + "#minutes")


@login_required
@require_POST
def decision_add(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    form = DecisionForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=422, decision_form=form)
    decision = services.record_decision(decision=form.instance, by=request.user)
    item = decision.agenda_item
    if decision.organisations_without_mandate.exists():
        messages.warning(
            request,
            _(
                "Let op: het besluit werd genomen zonder gemandateerde vertegenwoordiger van elke deelnemende organisatie."
            ),
        )
    else:
        messages.success(request, _("Het besluit is genoteerd."))
    return redirect_after_post(
        request, reverse("networks:meeting-detail", args=[meeting.pk]) + f"#item-{item.pk}"
    )


@login_required
@require_POST
def action_add(request: AuthedRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    form = ActionItemForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=422, action_form=form)
    services.create_action(action=form.instance, by=request.user)
    messages.success(request, _("Het actiepunt is toegevoegd."))
    return redirect_after_post(request, reverse("networks:meeting-detail", args=[meeting.pk]) + "#actions")


@login_required
@require_GET
def action_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    show = request.GET.get("toon", "open")
    actions = ActionItem.objects.filter(network=network).select_related(
        "owner", "owner_organisation", "meeting__body"
    )
    if show != "alle":
        actions = actions.open()
    page = Paginator(actions.order_by("due_on", "pk"), 50).get_page(request.GET.get("page"))
    context = {
        "network": network,
        "page": page,
        "show": show,
        "today": timezone.localdate(),
        "action_statuses": ActionItem.Status.choices,
        "manage": network.user_can_manage,
    }
    return render(request, "networks/meetings/action_list.html", context)


@login_required
@require_POST
def action_status(request: AuthedRequest, action_id: int) -> HttpResponse:
    action = get_action_for_user(request.user, action_id, write=True)
    form = ActionStatusForm(request.POST)
    status = 200
    if form.is_valid():
        services.change_action_status(
            action=action,
            status=form.cleaned_data["status"],
            dropped_reason=form.cleaned_data["dropped_reason"],
            by=request.user,
        )
    else:
        status = 422
        action.refresh_from_db()
    if not request.htmx:
        if status == 422:
            messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("home")
        return redirect_after_post(request, next_url)
    context = {
        "action": action,
        "action_statuses": ActionItem.Status.choices,
        "today": timezone.localdate(),
        "can_change": True,
        "status_errors": form.errors,
        "show_meeting": request.POST.get("show_meeting") == "1",
    }
    return render(request, "networks/meetings/_action_row.html", context, status=status)
