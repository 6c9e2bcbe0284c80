"""Imported history in the case sections (issue 17 §6): past cliëntoverleg requests and referrals
from a spreadsheet count in the reports of their own periods, by the same definitions as the
registrations. One query per kind reads the imported rows that touch the period; period counts,
per-network counts and cohorts all come from those rows.

A decision on admissibility imported without its day counts in the period of the request, and in
the cohort as reached without a time (so not within 30/60/90 days and not in the median).
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Min, Q
from django.utils import timezone

from cases.models import ClientConference, ConferenceSession, Referral

from . import cohorts
from .models import ImportedConferenceRequest, ImportedReferral


def _in(field_name: str, start: datetime.date, end: datetime.date) -> Q:
    return Q(**{f"{field_name}__range": (start, end)})


@dataclass
class ImportedConferences:
    rows: list[tuple] = field(
        default_factory=list
    )  # (network, requested, sector, admissible, decided, first)

    def period_counts(self, start: datetime.date, end: datetime.date) -> dict[int, dict[str, int]]:
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for network_id, requested, _sector, admissible, decided, first in self.rows:
            mine = counts[network_id]
            if start <= requested <= end:
                mine["requests"] += 1
            decision_day = decided or (requested if admissible is not None else None)
            if decision_day and start <= decision_day <= end:
                mine["admissible" if admissible else "not_admissible"] += 1
            if first and start <= first <= end:
                mine["first_sessions"] += 1
        return counts

    def requests_per_sector(self, start, end) -> dict[str, int]:
        per_sector: dict[str, int] = defaultdict(int)
        for _network, requested, sector, *_rest in self.rows:
            if start <= requested <= end:
                per_sector[sector] += 1
        return per_sector

    def days_to_first_session(self, start, end) -> list[int]:
        return [
            (first - requested).days
            for _network, requested, _sector, _admissible, _decided, first in self.rows
            if first and start <= first <= end
        ]

    def cohort_rows(self, start, end) -> list[tuple]:
        """(network, requested, admissible moment, first session) for the requests of the period;
        True where admissible without a known day."""
        rows = []
        for network_id, requested, _sector, admissible, decided, first in self.rows:
            if not start <= requested <= end:
                continue
            moment = (decided or True) if admissible else None
            rows.append((network_id, requested, moment, first))
        return rows


def imported_conferences(
    network_ids: list[int], start: datetime.date, end: datetime.date
) -> ImportedConferences:
    """One query: imported requests requested, decided or first held in [start, end]."""
    rows = (
        ImportedConferenceRequest.objects.filter(network_id__in=network_ids)
        .filter(
            _in("requested_on", start, end)
            | _in("decided_on", start, end)
            | _in("first_session_on", start, end)
        )
        .order_by()
        .values_list(
            "network_id",
            "requested_on",
            "requesting_sector__name",
            "admissible",
            "decided_on",
            "first_session_on",
        )
    )
    return ImportedConferences(rows=list(rows))


@dataclass
class ImportedReferrals:
    # (network, sent, outside, accepted, declined, reason, started, received, withdrawn)
    rows: list[tuple] = field(default_factory=list)

    def period_counts(self, start, end) -> dict[int, dict[str, int]]:
        counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for network_id, sent, outside, accepted, declined, reason, started, received, withdrawn in self.rows:
            mine = counts[network_id]
            for key, day in (
                ("sent", sent),
                ("accepted", accepted),
                ("declined", declined),
                ("started", started),
                ("received", received),
                ("withdrawn", withdrawn),
            ):
                if day and start <= day <= end:
                    mine[key] += 1
            if start <= sent <= end and outside:
                mine["outside_agreement"] += 1
            if declined and start <= declined <= end and reason:
                mine[f"declined_{reason}"] += 1
        return counts

    def days_to_acceptance(self, start, end) -> list[int]:
        return [(row[3] - row[1]).days for row in self.rows if row[3] and start <= row[3] <= end]

    def cohort_rows(self, start, end) -> list[tuple]:
        return [(row[0], row[1], row[3], row[6]) for row in self.rows if start <= row[1] <= end]


def imported_referrals(network_ids: list[int], start: datetime.date, end: datetime.date) -> ImportedReferrals:
    """One query: imported referrals with any step in [start, end]."""
    touched = Q()
    for name in ("sent_on", "accepted_on", "declined_on", "started_on", "received_on", "withdrawn_on"):
        touched |= _in(name, start, end)
    rows = (
        ImportedReferral.objects.filter(network_id__in=network_ids)
        .filter(touched)
        .order_by()
        .values_list(
            "network_id",
            "sent_on",
            "outside_agreement",
            "accepted_on",
            "declined_on",
            "decline_reason",
            "started_on",
            "received_on",
            "withdrawn_on",
        )
    )
    return ImportedReferrals(rows=list(rows))


# --- merged into the registrations' figures ----------------------------------------------------


def _total(per_network: dict[int, dict[str, int]], key: str) -> int:
    return sum(counts.get(key, 0) for counts in per_network.values())


def _percentile(sorted_values: list[int], fraction: float) -> float | None:
    """Linear interpolation between the closest ranks (as cases.figures, percentile_cont)."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    return float(sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * (position - lower))


