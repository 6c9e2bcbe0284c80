"""Self-assessment rounds and the partner-load overview of one network.

Privacy: a member's individual scores are shown to that member only. Other people see the
number of respondents while a round is open, and after it closes the aggregates that
assessment_results computes (with the small-number rule). No view here ever reads another
member's comment or lists scores per respondent.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post

from .. import partner_load, services
from ..access import can_open_assessment, can_score, get_network_for_user, get_round_for_user
from ..assessment_chart import results_chart
from ..assessment_results import compare_rounds, group_by_dimension, values_by_criterion
from ..forms.assessment import RoundForm, ScoreForm
from ..models import MIN_RESPONDENTS_FOR_RESULTS, Criterion, Score, SelfAssessmentRound


@login_required
def assessment_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    rounds = (
        network.assessment_rounds.annotate(
            respondent_count=Count("scores__respondent", distinct=True),
            # Only whether *I* scored: never anything about someone else's answers.
            i_scored=Exists(Score.objects.filter(round=OuterRef("pk"), respondent=request.user)),
        )
        .select_related("opened_by")
        .order_by("-opened_on", "-pk")
    )
    context = {
        "network": network,
        "rounds": rounds,
        "may_open": can_open_assessment(request.user, network),
    }
    template = "networks/assessment/round_list.html"
    if request.htmx:
        template += "#rounds"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_open(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    if not can_open_assessment(request.user, network):
        raise PermissionDenied
    form = RoundForm(request.POST or None, network=network)
    if request.method == "POST":
        if form.is_valid():
            assessment_round = services.open_assessment_round(assessment_round=form.instance, by=request.user)
            messages.success(request, _("De ronde is geopend. De leden kunnen nu scoren."))
            return redirect_after_post(
                request, reverse("networks:assessment-detail", args=[assessment_round.pk])
            )
        return _round_form_page(request, network, form, status=422)
    return _round_form_page(request, network, form)


def _round_form_page(request: AuthedRequest, network, form: RoundForm, *, status: int = 200) -> HttpResponse:
    template = "networks/assessment/round_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, {"network": network, "form": form}, status=status)


def _detail_context(
    request: AuthedRequest, assessment_round: SelfAssessmentRound, *, form: ScoreForm | None = None
) -> dict:
    """Everything the round page shows, in a fixed number of queries (see the query-count tests)."""
    user = request.user
    network = assessment_round.network
    criteria = list(Criterion.objects.order_by("position", "name"))
    my_scores = {
        score.criterion_id: score for score in Score.objects.filter(round=assessment_round, respondent=user)
    }
    respondent_count = Score.objects.filter(round=assessment_round).values("respondent").distinct().count()
    context = {
        "network": network,
        "round": assessment_round,
        "respondent_count": respondent_count,
        "my_scores": group_by_dimension(
            [(criterion, my_scores[criterion.pk]) for criterion in criteria if criterion.pk in my_scores],
            key=lambda row: row[0].dimension,
        ),
        "has_scored": bool(my_scores),
    }
    if assessment_round.is_open:
        context["may_score"] = can_score(user, network)
        context["may_close"] = can_open_assessment(user, network)
        if form is None and context["may_score"] and not my_scores:
            form = ScoreForm(criteria=criteria, assessment_round=assessment_round, respondent=user)
    else:
        context.update(_results_context(assessment_round, criteria))
    if form is not None:
        context["form"] = form
        context["form_groups"] = group_by_dimension(form.rows(), key=lambda row: row.criterion.dimension)
    return context


def _results_context(assessment_round: SelfAssessmentRound, criteria: list[Criterion]) -> dict:
    """Aggregates of a closed round against the closed round before it: two queries."""
    previous = (
        SelfAssessmentRound.objects.filter(network_id=assessment_round.network_id)
        .filter(
            Q(opened_on__lt=assessment_round.opened_on)
            | Q(opened_on=assessment_round.opened_on, pk__lt=assessment_round.pk)
        )
        .filter(Q(closed_at__isnull=False) | Q(closes_on__lt=timezone.localdate()))
        .order_by("-opened_on", "-pk")
        .first()
    )
    round_ids = [assessment_round.pk] + ([previous.pk] if previous else [])
    # Values only: no respondent, no comment leaves the database for this computation.
    rows = Score.objects.filter(round_id__in=round_ids).values_list("round_id", "criterion_id", "value")
    per_round: dict[int, list[tuple[int, int]]] = {pk: [] for pk in round_ids}
    for round_id, criterion_id, value in rows:
        per_round[round_id].append((criterion_id, value))
    results = compare_rounds(
        criteria,
        values_by_criterion(per_round[assessment_round.pk]),
        values_by_criterion(per_round[previous.pk]) if previous else None,
    )
    return {
        "previous_round": previous,
        "min_respondents": MIN_RESPONDENTS_FOR_RESULTS,
        "result_groups": group_by_dimension(results),
        "chart": results_chart(
            results, title=_("Resultaten van %(round)s per criterium") % {"round": assessment_round.title}
        ),
    }


@login_required
def assessment_detail(request: AuthedRequest, round_id: int) -> HttpResponse:
    assessment_round = get_round_for_user(request.user, round_id)
    template = "networks/assessment/round_detail.html"
    if request.htmx:
        template += "#round"
    return render(request, template, _detail_context(request, assessment_round))


@login_required
@require_POST
def assessment_score(request: AuthedRequest, round_id: int) -> HttpResponse:
    assessment_round = get_round_for_user(request.user, round_id)
    if not can_score(request.user, assessment_round.network):
        raise PermissionDenied
    form = ScoreForm(
        request.POST,
        criteria=Criterion.objects.order_by("position", "name"),
        assessment_round=assessment_round,
        respondent=request.user,
    )
    if form.is_valid():
        try:
            services.submit_scores(
                assessment_round=assessment_round, respondent=request.user, scores=form.scores()
            )
        except ValidationError as error:  # a race past the form's checks: the service has the last word
            form.blocked = True
            form.add_error(None, error)
        else:
            messages.success(request, _("Bedankt, je scores zijn bewaard."))
            return redirect_after_post(
                request, reverse("networks:assessment-detail", args=[assessment_round.pk])
            )
    template = "networks/assessment/round_detail.html"
    if request.htmx:
        template += "#score-form"
    return render(request, template, _detail_context(request, assessment_round, form=form), status=422)


@login_required
@require_POST
def assessment_close(request: AuthedRequest, round_id: int) -> HttpResponse:
    assessment_round = get_round_for_user(request.user, round_id, write=True)
    if assessment_round.is_open:
        services.close_assessment_round(assessment_round=assessment_round, by=request.user)
        messages.success(request, _("De ronde is gesloten. De resultaten zijn nu zichtbaar."))
    else:
        messages.info(request, _("Deze ronde was al gesloten."))
    return redirect_after_post(request, reverse("networks:assessment-detail", args=[assessment_round.pk]))


@login_required
def partner_load_view(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    sort = request.GET.get("sorteer", partner_load.DEFAULT_SORT)
    if sort not in partner_load.SORTS:
        sort = partner_load.DEFAULT_SORT
    context = {
        "network": network,
        "sort": sort,
        "sort_options": list(partner_load.SORT_LABELS.items()),
        "organisations": partner_load.organisation_load(network, sort=sort),
        "people": partner_load.person_load(network, sort=sort),
        "window_days": partner_load.INVITATION_WINDOW.days,
    }
    template = "networks/assessment/partner_load.html"
    if request.htmx:
        template += "#load"
    return render(request, template, context)
