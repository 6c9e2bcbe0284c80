"""The instrument registry of a network: which instruments it uses, how binding, since when."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ijh.http import AuthedRequest, redirect_after_post
from networks.access import get_network_for_user

from .. import services
from ..access import get_instrument_for_user
from ..forms import InstrumentForm
from ..models import Instrument


@login_required
@require_GET
def instrument_list(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id)
    instruments = (
        Instrument.objects.filter(network=network).select_related("contact_person").order_by("kind", "name")
    )
    context = {"network": network, "instruments": instruments, "manage": network.user_can_manage}
    return render(request, "instruments/instrument_list.html", context)


def _form_page(request: AuthedRequest, form, context: dict, status: int) -> HttpResponse:
    template = "instruments/form_page.html" + ("#form" if request.htmx else "")
    return render(request, template, {**context, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def instrument_create(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_network_for_user(request.user, network_id, write=True)
    form = InstrumentForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        instrument = services.save_instrument(
            instrument=form.instance, changed_fields=form.changed_data, by=request.user
        )
        messages.success(request, _("Het instrument „%(name)s” is toegevoegd.") % {"name": instrument})
        return redirect_after_post(request, reverse("instruments:list", args=[network.pk]))
    context = {
        "network": network,
        "active": "registry",
        "title": _("Nieuw instrument in %(network)s") % {"network": network},
        "action": reverse("instruments:create", args=[network.pk]),
        "cancel_url": reverse("instruments:list", args=[network.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def instrument_edit(request: AuthedRequest, instrument_id: int) -> HttpResponse:
    instrument = get_instrument_for_user(request.user, instrument_id, write=True)
    network = instrument.network
    form = InstrumentForm(request.POST or None, instance=instrument, network=network)
    if request.method == "POST" and form.is_valid():
        services.save_instrument(instrument=form.instance, changed_fields=form.changed_data, by=request.user)
        messages.success(request, _("Het instrument „%(name)s” is bijgewerkt.") % {"name": instrument})
        return redirect_after_post(request, reverse("instruments:list", args=[network.pk]))
    context = {
        "network": network,
        "active": "registry",
        "title": _("Instrument bewerken"),
        "action": reverse("instruments:edit", args=[instrument.pk]),
        "cancel_url": reverse("instruments:list", args=[network.pk]),
    }
    return _form_page(request, form, context, 422 if request.method == "POST" else 200)
