"""The carousel signal (issue 19 §8): young people passed between too many providers.

Which cases: those of the networks in the same region as the planmaker network (not only cases
already referred to the planmakers — the signal exists to find the children nobody referred yet).
A case closed before the window started does not count.

What counts, in the last 12 months (the window ends today), from what the product records:

* providers — the distinct organisations that were on the case in the window: referrals sent to
  them (not withdrawn), case-team rows by organisation that held at some point in the window
  (planmaker rows excluded: the planmakers are the answer, not the carousel), organisations that
  requested a cliëntoverleg, and the organisations behind crisis-episode steps;
* hand-offs — referrals accepted in the window, case-team rows (by organisation) ended in the
  window when the organisation changes, and crisis steps handed over in the window. A team row
  that ends while its organisation stays on the case (another row of the same organisation that
  runs on, or starts within ``SAME_ORGANISATION_GAP_DAYS`` — a new worker of the same service) is
  no hand-off: the young person stays with the same provider.

A case shows when providers ≥ N or hand-offs ≥ M (``CarouselSettings`` of the planmaker network,
defaults 4 and 3). One SQL query aggregates everything (UNION ALL + GROUP BY, no per-case loop).
At Flanders scale that query reads a region's twelve months (about 300 ms for Antwerpen), so its
result is kept as a ``CarouselSnapshot`` for the day and the thresholds: beat computes every
network at night, the page recomputes only when the day or the thresholds changed, and the
coordinator can ask for a fresh count. The page reads the snapshot's rows with their pseudonyms in
one query and asks "which of these may the user open" in one more.
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from instruments.models import CrisisProvider
from networks.models import CarouselSettings, Network

from .models import (
    CarouselSignal,
    CarouselSnapshot,
    Case,
    CaseTeamMember,
    ClientConference,
    CrisisEpisode,
    CrisisStep,
    Referral,
)

WINDOW_DAYS = 365
# A new worker of the same organisation who starts within this many days after the previous one
# left continues the same provider: no hand-off.
SAME_ORGANISATION_GAP_DAYS = 14


@dataclass
class CarouselRow:
    case_id: int
    pseudonym: str
    providers: int
    handoffs: int
    may_open: bool = False


def thresholds(network: Network) -> CarouselSettings:
    """The network's settings row, or an unsaved one with the defaults."""
    row = CarouselSettings.objects.filter(network=network).first()
    return row or CarouselSettings(network=network)


def window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=WINDOW_DAYS - 1), today


def _sql() -> str:
    t = {
        "referral": Referral._meta.db_table,
        "team": CaseTeamMember._meta.db_table,
        "conference": ClientConference._meta.db_table,
        "step": CrisisStep._meta.db_table,
        "episode": CrisisEpisode._meta.db_table,
        "provider": CrisisProvider._meta.db_table,
        "case": Case._meta.db_table,
        "network": Network._meta.db_table,
    }
    # The day up to which a successor of the same organisation continues the provider; date
    # arithmetic differs between PostgreSQL and the embedded SQLite.
    if connection.vendor == "postgresql":
        gap_end = "m.until + %(gap)s"
    else:
        gap_end = "date(m.until, '+' || %(gap)s || ' days')"
    return f"""
        WITH region_cases AS (
            -- The region's open (or recently closed) cases first: every branch below starts from
            -- them, so nothing is read for the rest of Flanders.
            SELECT k.id FROM {t["case"]} k
            JOIN {t["network"]} n ON n.id = k.network_id
            WHERE n.region_id = %(region)s AND (k.closed_on IS NULL OR k.closed_on >= %(start)s)
        )
        SELECT e.case_id, COUNT(DISTINCT e.org_id) AS providers, SUM(e.handoff) AS handoffs
        FROM (
            SELECT r.case_id, r.to_organisation_id AS org_id,
                   CASE WHEN r.accepted_on BETWEEN %(start)s AND %(end)s THEN 1 ELSE 0 END AS handoff
            FROM {t["referral"]} r JOIN region_cases rc ON rc.id = r.case_id
            WHERE r.status <> 'withdrawn'
              AND (r.sent_on BETWEEN %(start)s AND %(end)s OR r.accepted_on BETWEEN %(start)s AND %(end)s)
            UNION ALL
            SELECT m.case_id, m.organisation_id,
                   CASE WHEN m.until BETWEEN %(start)s AND %(end)s AND NOT EXISTS (
                       SELECT 1 FROM {t["team"]} m2
                       WHERE m2.case_id = m.case_id AND m2.organisation_id = m.organisation_id
                         AND m2.id <> m.id AND m2.role <> 'planmaker'
                         AND m2.since <= {gap_end} AND (m2.until IS NULL OR m2.until > m.until)
                   ) THEN 1 ELSE 0 END
            FROM {t["team"]} m JOIN region_cases rc ON rc.id = m.case_id
            WHERE m.role <> 'planmaker' AND m.since <= %(end)s AND (m.until IS NULL OR m.until >= %(start)s)
            UNION ALL
            SELECT c.case_id, c.requesting_organisation_id, 0
            FROM {t["conference"]} c JOIN region_cases rc ON rc.id = c.case_id
            WHERE c.requested_on BETWEEN %(start)s AND %(end)s AND c.requesting_organisation_id IS NOT NULL
            UNION ALL
            SELECT ep.case_id, p.organisation_id, 1
            FROM {t["step"]} s
            JOIN {t["episode"]} ep ON ep.id = s.episode_id
            JOIN {t["provider"]} p ON p.id = s.provider_id
            JOIN region_cases rc ON rc.id = ep.case_id
            WHERE ep.case_id IS NOT NULL AND s.started_at >= %(start_at)s AND s.started_at < %(end_at)s
        ) e
        GROUP BY e.case_id
        HAVING COUNT(DISTINCT e.org_id) >= %(min_providers)s OR SUM(e.handoff) >= %(min_handoffs)s
        ORDER BY providers DESC, handoffs DESC, e.case_id
    """


