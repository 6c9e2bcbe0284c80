"""Home page panels of the instruments (registered from InstrumentsConfig.ready): the crisis
coordinator sees the gaps in the meldpunt's rota for the coming 14 days (two queries); the
organisatieondersteuner sees the offer's free places and waiting lists (issue 20 §6)."""

import datetime

from django.utils import timezone

from ijh.dashboard import register_panel
from ijh.models import User
from networks.dashboard import home_roles
from networks.models import Membership

from .crisis_models import ROTA_HORIZON_DAYS, CrisisProgramme, OnCallShift, gaps_in
from .models_offer import Activity


@register_panel("crisis-rota", template="instruments/crisis/_dashboard_rota.html", order=19)
def crisis_rota(user: User) -> dict:
    managed = Membership.objects.active().filter(user=user, role__in=Membership.MANAGING_NETWORK_ROLES)
    programmes = list(
        CrisisProgramme.objects.filter(network_id__in=managed.values("network_id"))
        .select_related("network")
        .order_by("network__name")
    )
    if not programmes:
        return {"rota": []}
    start = timezone.now().replace(second=0, microsecond=0)
    end = start + datetime.timedelta(days=ROTA_HORIZON_DAYS)
    shifts: dict[int, list] = {programme.pk: [] for programme in programmes}
    for programme_id, starts, ends in (
        OnCallShift.objects.filter(programme__in=programmes, ends_at__gt=start, starts_at__lt=end)
        .order_by("starts_at")
        .values_list("programme_id", "starts_at", "ends_at")
    ):
        shifts[programme_id].append((starts, ends))
    rota = [(programme, gaps_in(shifts[programme.pk], start, end)) for programme in programmes]
    return {"rota": [(programme, gaps) for programme, gaps in rota if gaps]}


OFFER_PANEL_LIMIT = 30


@register_panel("detention-offer", template="instruments/offer/_dashboard.html", order=34)
def offer_places(user: User) -> dict:
    """The organisatieondersteuner's offer (issue 20 §6): per running activity of the prisons
    they keep the offer of, the free places and the waiting list, fullest waiting list first.
    Counts and titles only, no detainee codes. No query for anyone else (roles from the "my
    roles" panel); one for them."""
    networks = [
        role.network_id
        for role in home_roles(user)
        if role.role == Membership.Role.OFFER_COORDINATOR and role.network_id
    ]
    if not networks:
        return {"show": False}
    from .views.offer import activity_counts  # the offer page's own counting, one query

    today = timezone.localdate()
    activities = list(
        activity_counts(Activity.objects.filter(network_id__in=networks, ends_on__gte=today))
        .select_related("network")
        .order_by("-waiting", "network__name", "title", "pk")[:OFFER_PANEL_LIMIT]
    )
    for activity in activities:
        activity.free = max(activity.places - activity.enrolled, 0)
    return {
        "show": True,
        "activities": activities,
        "free": sum(a.free for a in activities),
        "waiting": sum(a.waiting for a in activities),
    }
