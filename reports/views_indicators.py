"""Linking goal indicators to registered figures (issue 17 §3): regional staff of the region."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from networks.models import Goal

from . import indicators, services
from .access import Scope, get_network_scope, require_write
from .forms import GoalIndicatorForm


def _scope(request: AuthedRequest, network_id: int) -> Scope:
    scope = get_network_scope(request.user, network_id)
    require_write(scope)
    return scope


def _page(
    request: AuthedRequest, scope: Scope, *, invalid: tuple[int, GoalIndicatorForm] | None = None
) -> HttpResponse:
    goals = list(
        Goal.objects.filter(network=scope.network, kind=Goal.Kind.OPERATIONAL)
        .select_related("report_indicator")
        .order_by("title", "pk")
    )
    rows = []
    for goal in goals:
        link = getattr(goal, "report_indicator", None)
        if invalid and invalid[0] == goal.pk:
            form = invalid[1]
        else:
            form = GoalIndicatorForm(
                initial={
                    "figure": link.figure if link else "",
                    "counts_people": link.counts_people if link else False,
                },
                prefix=f"goal-{goal.pk}",
            )
        figure = indicators.REGISTRY.get(link.figure) if link else None
        rows.append({"goal": goal, "form": form, "figure": figure})
    return render(
        request,
        "reports/indicators.html",
        {"scope": scope, "rows": rows},
        status=422 if invalid else 200,
    )


@login_required
@require_GET
def indicator_page(request: AuthedRequest, network_id: int) -> HttpResponse:
    return _page(request, _scope(request, network_id))


@login_required
@require_POST
def indicator_save(request: AuthedRequest, goal_id: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.select_related("network"), pk=goal_id, kind=Goal.Kind.OPERATIONAL)
    scope = _scope(request, goal.network_id)
    form = GoalIndicatorForm(request.POST, prefix=f"goal-{goal.pk}")
    if not form.is_valid():
        return _page(request, scope, invalid=(goal.pk, form))
    try:
        services.save_goal_indicator(
            goal=goal,
            figure=form.cleaned_data["figure"],
            counts_people=form.cleaned_data["counts_people"],
            by=request.user,
        )
    except ValidationError as error:
        form.add_error("figure", error)
        return _page(request, scope, invalid=(goal.pk, form))
    messages.success(request, _("De indicator van “%(goal)s” is bewaard.") % {"goal": goal.title})
    return redirect_after_post(
        request, reverse("reports:indicators", args=[goal.network_id]) + f"#goal-{goal.pk}"
    )