def carousel_counts(
    network: Network, *, settings: CarouselSettings | None = None, today: datetime.date | None = None
) -> list[tuple[int, int, int]]:
    """(case_id, providers, hand-offs) of the cases tripping the signal. One query."""
    settings = settings or thresholds(network)
    start, end = window(today)
    tz = timezone.get_current_timezone()
    params = {
        "start": start,
        "end": end,
        "start_at": datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        "end_at": datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
        "region": network.region_id,
        "min_providers": settings.min_providers,
        "min_handoffs": settings.min_handoffs,
        "gap": SAME_ORGANISATION_GAP_DAYS,
    }
    with connection.cursor() as cursor:
        cursor.execute(_sql(), params)
        return [(case_id, int(providers), int(handoffs or 0)) for case_id, providers, handoffs in cursor]


def refresh(
    network: Network, *, settings: CarouselSettings | None = None, today: datetime.date | None = None
) -> CarouselSnapshot:
    """Compute the signal and replace the network's snapshot with it. Idempotent; two at once
    both count, the later write wins (the same counts)."""
    settings = settings or thresholds(network)
    today = today or timezone.localdate()
    counts = carousel_counts(network, settings=settings, today=today)
    with transaction.atomic():
        snapshot, _ = CarouselSnapshot.objects.select_for_update().update_or_create(
            network=network,
            defaults={
                "computed_on": today,
                "computed_at": timezone.now(),
                "min_providers": settings.min_providers,
                "min_handoffs": settings.min_handoffs,
            },
        )
        CarouselSignal.objects.filter(snapshot=snapshot).delete()
        CarouselSignal.objects.bulk_create(
            CarouselSignal(snapshot=snapshot, case_id=case_id, providers=providers, handoffs=handoffs)
            for case_id, providers, handoffs in counts
        )
    return snapshot


def current_snapshot(network: Network, *, settings: CarouselSettings | None = None) -> CarouselSnapshot:
    """Today's snapshot for the network's thresholds: the stored one, or computed now."""
    settings = settings or thresholds(network)
    snapshot = CarouselSnapshot.objects.filter(network=network).first()
    current = snapshot is not None and snapshot.is_current(
        today=timezone.localdate(),
        min_providers=settings.min_providers,
        min_handoffs=settings.min_handoffs,
    )
    return snapshot if current else refresh(network, settings=settings)


def refresh_all() -> int:
    """Beat, at night: every planmaker network's snapshot for the new day."""
    networks = Network.objects.filter(kind=Network.Kind.PLANMAKER).select_related("carousel_settings")
    for network in networks:
        refresh(network, settings=getattr(network, "carousel_settings", None) or thresholds(network))
    return len(networks)


def carousel_rows(snapshot: CarouselSnapshot, user) -> list[CarouselRow]:
    """The snapshot's cases with the pseudonym and whether ``user`` may open the case. Two queries."""
    from .access import visible_cases

    signals = list(
        CarouselSignal.objects.filter(snapshot=snapshot)
        .order_by("-providers", "-handoffs", "case_id")
        .values_list("case_id", "case__client__pseudonym", "providers", "handoffs")
    )
    if not signals:
        return []
    ids = [case_id for case_id, _, _, _ in signals]
    openable = set(visible_cases(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        CarouselRow(case_id, pseudonym or "–", providers, handoffs, case_id in openable)
        for case_id, pseudonym, providers, handoffs in signals
    ]
