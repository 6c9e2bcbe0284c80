"""The carousel signal for the planmaker coordinator (issue 19 §8; computation in cases/carousel.py).

The list shows a pseudonym and the counts, never a name; the link to the case only where the
coordinator is on its team (``visible_cases``). Reading the list is logged (pseudonyms). The counts
come from the day's snapshot (computed at night, or at the first view after the thresholds
changed); "Opnieuw tellen" recomputes them at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh import audit
from ijh.http import AuthedRequest, redirect_after_post

from ..access import carousel_networks, get_carousel_network_for_user
from ..carousel import carousel_rows, current_snapshot, refresh, thresholds, window
from ..forms.carousel import CarouselSettingsForm
from ..reads import log_read


@login_required
@require_GET
def carousel_index(request: AuthedRequest) -> HttpResponse:
    networks = list(carousel_networks(request.user).order_by("name"))
    if not networks:
        raise Http404
    if len(networks) == 1:
        return HttpResponseRedirect(reverse("cases:carousel", args=[networks[0].pk]))
    return render(request, "cases/carousel/index.html", {"networks": networks})


@login_required
@require_GET
def carousel(request: AuthedRequest, planmaker_network_id: int) -> HttpResponse:
    network = get_carousel_network_for_user(request.user, planmaker_network_id)
    settings = thresholds(network)
    snapshot = current_snapshot(network, settings=settings)
    rows = carousel_rows(snapshot, request.user)
    start, end = window(snapshot.computed_on)
    if rows:
        log_read(request, None, page="carousel", network_id=network.pk)
    template = "cases/carousel/_rows.html" if getattr(request, "htmx", False) else "cases/carousel/list.html"
    return render(
        request,
        template,
        {
            "network": network,
            "settings": settings,
            "snapshot": snapshot,
            "rows": rows,
            "start": start,
            "end": end,
        },
    )


@login_required
@require_POST
def carousel_refresh(request: AuthedRequest, planmaker_network_id: int) -> HttpResponse:
    """Count again now: a referral or team change of today shows without waiting for the night."""
    network = get_carousel_network_for_user(request.user, planmaker_network_id)
    refresh(network)
    messages.success(request, _("Het carrouselsignaal is opnieuw geteld."))
    return redirect_after_post(request, reverse("cases:carousel", args=[network.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def carousel_settings(request: AuthedRequest, planmaker_network_id: int) -> HttpResponse:
    network = get_carousel_network_for_user(request.user, planmaker_network_id)
    current = thresholds(network)
    form = CarouselSettingsForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if form.has_changed():  # a write that changes nothing writes no audit event
                row = form.save()
                audit.record(
                    request.user,
                    "carousel_settings.changed",
                    row,
                    network_id=network.pk,
                    detail=f"{row.min_providers} aanbieders / {row.min_handoffs} overdrachten",
                )
            messages.success(request, _("De drempels van het carrouselsignaal zijn bewaard."))
            return redirect_after_post(request, reverse("cases:carousel", args=[network.pk]))
        status = 422
    template = (
        "cases/carousel/_settings_form.html"
        if getattr(request, "htmx", False)
        else "cases/carousel/settings.html"
    )
    return render(request, template, {"network": network, "form": form}, status=status)
