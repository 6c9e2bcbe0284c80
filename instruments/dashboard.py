"""Home page panel of the crisis programme (registered from InstrumentsConfig.ready): the
coordinator sees the gaps in the meldpunt's rota for the coming 14 days. Two queries."""

import datetime

from django.utils import timezone

from ijh.dashboard import register_panel
from ijh.models import User
from networks.models import Membership

from .crisis_models import ROTA_HORIZON_DAYS, CrisisProgramme, OnCallShift, gaps_in


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
