"""The action plan of a network: end goals → operational (SMART) goals → actions, with progress."""

from collections.abc import Iterable
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post

from .. import services
from ..access import get_goal_for_user, get_network_for_user
from ..charts import progress_chart
from ..forms.goals import GoalForm, GoalProgressForm
from ..models import Goal, GoalProgress, Network

# Badge colours per status (classes of static/css/app.css).
STATUS_BADGE = {
    Goal.Status.NOT_STARTED: "",
    Goal.Status.ON_TRACK: "status-active",
    Goal.Status.AT_RISK: "status-starting",
    Goal.Status.ACHIEVED: "status-active",
    Goal.Status.DROPPED: "status-ended",
}

# The kind a new goal gets when it is added under a parent of this kind.
CHILD_KIND = {Goal.Kind.END_GOAL: Goal.Kind.OPERATIONAL, Goal.Kind.OPERATIONAL: Goal.Kind.ACTION}


def _with_latest_progress(goals: QuerySet[Goal]) -> QuerySet[Goal]:
    """Annotate each goal with its latest measurement, in the same query as the goals.

    Two correlated subqueries instead of a second query with DISTINCT ON: that one is PostgreSQL
    only, and the embedded default runs on SQLite.
    """
    latest = GoalProgress.objects.filter(goal=OuterRef("pk")).order_by("-measured_on", "-pk")
    return goals.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_measured_on=Subquery(latest.values("measured_on")[:1]),
    )


def progress_percent(goal: Goal, value: Decimal | None) -> int | None:
    """How far ``value`` has come from the baseline (or 0) to the target, 0–100. None if unknown."""
    if value is None or goal.target_value is None:
        return None
    start = goal.baseline_value or Decimal(0)
    distance = goal.target_value - start
    if distance == 0:
        return 100 if value >= goal.target_value else 0
    return max(0, min(100, round((value - start) / distance * 100)))


def build_tree(goals: Iterable[Goal]) -> list[Goal]:
    """Hang each goal under its parent (as ``.subgoals``), keeping the given order; return the roots.

    A goal whose parent is not among ``goals`` is a root: for a subtree that is the top level.
    """
    by_id = {goal.pk: goal for goal in goals}
    roots: list[Goal] = []
    for goal in by_id.values():
        goal.subgoals = []
        goal.badge_class = STATUS_BADGE.get(goal.status, "")
        goal.percent = progress_percent(goal, getattr(goal, "latest_value", None))
    for goal in by_id.values():
        parent = by_id.get(goal.parent_id)
        (parent.subgoals if parent is not None else roots).append(goal)
    return roots


@login_required
def goal_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    goals = _with_latest_progress(Goal.objects.filter(network=network)).order_by("title", "pk")
    context = {"network": network, "roots": build_tree(goals)}
    return render(request, "networks/goals/goal_list.html", context)


def _detail_context(goal: Goal, *, progress_form: GoalProgressForm | None = None) -> dict:
    descendants = _with_latest_progress(
        Goal.objects.filter(Q(parent=goal) | Q(parent__parent=goal))
    ).order_by("title", "pk")
    progress = list(goal.progress_updates.select_related("recorded_by").order_by("measured_on", "pk"))
    goal.badge_class = STATUS_BADGE.get(goal.status, "")
    latest = progress[-1] if progress else None
    if goal.user_can_manage and progress_form is None:
        progress_form = GoalProgressForm(goal=goal)
    return {
        "network": goal.network,
        "goal": goal,
        "subgoals": build_tree(descendants),
        "progress": progress,
        "latest": latest,
        "percent": progress_percent(goal, latest.value if latest else None),
        "chart": progress_chart(
            [(update.measured_on, update.value) for update in progress],
            title=goal.title,
            target=goal.target_value,
            deadline=goal.deadline,
            unit=goal.unit,
            chart_id=f"goal-{goal.pk}-chart",
        ),
        "progress_form": progress_form,
        "child_kind": CHILD_KIND.get(goal.kind),
    }


@login_required
def goal_detail(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, goal_id)
    template = "networks/goals/goal_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#progress"
    return render(request, template, _detail_context(goal))


@login_required
@require_POST
def goal_progress_add(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, goal_id, write=True)
    form = GoalProgressForm(request.POST, goal=goal)
    template = "networks/goals/goal_detail.html"
    if request.htmx:
        template += "#progress"
    if not form.is_valid():
        return render(request, template, _detail_context(goal, progress_form=form), status=422)
    services.record_progress(progress=form.instance, by=request.user)
    if request.htmx:
        # The section comes back with the new row, the redrawn chart and an empty form.
        context = _detail_context(goal)
        context["just_recorded"] = form.instance
        return render(request, template, context)
    messages.success(request, _("De meting is bewaard."))
    return redirect_after_post(request, reverse("networks:goal-detail", args=[goal.pk]))


def _form_page(request: AuthedRequest, context: dict, *, status: int = 200) -> HttpResponse:
    template = "networks/goals/goal_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, context, status=status)


def _parent_from_query(network: Network, raw: str | None) -> Goal | None:
    """``?parent=<id>`` preselects the parent; anything else (garbage, another network) is ignored."""
    try:
        goal_id = int(raw or "")
    except ValueError:  # garbage, or Unicode digits that isdigit() accepts but int() does not
        return None
    return Goal.objects.filter(network=network, pk=goal_id).exclude(kind=Goal.Kind.ACTION).first()


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    if request.method == "POST":
        form = GoalForm(request.POST, network=network)
    else:
        parent = _parent_from_query(network, request.GET.get("parent"))
        initial = {"parent": parent, "kind": CHILD_KIND[parent.kind]} if parent else {}
        form = GoalForm(network=network, initial=initial)
    context = {
        "network": network,
        "form": form,
        "title": _("Nieuw doel in %(network)s") % {"network": network},
        "action": request.get_full_path(),
        "cancel_url": reverse("networks:goal-list", args=[network.pk]),
    }
    if request.method == "POST":
        if form.is_valid():
            goal = services.create_goal(goal=form.instance, by=request.user)
            messages.success(request, _("Het doel „%(goal)s” is aangemaakt.") % {"goal": goal})
            return redirect_after_post(request, reverse("networks:goal-detail", args=[goal.pk]))
        return _form_page(request, context, status=422)
    return _form_page(request, context)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for_user(request.user, goal_id, write=True)
    form = GoalForm(request.POST or None, instance=goal, network=goal.network)
    detail_url = reverse("networks:goal-detail", args=[goal.pk])
    context = {
        "network": goal.network,
        "goal": goal,
        # Taken now: validating the form writes the typed (maybe invalid) values onto the goal.
        "goal_title": goal.title,
        "form": form,
        "title": _("Doel bewerken"),
        "action": reverse("networks:goal-edit", args=[goal.pk]),
        "cancel_url": detail_url,
    }
    if request.method == "POST":
        if form.is_valid():
            if form.has_changed():
                services.update_goal(goal=form.instance, changed_fields=form.changed_data, by=request.user)
                messages.success(request, _("Het doel is bijgewerkt."))
            return redirect_after_post(request, detail_url)
        return _form_page(request, context, status=422)
    return _form_page(request, context)
