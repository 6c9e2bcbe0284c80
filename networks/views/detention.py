"""A detention network's structure: its PMD and who chairs it, the working groups per domain, the
standing consultations (bodies with meetings) and the strategic plan's five objectives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ijh.http import AuthedRequest, redirect_after_post

from .. import detention
from ..access import get_network_for_user
from ..models import Membership, Network


def get_detention_network_for_user(user, network_id: int) -> Network:
    network = get_network_for_user(user, network_id)
    if network.kind != Network.Kind.DETENTION:
        raise Http404
    return network


def can_set_up(user, network: Network) -> bool:
    """The network's managers and its beleidsmedewerker set the structure up."""
    return bool(network.user_can_manage) or (
        Membership.objects.active()
        .filter(user=user, network=network, role=Membership.Role.POLICY_OFFICER)
        .exists()
    )


@login_required
@require_GET
def detention_overview(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_detention_network_for_user(request.user, network_id)
    context = {
        "network": network,
        "structure": detention.structure_of(network),
        "can_set_up": can_set_up(request.user, network),
        "domains": detention.DOMAINS,
    }
    return render(request, "networks/detention/overview.html", context)


@login_required
@require_POST
def detention_setup(request: AuthedRequest, network_id: int) -> HttpResponse:
    network = get_detention_network_for_user(request.user, network_id)
    if not can_set_up(request.user, network):
        raise PermissionDenied
    added = detention.set_up(network, by=request.user)
    if added["bodies"] or added["goals"]:
        messages.success(
            request,
            _("Toegevoegd: %(bodies)s organen en %(goals)s strategische doelstellingen.") % added,
        )
    else:
        messages.info(request, _("Het netwerk was al volledig ingericht: er is niets gewijzigd."))
    return redirect_after_post(request, reverse("networks:detention", args=[network.pk]))
