"""Self-checks (zelftoetsen) of the broad-entry organisations against a playbook version, their
improvement actions, and the adoption overview for the steering group (counts only)."""

import datetime
from collections import Counter, defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from networks.access import get_network_for_user
from networks.models import Membership

from .. import services
from ..access import get_adoption_for_user, get_improvement_action_for_user
from ..forms import ImprovementActionForm, ImprovementStatusForm, RatingsForm, StartSelfCheckForm
from ..forms.selfchecks import organisations_for_self_check
from ..models import ImprovementAction, PlaybookAdoption, PlaybookStep, PlaybookTask, TaskCheck


def _with_counts(queryset):
    """Per self-check: tasks in its playbook, and how many were rated met / partly / not met."""
    task_total = (
        PlaybookTask.objects.filter(step__playbook=OuterRef("playbook_id"))
        .order_by()
        .values("step__playbook")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.annotate(
        task_total=Coalesce(Subquery(task_total), 0),
        met=Count("checks", filter=Q(checks__rating=TaskCheck.Rating.MET)),
        partly=Count("checks", filter=Q(checks__rating=TaskCheck.Rating.PARTLY)),
        not_met=Count("checks", filter=Q(checks__rating=TaskCheck.Rating.NOT_MET)),
    )


def _can_start(request: AuthedRequest, network) -> bool:
    if network.user_can_manage:
        return True
    return (
        Membership.objects.active()
        .filter(user=request.user, network=network, organisation__isnull=False)
        .exists()
    )


@login_required
@require_GET
def selfcheck_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    adoptions = _with_counts(
        PlaybookAdoption.objects.filter(network=network).select_related("organisation", "playbook")
    ).order_by("-started_on", "-pk")
    context = {
        "network": network,
        "adoptions": adoptions,
        "can_start": _can_start(request, network),
    }
    return render(request, "instruments/selfchecks/selfcheck_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def selfcheck_start(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    manage = bool(network.user_can_manage)
    if not manage and not organisations_for_self_check(request.user, network, manage=False).exists():
        raise PermissionDenied
    form = StartSelfCheckForm(request.POST or None, network=network, user=request.user, manage=manage)
    if request.method == "POST" and form.is_valid():
        try:
            adoption = services.start_self_check(adoption=form.instance, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De zelftoets is gestart. Beoordeel elke taak."))
            return redirect_after_post(request, reverse("instruments:selfcheck-detail", args=[adoption.pk]))
    context = {
        "network": network,
        "active": "selfchecks",
        "form": form,
        "title": _("Zelftoets draaiboek starten"),
        "action": reverse("instruments:selfcheck-start", args=[network.pk]),
        "cancel_url": reverse("instruments:selfcheck-list", args=[network.pk]),
    }
    template = "instruments/form_page.html" + ("#form" if request.htmx else "")
    return render(request, template, context, status=422 if request.method == "POST" else 200)


def _detail(
    request: AuthedRequest,
    adoption: PlaybookAdoption,
    *,
    status: int = 200,
    ratings_form: RatingsForm | None = None,
    action_form: ImprovementActionForm | None = None,
    failed_status: tuple[int, ImprovementStatusForm] | None = None,
    error: str = "",
) -> HttpResponse:
    steps = list(
        PlaybookStep.objects.filter(playbook_id=adoption.playbook_id)
        .order_by("order")
        .prefetch_related(Prefetch("tasks", queryset=PlaybookTask.objects.order_by("order", "pk")))
    )
    tasks = [task for step in steps for task in step.tasks.all()]
    checks = {check.task_id: check for check in adoption.checks.all()}
    actions = list(
        adoption.improvement_actions.select_related("owner", "task").order_by("status", "due_on", "pk")
    )
    in_progress = adoption.status == PlaybookAdoption.Status.IN_PROGRESS
    can_edit = adoption.user_can_edit
    if can_edit and in_progress and ratings_form is None:
        ratings_form = RatingsForm(tasks=tasks, checks=checks)
    if can_edit and not in_progress and action_form is None:
        action_form = ImprovementActionForm(adoption=adoption)
    status_forms = {}
    for action in actions:
        if can_edit or action.owner_id == request.user.pk:
            if failed_status and failed_status[0] == action.pk:
                status_forms[action.pk] = failed_status[1]
            else:
                status_forms[action.pk] = ImprovementStatusForm(instance=action, prefix=f"action-{action.pk}")
    rows = []
    for step in steps:
        step_rows = []
        for task in step.tasks.all():
            fields = ratings_form.field_pair(task) if ratings_form is not None else (None, None)
            step_rows.append(
                {"task": task, "check": checks.get(task.pk), "rating": fields[0], "note": fields[1]}
            )
        rows.append({"step": step, "tasks": step_rows})
    counts = Counter(check.rating for check in checks.values())
    gap_task_ids = {task_id for task_id, check in checks.items() if check.rating != TaskCheck.Rating.MET}
    covered = {action.task_id for action in actions}
    context = {
        "network": adoption.network,
        "adoption": adoption,
        "rows": rows,
        "task_total": len(tasks),
        "rated": len(checks),
        "counts": {
            "met": counts[TaskCheck.Rating.MET],
            "partly": counts[TaskCheck.Rating.PARTLY],
            "not_met": counts[TaskCheck.Rating.NOT_MET],
        },
        "gaps_without_action": [task for task in tasks if task.pk in gap_task_ids and task.pk not in covered],
        "actions": [(action, status_forms.get(action.pk)) for action in actions],
        "ratings_form": ratings_form if can_edit and in_progress else None,
        "action_form": action_form if can_edit and not in_progress else None,
        "can_edit": can_edit,
        "today": timezone.localdate(),
        "error": error,
    }
    return render(request, "instruments/selfchecks/selfcheck_detail.html", context, status=status)


@login_required
@require_GET
def selfcheck_detail(request: AuthedRequest, adoption_id: int) -> HttpResponse:
    adoption = get_adoption_for_user(request.user, adoption_id)
    return _detail(request, adoption)


@login_required
@require_POST
def selfcheck_rate(request: AuthedRequest, adoption_id: int) -> HttpResponse:
    adoption = get_adoption_for_user(request.user, adoption_id, write=True)
    if adoption.status == PlaybookAdoption.Status.COMPLETED:
        return _detail(
            request,
            adoption,
            status=422,
            error=_("Deze zelftoets is afgerond; de beoordelingen liggen vast. Start een nieuwe zelftoets."),
        )
    tasks = list(
        PlaybookTask.objects.filter(step__playbook_id=adoption.playbook_id).order_by("step__order", "order")
    )
    checks = {check.task_id: check for check in adoption.checks.all()}
    form = RatingsForm(request.POST, tasks=tasks, checks=checks)
    complete = request.POST.get("complete") == "1"
    valid = form.is_valid()
    if complete:
        # Checked even when another field is wrong, so every open task is marked at once.
        valid = form.require_all_rated() and valid
    if not valid:
        return _detail(request, adoption, status=422, ratings_form=form)
    try:
        services.save_ratings(adoption=adoption, ratings=form.ratings(), complete=complete, by=request.user)
    except ValidationError as error:
        form.add_error(None, error)
        return _detail(request, adoption, status=422, ratings_form=form)
    if complete:
        messages.success(
            request, _("De zelftoets is afgerond. Leg nu verbeteracties vast voor de knelpunten.")
        )
    else:
        messages.success(request, _("De beoordelingen zijn bewaard."))
    return redirect_after_post(request, reverse("instruments:selfcheck-detail", args=[adoption.pk]))


@login_required
@require_POST
def improvement_create(request: AuthedRequest, adoption_id: int) -> HttpResponse:
    adoption = get_adoption_for_user(request.user, adoption_id, write=True)
    if adoption.status != PlaybookAdoption.Status.COMPLETED:
        return _detail(
            request,
            adoption,
            status=422,
            error=_("Rond eerst de zelftoets af; dan kan je verbeteracties vastleggen."),
        )
    form = ImprovementActionForm(request.POST, adoption=adoption)
    if not form.is_valid():
        return _detail(request, adoption, status=422, action_form=form)
    services.add_improvement_action(action=form.instance, by=request.user)
    messages.success(request, _("De verbeteractie is toegevoegd."))
    return redirect_after_post(
        request, reverse("instruments:selfcheck-detail", args=[adoption.pk]) + "#actions"
    )


@login_required
@require_POST
def improvement_status(request: AuthedRequest, action_id: int) -> HttpResponse:
    adoption, action = get_improvement_action_for_user(request.user, action_id, write=True)
    form = ImprovementStatusForm(request.POST, instance=action, prefix=f"action-{action.pk}")
    if not form.is_valid():
        action.refresh_from_db()
        if request.htmx:
            context = {"action": action, "status_form": form, "today": timezone.localdate()}
            return render(
                request, "instruments/selfchecks/selfcheck_detail.html#action-row", context, status=422
            )
        return _detail(request, adoption, status=422, failed_status=(action.pk, form))
    action.adoption = adoption
    services.change_improvement_status(
        action=form.instance, changed_fields=form.changed_data, by=request.user
    )
    if request.htmx:
        context = {
            "action": action,
            "status_form": ImprovementStatusForm(instance=action, prefix=f"action-{action.pk}"),
            "today": timezone.localdate(),
            "just_saved": True,
        }
        return render(request, "instruments/selfchecks/selfcheck_detail.html#action-row", context)
    messages.success(request, _("De opvolging van de verbeteractie is bewaard."))
    return redirect_after_post(
        request, reverse("instruments:selfcheck-detail", args=[adoption.pk]) + "#actions"
    )


# --- adoption overview ------------------------------------------------------------------------------


def half_year(day: datetime.date) -> str:
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def half_year_display(label: str) -> str:
    year, half = label.split("-H")
    return (_("1e halfjaar %(year)s") if half == "1" else _("2e halfjaar %(year)s")) % {"year": year}


@login_required
@require_GET
def adoption_overview(request: AuthedRequest, network_id: int) -> HttpResponse:
    """Per organisation the latest self-check per playbook version, progress over half-years, and
    the improvement actions per level and status. Counts only, in a fixed number of queries."""
    network = get_network_for_user(request.user, network_id)
    adoptions = list(
        _with_counts(
            PlaybookAdoption.objects.filter(network=network).select_related("organisation", "playbook")
        ).order_by("organisation__name", "playbook__title", "playbook__version", "-started_on", "-pk")
    )
    latest: dict[tuple[int, int], PlaybookAdoption] = {}
    for adoption in adoptions:
        latest.setdefault((adoption.organisation_id, adoption.playbook_id), adoption)
    for adoption in latest.values():
        total = adoption.task_total or 0
        adoption.shares = {
            key: round(100 * getattr(adoption, key) / total) if total else 0
            for key in ("met", "partly", "not_met")
        }

    periods: dict[str, dict] = defaultdict(
        lambda: {"completed": 0, "met": 0, "partly": 0, "not_met": 0, "organisations": set()}
    )
    for adoption in adoptions:
        if adoption.status == PlaybookAdoption.Status.COMPLETED and adoption.completed_on:
            period = periods[half_year(adoption.completed_on)]
            period["completed"] += 1
            period["organisations"].add(adoption.organisation_id)
            for key in ("met", "partly", "not_met"):
                period[key] += getattr(adoption, key)
    timeline = []
    for label in sorted(periods):
        period = periods[label]
        rated = period["met"] + period["partly"] + period["not_met"]
        timeline.append(
            {
                "label": label,
                "display": half_year_display(label),
                "completed": period["completed"],
                "organisations": len(period["organisations"]),
                "met_share": round(100 * period["met"] / rated) if rated else 0,
                "partly_share": round(100 * period["partly"] / rated) if rated else 0,
                "not_met_share": round(100 * period["not_met"] / rated) if rated else 0,
            }
        )

    action_counts = {
        (row["level"], row["status"]): row["count"]
        for row in ImprovementAction.objects.filter(adoption__network=network)
        .order_by()
        .values("level", "status")
        .annotate(count=Count("pk"))
    }
    statuses = ImprovementAction.Status.choices
    action_table = [
        {
            "level": label,
            "cells": [action_counts.get((level, status), 0) for status, _label in statuses],
            "total": sum(action_counts.get((level, status), 0) for status, _label in statuses),
        }
        for level, label in ImprovementAction.Level.choices
    ]
    context = {
        "network": network,
        "latest": sorted(
            latest.values(), key=lambda a: (a.organisation.name, a.playbook.title, a.playbook.version)
        ),
        "timeline": timeline,
        "statuses": statuses,
        "action_table": action_table,
        "action_totals": [sum(row["cells"][index] for row in action_table) for index in range(len(statuses))],
        "action_total": sum(action_counts.values()),
    }
    return render(request, "instruments/selfchecks/adoption.html", context)
