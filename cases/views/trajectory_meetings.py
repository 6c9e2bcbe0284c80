"""Samenwerkingsoverleg and intervisie on a trajectory page, support persons on the case page
(issue 19 §3–§4). A refused form re-shows the page (or, for htmx, its section) with Dutch messages
and status 422; nothing is saved then."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ijh.http import AuthedRequest, redirect_after_post

from ..access import (
    TrajectoryAction,
    get_case_for_user,
    get_support_person_for_user,
    get_trajectory_for_user,
    get_trajectory_meeting_for_user,
)
from ..forms.trajectory_meetings import (
    AnchorForm,
    IntervisieForm,
    MeetingForm,
    MeetingPlanForm,
    MeetingReplanForm,
    SupportPersonEndForm,
    SupportPersonForm,
)
from ..services import trajectory_meetings as services
from .cases import _case_page
from .trajectories import _add_errors, _done, _render_detail


def _submit_meeting(request, trajectory, form, *, save, message, **form_context) -> HttpResponse:
    """The meeting forms' one answer: the trajectory page with ``message(meeting)``; the meetings
    partial (422) with the form's errors; or, when the trajectory or meeting changed meanwhile
    (closed, held) and the form is gone from the page, the service's message above the table."""
    if form.is_valid():
        try:
            meeting = save(**form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            if not hasattr(error, "error_dict"):
                return _render_detail(
                    request,
                    trajectory,
                    status=422,
                    partial="meetings",
                    meetings_error=" ".join(error.messages),
                )
        else:
            return _done(request, trajectory, message(meeting))
    return _render_detail(request, trajectory, status=422, partial="meetings", **form_context)


def _kind(meeting) -> str:
    return meeting.get_kind_display().capitalize()


@login_required
@require_POST
def trajectory_meeting(request: AuthedRequest, trajectory_id: int) -> HttpResponse:
    trajectory = get_trajectory_for_user(request.user, trajectory_id, action=TrajectoryAction.WORK)
    form = MeetingForm(request.POST, trajectory=trajectory)
    return _submit_meeting(
        request,
        trajectory,
        form,
        save=partial(services.record_meeting, trajectory=trajectory, by=request.user),
        message=lambda meeting: _("%(kind)s geregistreerd.") % {"kind": _kind(meeting)},
        meeting_form=form,
    )


@login_required
@require_POST
def trajectory_meeting_plan(request: AuthedRequest, trajectory_id: int) -> HttpResponse:
    trajectory = get_trajectory_for_user(request.user, trajectory_id, action=TrajectoryAction.WORK)
    form = MeetingPlanForm(request.POST, trajectory=trajectory)
    return _submit_meeting(
        request,
        trajectory,
        form,
        save=partial(services.plan_meeting, trajectory=trajectory, by=request.user),
        message=lambda meeting: (
            _("%(kind)s gepland op %(day)s.")
            % {"kind": _kind(meeting), "day": meeting.planned_on.strftime("%d/%m/%Y")}
        ),
        plan_meeting_form=form,
    )


@login_required
@require_POST
def trajectory_meeting_replan(request: AuthedRequest, trajectory_meeting_id: int) -> HttpResponse:
    meeting = get_trajectory_meeting_for_user(request.user, trajectory_meeting_id)
    form = MeetingReplanForm(request.POST, prefix=f"replan-{meeting.pk}")
    return _submit_meeting(
        request,
        meeting.trajectory,
        form,
        save=partial(services.replan_meeting, meeting=meeting, by=request.user),
        message=lambda moved: (
            _("%(kind)s verplaatst naar %(day)s.")
            % {"kind": _kind(moved), "day": moved.planned_on.strftime("%d/%m/%Y")}
        ),
        replan_form=form,
        replan_meeting_id=meeting.pk,
    )


@login_required
@require_POST
def trajectory_intervisie(request: AuthedRequest, trajectory_id: int) -> HttpResponse:
    trajectory = get_trajectory_for_user(request.user, trajectory_id, action=TrajectoryAction.INTERVISIE)
    form = IntervisieForm(request.POST)
    if form.is_valid():
        try:
            services.add_intervisie(trajectory=trajectory, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _done(request, trajectory, _("Intervisie bewaard; alleen de planmakers lezen ze."))
    return _render_detail(request, trajectory, status=422, partial="intervisie", intervisie_form=form)


def _case_done(request: AuthedRequest, case_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect_after_post(request, reverse("cases:detail", args=[case_id]) + "#support-persons")


@login_required
@require_POST
def support_person_add(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    form = SupportPersonForm(request.POST)
    if form.is_valid():
        try:
            person = services.add_support_person(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _case_done(
                request, case.pk, _("%(name)s is toegevoegd als steunfiguur.") % {"name": person.name}
            )
    return _case_page(request, case, partial="support", status=422, support_form=form)


@login_required
@require_POST
def support_person_anchor(request: AuthedRequest, support_person_id: int) -> HttpResponse:
    person = get_support_person_for_user(request.user, support_person_id, write=True)
    form = AnchorForm(request.POST)
    form.is_valid()  # a missing box is "no"
    try:
        person = services.set_anchor(
            person=person, by=request.user, is_anchor=form.cleaned_data.get("is_anchor", False)
        )
    except ValidationError as error:
        return _case_page(
            request, person.case, partial="support", status=422, support_error=" ".join(error.messages)
        )
    if person.is_anchor:
        message = _("%(name)s is de ankerfiguur.") % {"name": person.name}
    else:
        message = _("%(name)s is geen ankerfiguur meer.") % {"name": person.name}
    return _case_done(request, person.case_id, message)


@login_required
@require_POST
def support_person_end(request: AuthedRequest, support_person_id: int) -> HttpResponse:
    person = get_support_person_for_user(request.user, support_person_id, write=True)
    form = SupportPersonEndForm(request.POST, prefix=f"end-{person.pk}")
    if form.is_valid():
        try:
            person = services.end_support_person(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
            if not hasattr(error, "error_dict"):
                # Ended meanwhile: its form is gone from the page, so the message goes on top.
                return _case_page(
                    request,
                    person.case,
                    partial="support",
                    status=422,
                    support_error=" ".join(error.messages),
                )
        else:
            return _case_done(
                request, person.case_id, _("%(name)s is geen steunfiguur meer.") % {"name": person.name}
            )
    return _case_page(
        request, person.case, partial="support", status=422, end_form=form, end_person_id=person.pk
    )
