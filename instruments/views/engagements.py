"""The engagement catalogue of a network (issue 19 §7): what organisations commit to for blocked
trajectories, searchable by life domain and age, active or expired. No client data.

Read by everyone who sees the network; published and edited by the network's managers and by the
people who represent the organisation (caseworker or steering member for it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ijh import audit
from ijh.http import AuthedRequest, redirect_after_post
from networks.access import get_network_for_user

from ..access import engagement_organisations, get_engagement_for_user
from ..forms.engagements import EngagementForm, EngagementSearchForm
from ..models import Engagement, LifeDomain


@login_required
@require_GET
def engagement_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    today = timezone.localdate()
    search = EngagementSearchForm(request.GET or None)
    engagements = Engagement.objects.filter(network=network)
    status = "active"
    if search.is_valid():
        data = search.cleaned_data
        status = data["status"] or "active"
        if data["domain"]:
            engagements = engagements.filter(domains=data["domain"])
        if data["age"] is not None:
            engagements = engagements.for_age(data["age"])
    if status == "active":
        engagements = engagements.active_on(today)
    elif status == "expired":
        engagements = engagements.expired_on(today)
    engagements = list(
        engagements.select_related("organisation")
        .prefetch_related(Prefetch("domains", queryset=LifeDomain.objects.order_by("order", "name")))
        .order_by("organisation__name", "title", "pk")
    )
    for engagement in engagements:
        engagement.active = engagement.is_active(today)
    can_publish = engagement_organisations(request.user, network).exists()
    context = {
        "network": network,
        "engagements": engagements,
        "search": search,
        "can_publish": can_publish,
        "active": "engagements",
    }
    template = "instruments/engagements/list.html" + ("#results" if request.htmx else "")
    return render(request, template, context)


def _form_page(request: AuthedRequest, form, context: dict, status: int) -> HttpResponse:
    template = "instruments/form_page.html" + ("#form" if request.htmx else "")
    return render(request, template, {**context, "form": form, "active": "engagements"}, status=status)


def _save(request: AuthedRequest, form: EngagementForm, *, created: bool) -> Engagement:
    engagement = form.save(commit=False)
    if created:
        engagement.created_by = request.user
    engagement.save()
    form.save_m2m()
    audit.record(
        request.user,
        "engagement.created" if created else "engagement.changed",
        engagement,
        network_id=engagement.network_id,
        detail=", ".join(form.changed_data)[:80],
    )
    return engagement


@login_required
@require_http_methods(["GET", "POST"])
def engagement_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    organisations = engagement_organisations(request.user, network)
    if not organisations.exists():
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    form = EngagementForm(
        request.POST or None, organisations=organisations, instance=Engagement(network=network)
    )
    if request.method == "POST" and form.is_valid():
        engagement = _save(request, form, created=True)
        messages.success(
            request, _("Het engagement „%(title)s” staat in de catalogus.") % {"title": engagement}
        )
        return redirect_after_post(request, reverse("instruments:engagement-list", args=[network.pk]))
    context = {
        "network": network,
        "title": _("Nieuw engagement in %(network)s") % {"network": network},
        "action": reverse("instruments:engagement-create", args=[network.pk]),
        "cancel_url": reverse("instruments:engagement-list", args=[network.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def engagement_edit(request: AuthedRequest, engagement_id: int) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, engagement_id, write=True)
    network = engagement.network
    form = EngagementForm(
        request.POST or None,
        organisations=engagement_organisations(request.user, network),
        instance=engagement,
    )
    if request.method == "POST" and form.is_valid():
        if form.has_changed():  # a write that changes nothing writes no audit event
            _save(request, form, created=False)
        messages.success(request, _("Het engagement is bijgewerkt."))
        return redirect_after_post(request, reverse("instruments:engagement-list", args=[network.pk]))
    context = {
        "network": network,
        "title": _("Engagement bewerken"),
        "action": reverse("instruments:engagement-edit", args=[engagement.pk]),
        "cancel_url": reverse("instruments:engagement-list", args=[network.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)
