"""The crisis programme of a crisis network: settings, providers, capacity key and the rota.

Network data (no client data): read by everyone with a role in the network, managed by its
coordinators and chairs (and regional staff). A provider's own people declare its places.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ijh.http import AuthedRequest, redirect_after_post
from networks.access import get_network_for_user
from networks.models import Body, Membership, Network

from .. import crisis_services as services
from ..access import represents
from ..crisis_models import CrisisProgramme, CrisisProvider, CrisisStepKind, OnCallShift, rota_gaps
from ..forms.crisis import ProgrammeForm, ProviderForm, ShiftForm


def _programme(network: Network) -> CrisisProgramme:
    programme = (
        CrisisProgramme.objects.select_related("meldpunt_organisation").filter(network=network).first()
    )
    if programme is None:
        raise Http404
    programme.network = network
    return programme


def programme_context(programme: CrisisProgramme, *, now: datetime.datetime | None = None) -> dict:
    """What the programme page shows; four queries (shares, providers, shifts, gaps)."""
    now = now or timezone.now()
    providers = list(programme.providers.select_related("organisation__sector"))
    shifts = list(
        programme.shifts.filter(ends_at__gt=now, starts_at__lt=now + datetime.timedelta(days=14)).order_by(
            "starts_at"
        )
    )
    return {
        "network": programme.network,
        "programme": programme,
        "shares": list(programme.capacity_shares.select_related("sector")),
        "steps": [
            (kind, label, [p for p in providers if p.step == kind]) for kind, label in CrisisStepKind.choices
        ],
        "shifts": shifts,
        "gaps": rota_gaps(programme, start=now),
        "now": now,
        "active": "crisis",
    }


@login_required
@require_GET
def programme_detail(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    if network.kind != Network.Kind.CRISIS:
        raise Http404
    programme = (
        CrisisProgramme.objects.select_related("meldpunt_organisation").filter(network=network).first()
    )
    context = {
        "network": network,
        "programme": programme,
        "manage": network.user_can_manage,
        # The case-area pages (board, praktijkoverleg, forfaits) are for the network's own
        # coordinators; regional staff also manage the programme but see those only as counts.
        "case_links": network.user_can_manage
        and Membership.objects.active()
        .filter(user=request.user, network=network, role=Membership.Role.COORDINATOR)
        .exists(),
        # The kerngroep decides the praktijkoverleg (issue 18 §5): its members get that link.
        "core_group": Membership.objects.active()
        .filter(user=request.user, network=network, bodies__kind=Body.Kind.CORE_GROUP)
        .exists(),
        "active": "crisis",
    }
    if programme is not None:
        programme.network = network
        context.update(programme_context(programme))
        context["represented"] = {
            provider.pk
            for _kind, _label, providers in context["steps"]
            for provider in providers
            if provider.organisation_id in _represented_organisations(request.user, network)
        }
    return render(request, "instruments/crisis/programme.html", context)


def _represented_organisations(user, network) -> set[int]:
    return set(
        Membership.objects.active()
        .filter(user=user, network=network, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
    )


@login_required
@require_POST
def programme_setup(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    if network.kind != Network.Kind.CRISIS:
        raise Http404
    try:
        _programme_row, created = services.set_up_programme(network=network, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            messages.success(request, _("Het crisishulpprogramma staat klaar met de standaardwaarden."))
    return redirect_after_post(request, reverse("instruments:crisis-programme", args=[network.pk]))


def _form_page(request: AuthedRequest, form, context: dict, status: int) -> HttpResponse:
    template = "instruments/form_page.html" + ("#form" if request.htmx else "")
    return render(request, template, {**context, "form": form, "active": "crisis"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    programme = _programme(network)
    shares = list(programme.capacity_shares.select_related("sector"))
    form = ProgrammeForm(request.POST or None, instance=programme, shares=shares)
    if request.method == "POST" and form.is_valid():
        services.save_programme(
            programme=form.instance,
            changed_fields=[name for name in form.changed_data if not name.startswith("share_")],
            shares=form.shares(),
            by=request.user,
        )
        messages.success(request, _("Het crisishulpprogramma is bewaard."))
        return redirect_after_post(request, reverse("instruments:crisis-programme", args=[network.pk]))
    context = {
        "network": network,
        "title": _("Crisishulpprogramma instellen"),
        "action": reverse("instruments:crisis-programme-edit", args=[network.pk]),
        "cancel_url": reverse("instruments:crisis-programme", args=[network.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def provider_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    programme = _programme(network)
    form = ProviderForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        provider = services.save_provider(
            provider=form.instance, changed_fields=form.changed_data, by=request.user
        )
        messages.success(request, _("%(provider)s neemt deel aan het programma.") % {"provider": provider})
        return redirect_after_post(request, reverse("instruments:crisis-programme", args=[network.pk]))
    context = {
        "network": network,
        "title": _("Crisisaanbieder toevoegen"),
        "action": reverse("instruments:crisis-provider-create", args=[network.pk]),
        "cancel_url": reverse("instruments:crisis-programme", args=[network.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: AuthedRequest, provider_id: int) -> HttpResponse:
    provider = get_object_or_404(
        CrisisProvider.objects.select_related("programme", "organisation"), pk=provider_id
    )
    network = get_network_for_user(request.user, provider.programme.network_id)
    provider.programme.network = network
    # Managers change everything; the provider's own people declare their places only.
    capacity_only = not network.user_can_manage
    if capacity_only and not represents(request.user, network.pk, provider.organisation_id):
        raise PermissionDenied
    form = ProviderForm(
        request.POST or None, instance=provider, programme=provider.programme, capacity_only=capacity_only
    )
    if request.method == "POST" and form.is_valid():
        services.save_provider(provider=form.instance, changed_fields=form.changed_data, by=request.user)
        messages.success(request, _("%(provider)s is bewaard.") % {"provider": provider})
        return redirect_after_post(request, reverse("instruments:crisis-programme", args=[network.pk]))
    context = {
        "network": network,
        "title": _("Crisisaanbieder: %(provider)s") % {"provider": provider},
        "action": reverse("instruments:crisis-provider-edit", args=[provider.pk]),
        "cancel_url": reverse("instruments:crisis-programme", args=[network.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def shift_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    programme = _programme(network)
    form = ShiftForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_shift(shift=form.instance, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("De permanentie is toegevoegd."))
            return redirect_after_post(request, reverse("instruments:crisis-programme", args=[network.pk]))
    context = {
        "network": network,
        "title": _("Permanentie toevoegen"),
        "action": reverse("instruments:crisis-shift-create", args=[network.pk]),
        "cancel_url": reverse("instruments:crisis-programme", args=[network.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)


@login_required
@require_POST
def shift_delete(request: AuthedRequest, shift_id: int) -> HttpResponse:
    shift = get_object_or_404(OnCallShift.objects.select_related("programme"), pk=shift_id)
    network = get_network_for_user(request.user, shift.programme.network_id, write=True)
    services.delete_shift(shift=shift, by=request.user)
    messages.success(request, _("De permanentie is verwijderd."))
    return redirect_after_post(request, reverse("instruments:crisis-programme", args=[network.pk]))
