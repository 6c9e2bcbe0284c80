"""Referral figures for the half-yearly practice report: counts only, no client data.

Each figure counts the events that happened in the period: a referral sent in December and
accepted in January counts as sent in the first report and as accepted in the next. That way a
report never changes after the period closed, and the time to acceptance covers the referrals
accepted in the period. Two queries, whatever the number of networks or referrals.
"""

import datetime
import statistics

from django.db.models import Count, Q

from .models import Referral


def referral_figures(*, network_ids, start: datetime.date, end: datetime.date) -> dict:
    """Figures for referrals in ``network_ids`` between ``start`` and ``end`` (both included).

    Returns ``sent``, ``outside_agreement`` (of those sent), ``received``, ``accepted``,
    ``declined``, ``declined_by_reason`` (every reason, 0 when none), ``started``, ``withdrawn``
    and ``median_days_to_acceptance`` (sent → accepted, for those accepted in the period; None
    when none were).
    """
    referrals = Referral.objects.filter(network_id__in=list(network_ids))

    def within(field: str) -> Q:
        return Q(**{f"{field}__gte": start, f"{field}__lte": end})

    reasons = Referral.DeclineReason.values
    counts = referrals.aggregate(
        sent=Count("pk", filter=within("sent_on")),
        outside_agreement=Count("pk", filter=within("sent_on") & Q(outside_agreement=True)),
        received=Count("pk", filter=within("received_on")),
        accepted=Count("pk", filter=within("accepted_on")),
        declined=Count("pk", filter=within("declined_on")),
        started=Count("pk", filter=within("started_on")),
        withdrawn=Count("pk", filter=within("withdrawn_on")),
        **{
            f"declined_{reason}": Count("pk", filter=within("declined_on") & Q(decline_reason=reason))
            for reason in reasons
        },
    )
    accepted = referrals.filter(within("accepted_on")).values_list("sent_on", "accepted_on")
    days = [(accepted_on - sent_on).days for sent_on, accepted_on in accepted]
    return {
        "sent": counts["sent"],
        "outside_agreement": counts["outside_agreement"],
        "received": counts["received"],
        "accepted": counts["accepted"],
        "declined": counts["declined"],
        "declined_by_reason": {reason: counts[f"declined_{reason}"] for reason in reasons},
        "started": counts["started"],
        "withdrawn": counts["withdrawn"],
        "median_days_to_acceptance": statistics.median(days) if days else None,
    }