def registered_first_session_days(network_ids: list[int], start, end) -> list[int]:
    """Days from request to first held session for registered conferences whose first session
    falls in the period (the list behind cases.figures' median). Only asked for when imported
    history has to be added to that median."""
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    rows = (
        ClientConference.objects.filter(network_id__in=network_ids)
        .annotate(
            first_held=Min("sessions__starts_at", filter=Q(sessions__status=ConferenceSession.Status.HELD))
        )
        .filter(first_held__gte=first, first_held__lt=after)
        .values_list("requested_on", "first_held")
    )
    return [(timezone.localtime(held).date() - requested).days for requested, held in rows]


def registered_acceptance_days(network_ids: list[int], start, end) -> list[int]:
    rows = Referral.objects.filter(network_id__in=network_ids, accepted_on__range=(start, end)).values_list(
        "sent_on", "accepted_on"
    )
    return [(accepted - sent).days for sent, accepted in rows]


def add_conferences(figures: dict, imported: ImportedConferences, network_ids, start, end) -> dict:
    """The registrations' conference figures with the imported history of the period added."""
    per_network = imported.period_counts(start, end)
    extra = {
        key: _total(per_network, key)
        for key in ("requests", "admissible", "not_admissible", "first_sessions")
    }
    if not any(extra.values()):
        return {**figures, "imported_requests": 0}
    merged = dict(figures)
    merged["requests"] += extra["requests"]
    merged["admissible"] += extra["admissible"]
    merged["not_admissible"] += extra["not_admissible"]
    merged["first_sessions_held"] += extra["first_sessions"]
    per_sector = dict(figures["requests_per_sector"])
    for sector, count in imported.requests_per_sector(start, end).items():
        per_sector[sector] = per_sector.get(sector, 0) + count
    merged["requests_per_sector"] = per_sector
    if extra["first_sessions"]:
        days = sorted(
            registered_first_session_days(network_ids, start, end)
            + imported.days_to_first_session(start, end)
        )
        merged["median_days_to_first_session"] = float(statistics.median(days)) if days else None
        merged["p75_days_to_first_session"] = _percentile(days, 0.75)
    merged["imported_requests"] = extra["requests"]
    return merged


def add_referrals(figures: dict, imported: ImportedReferrals, network_ids, start, end) -> dict:
    per_network = imported.period_counts(start, end)
    keys = ("sent", "outside_agreement", "received", "accepted", "declined", "started", "withdrawn")
    extra = {key: _total(per_network, key) for key in keys}
    if not any(extra.values()):
        return {**figures, "imported_sent": 0}
    merged = dict(figures)
    for key in keys:
        merged[key] = figures.get(key, 0) + extra[key]
    merged["declined_by_reason"] = {
        reason: count + _total(per_network, f"declined_{reason}")
        for reason, count in figures["declined_by_reason"].items()
    }
    if extra["accepted"]:
        days = registered_acceptance_days(network_ids, start, end) + imported.days_to_acceptance(start, end)
        merged["median_days_to_acceptance"] = statistics.median(days) if days else None
    merged["imported_sent"] = extra["sent"]
    return merged


def add_to_network_counts(
    counts: dict[int, dict[str, int]],
    conferences: ImportedConferences,
    referrals: ImportedReferrals,
    start,
    end,
) -> None:
    """Add the imported history to case_counts_by_network's per-network counts, in place."""
    for network_id, extra in conferences.period_counts(start, end).items():
        for key, value in extra.items():
            if key in counts.get(network_id, {}):
                counts[network_id][key] += value
    for network_id, extra in referrals.period_counts(start, end).items():
        for key in ("sent", "accepted", "declined", "started"):
            if network_id in counts:
                counts[network_id][key] += extra.get(key, 0)


def conference_cohorts(imported: ImportedConferences, start, end, milestones, *, as_of) -> dict:
    return cohorts.summarise(imported.cohort_rows(start, end), milestones=milestones, as_of=as_of)


def referral_cohorts(imported: ImportedReferrals, start, end, milestones, *, as_of) -> dict:
    return cohorts.summarise(imported.cohort_rows(start, end), milestones=milestones, as_of=as_of)
