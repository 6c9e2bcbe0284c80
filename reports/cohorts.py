"""Cohort figures: of the entries that *started* in a period, how many reached each later step,
how many within a given time, and how fast (the research's "45 aanvragen … waarvan er 34 geleid
hebben tot een eerste overleg").

A period figure counts what happened in the period (requests made in it, first sessions held in
it: possibly different requests). A cohort follows one set of entries: the requests made in the
period, and what became of *those* requests, also after the period ended. A report shows both,
side by side, and its definitions appendix says which is which.

Usage — the caller filters the entries that started in the period, names the moments, and gets
raw figures per group in **one query**::

    conferences = ClientConference.objects.filter(
        network_id__in=network_ids, requested_on__range=(start, end)
    ).annotate(first_held=Min("sessions__starts_at", filter=Q(sessions__status="held")))
    cohorts = cohort_figures(
        conferences,
        start_field="requested_on",
        milestones=[
            Milestone("admissible", _("Ontvankelijk verklaard"), "admissible_on", within=DAYS_30_60_90),
            Milestone("first_session", _("Eerste overleg gehouden"), "first_held", within=DAYS_30_60_90),
        ],
        as_of=today,
    )
    cohorts[network_id].n, cohorts[network_id].reached["first_session"].within  # raw counts

then into snapshot tables (reports/sections.py) with :func:`funnel_table` (one cohort, one row
per step) or :func:`group_table` (one row per network, with a total). Counts in those tables are
marked for suppression below 5 (``count_columns``); a percentage is hidden with the count it is
computed from (``derived_columns``); a median is shown only when it rests on at least 5 entries,
like the other report sections.

A moment may also be ``True``: the step was reached but nobody knows when (imported history). It
counts as reached, not within any limit and not in the median.

Moments may be dates or datetimes, mixed freely: with whole-day windows the time is counted in
days between local dates (a request on Monday and a session on Tuesday evening: 1 day); with a
window shorter than a day (``timedelta(hours=1)``) it is counted in hours between moments, a date
counting as its local midnight.

No client data passes through here: only group keys and moments, and nothing but counts and
medians comes out.
"""

import datetime
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .disclosure import THRESHOLD
from .sections import grouped_table, table

NO_FIGURE = "–"
DAY = datetime.timedelta(days=1)
DAYS_30_60_90 = (datetime.timedelta(days=30), datetime.timedelta(days=60), datetime.timedelta(days=90))

Moment = datetime.date | datetime.datetime


@dataclass(frozen=True)
class Milestone:
    """A step an entry can reach after it started.

    ``field``: the model field or the annotation on the queryset holding the moment the step was
    reached (None or empty while it is not). ``within``: time limits to count separately ("within
    30 days"); a limit under one day counts the median in hours instead of days.
    """

    key: str
    label: str
    field: str
    within: Sequence[datetime.timedelta] = ()

    @property
    def in_hours(self) -> bool:
        return any(limit < DAY for limit in self.within)


@dataclass
class Reached:
    """How many entries of a cohort reached one milestone (raw counts, never suppressed here)."""

    count: int = 0
    # Per limit of the milestone, in the milestone's order: entries that reached it in time.
    within: dict[datetime.timedelta, int] = field(default_factory=dict)
    # Elapsed time per entry that reached it, in days or hours (the milestone's unit). Kept so
    # cohorts can be combined; never written into a snapshot.
    durations: list[float] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.durations)) if self.durations else None


@dataclass
class Cohort:
    """The entries of one group that started in the period, and what they reached."""

    n: int = 0
    reached: dict[str, Reached] = field(default_factory=dict)

    @classmethod
    def empty(cls, milestones: Sequence[Milestone]) -> "Cohort":
        return cls(
            reached={m.key: Reached(within=dict.fromkeys(m.within, 0)) for m in milestones},
        )

    def add(self, other: "Cohort") -> None:
        """Add ``other`` (same milestones) into this cohort."""
        self.n += other.n
        for key, theirs in other.reached.items():
            mine = self.reached.setdefault(key, Reached(within=dict.fromkeys(theirs.within, 0)))
            mine.count += theirs.count
            for limit, count in theirs.within.items():
                mine.within[limit] = mine.within.get(limit, 0) + count
            mine.durations.extend(theirs.durations)


def _local_date(moment: Moment) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def _as_datetime(moment: Moment) -> datetime.datetime:
    if isinstance(moment, datetime.datetime):
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    return timezone.make_aware(datetime.datetime.combine(moment, datetime.time.min))


def _elapsed(start: Moment, reached: Moment, *, in_hours: bool) -> datetime.timedelta:
    """Time from start to reached, never negative (a step registered before its start counts as
    reached at once rather than making a median look faster than it was)."""
    if in_hours:
        delta = _as_datetime(reached) - _as_datetime(start)
    else:
        delta = datetime.timedelta(days=(_local_date(reached) - _local_date(start)).days)
    return max(delta, datetime.timedelta(0))


def _not_yet(moment: Moment, as_of: Moment | None) -> bool:
    """Whether ``moment`` lies after the day (or moment) the figures are computed for."""
    if as_of is None:
        return False
    if isinstance(as_of, datetime.datetime) and isinstance(moment, datetime.datetime):
        return moment > as_of
    return _local_date(moment) > _local_date(as_of)


def summarise(
    rows: Iterable[Sequence[Any]], *, milestones: Sequence[Milestone], as_of: Moment | None = None
) -> dict[Any, Cohort]:
    """Cohorts from ``(group, start, moment per milestone…)`` rows: the pure half of
    :func:`cohort_figures`, for rows read elsewhere (or from two sources, then combined)."""
    cohorts: dict[Any, Cohort] = {}
    for group, start, *moments in rows:
        if start is None:
            continue
        cohort = cohorts.get(group)
        if cohort is None:
            cohort = cohorts[group] = Cohort.empty(milestones)
        cohort.n += 1
        for milestone, moment in zip(milestones, moments, strict=True):
            if moment is True:
                # Reached, on a day nobody knows (imported history): counted, but not timed.
                cohort.reached[milestone.key].count += 1
                continue
            if moment in (None, "", False) or _not_yet(moment, as_of):
                continue
            elapsed = _elapsed(start, moment, in_hours=milestone.in_hours)
            reached = cohort.reached[milestone.key]
            reached.count += 1
            for limit in milestone.within:
                if elapsed <= limit:
                    reached.within[limit] += 1
            unit = datetime.timedelta(hours=1) if milestone.in_hours else DAY
            reached.durations.append(elapsed / unit)
    return cohorts


def cohort_figures(
    queryset: QuerySet,
    *,
    start_field: str,
    milestones: Sequence[Milestone],
    group_by: str | None = "network_id",
    as_of: Moment | None = None,
) -> dict[Any, Cohort]:
    """Cohort figures per group, in one query.

    ``queryset`` holds exactly the entries that started in the period (the caller filters it, and
    annotates the moments that are not plain fields). ``group_by`` names the field to group on
    (None: one group, keyed None). ``as_of``: steps reached after this day (or moment) are not
    counted yet, so figures computed "as of" a past day do not change. Groups without entries are
    absent from the result: use ``.get(group) or Cohort.empty(milestones)``.
    """
    fields = [start_field, *(m.field for m in milestones)]
    if group_by is None:
        rows = ((None, *values) for values in queryset.order_by().values_list(*fields))
    else:
        rows = queryset.order_by().values_list(group_by, *fields)
    return summarise(rows, milestones=milestones, as_of=as_of)


def combined(cohorts: Iterable[Cohort], milestones: Sequence[Milestone]) -> Cohort:
    """One cohort holding every entry of ``cohorts`` (a region's total, or registered plus
    imported entries of one network)."""
    total = Cohort.empty(milestones)
    for cohort in cohorts:
        total.add(cohort)
    return total


def merged(*per_group: Mapping[Any, Cohort], milestones: Sequence[Milestone]) -> dict[Any, Cohort]:
    """Per group, the cohorts of several sources added together."""
    result: dict[Any, Cohort] = {}
    for cohorts in per_group:
        for group, cohort in cohorts.items():
            result.setdefault(group, Cohort.empty(milestones)).add(cohort)
    return result


# --- into snapshot tables -------------------------------------------------------------------------


def limit_label(limit: datetime.timedelta) -> str:
    """ "binnen 30 dagen", "binnen 1 uur", "binnen 36 uur"."""
    if limit % DAY == datetime.timedelta(0):
        days = limit // DAY
        return ngettext("binnen %(n)s dag", "binnen %(n)s dagen", days) % {"n": days}
    hours = round(limit / datetime.timedelta(hours=1), 2)
    hours_text = f"{hours:g}".replace(".", ",")
    return ngettext("binnen %(n)s uur", "binnen %(n)s uur", int(hours) or 1) % {"n": hours_text}


def median_label(milestone: Milestone) -> str:
    return _("Mediaan uren") if milestone.in_hours else _("Mediaan dagen")


def shown_median(reached: Reached) -> float | str:
    """The median, or "–" when it rests on fewer than 5 entries (it would describe those few)."""
    if len(reached.durations) < THRESHOLD:
        return NO_FIGURE
    value = Decimal(str(reached.median)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(value)


def _percent(part: int, whole: int) -> str:
    if not whole:
        return NO_FIGURE
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{value}%"


def _limits(milestones: Sequence[Milestone]) -> list[datetime.timedelta]:
    """Every time limit of the milestones, shortest first, each once."""
    return sorted({limit for m in milestones for limit in m.within})


def funnel_table(
    key: str,
    title: str,
    cohort: Cohort,
    milestones: Sequence[Milestone],
    *,
    start_label: str,
) -> dict:
    """One cohort as a table: a row for the entries that started, then one row per milestone
    with the count reached by now, its share of the start, the counts within each time limit
    and the median time.

    Columns: step, count, %, one column per limit, median. A milestone without a given limit
    shows "–" there. The share is hidden whenever its count is (``derived_columns``).
    """
    limits = _limits(milestones)
    in_hours = any(m.in_hours for m in milestones)
    columns = [
        _("Stap"),
        _("Aantal"),
        _("%% van %(start)s") % {"start": start_label.lower()},
        *(limit_label(limit).capitalize() for limit in limits),
        _("Mediaan uren") if in_hours else _("Mediaan dagen"),
    ]
    rows: list[list] = [
        [start_label, cohort.n, _percent(cohort.n, cohort.n), *[NO_FIGURE] * len(limits), NO_FIGURE]
    ]
    for milestone in milestones:
        reached = cohort.reached.get(milestone.key) or Reached()
        rows.append(
            [
                milestone.label,
                reached.count,
                _percent(reached.count, cohort.n),
                *(reached.within.get(limit, NO_FIGURE) for limit in limits),
                shown_median(reached),
            ]
        )
    count_columns = [1, *range(3, 3 + len(limits))]
    result = table(key, title, columns, rows, count_columns=count_columns)
    result["derived_columns"] = [[2, 1]]
    return result


def group_table(
    key: str,
    title: str,
    cohorts: Mapping[Any, Cohort],
    groups: Sequence[tuple[Any, str]],
    milestones: Sequence[Milestone],
    *,
    start_label: str,
    group_label: str,
    focus: Milestone | None = None,
    blocks: Sequence[tuple[str, Sequence[Any]]] | None = None,
    funnel_key: str | None = None,
) -> dict:
    """One row per group (``groups``: (key, label) in the order to show, groups without entries
    included), with a total row.

    Columns: group, the entries that started, the count reached per milestone, then for the
    ``focus`` milestone (default: the last one) the counts within its time limits and its median.
    Every count is marked for suppression; the total row lets ``reports.disclosure`` hide a
    second cell where one hidden cell could be worked out from it.

    ``blocks``: (label, group keys) to print the groups block by block, each block followed by
    its subtotal row ("Totaal Antwerpen" under Antwerpen's networks); suppression then treats
    each subtotal as the sum of its block.

    ``funnel_key``: the key of the ``funnel_table`` of the same cohort in the same section. Its
    counts are this table's total row; the table says so (``total_same_as``), so suppression
    hides a figure in both or in neither.
    """
    focus = focus or milestones[-1]
    columns = [
        group_label,
        start_label,
        *(m.label for m in milestones),
        *(f"{focus.label}: {limit_label(limit)}" for limit in focus.within),
        f"{focus.label}: {median_label(focus).lower()}",
    ]
    labels = dict(groups)

    def row(label: str, group_keys: Sequence[Any]) -> list:
        cohort = combined((cohorts[g] for g in group_keys if g in cohorts), milestones)
        return _group_row(label, cohort, milestones, focus)

    if blocks is None:
        block_rows = [(None, [row(label, [group]) for group, label in groups])]
    else:
        block_rows = [
            (
                row(_("Totaal %(block)s") % {"block": block_label}, block_groups),
                [row(labels[group], [group]) for group in block_groups],
            )
            for block_label, block_groups in blocks
        ]
    count_columns = list(range(1, 2 + len(milestones) + len(focus.within)))
    result = grouped_table(
        key,
        title,
        columns,
        block_rows,
        total=row(_("Totaal"), [group for group, _label in groups]),
        count_columns=count_columns,
    )
    if funnel_key is not None:
        limits = _limits(milestones)
        focus_row = 1 + list(milestones).index(focus)
        same = [[1, {"table": funnel_key, "row": 0, "column": 1}]]
        same += [
            [2 + index, {"table": funnel_key, "row": 1 + index, "column": 1}]
            for index in range(len(milestones))
        ]
        same += [
            [
                2 + len(milestones) + index,
                {"table": funnel_key, "row": focus_row, "column": 3 + limits.index(limit)},
            ]
            for index, limit in enumerate(focus.within)
        ]
        result["total_same_as"] = same
    return result


def _group_row(label: str, cohort: Cohort, milestones, focus: Milestone) -> list:
    focus_reached = cohort.reached.get(focus.key) or Reached(within=dict.fromkeys(focus.within, 0))
    return [
        label,
        cohort.n,
        *((cohort.reached.get(m.key) or Reached()).count for m in milestones),
        *(focus_reached.within.get(limit, 0) for limit in focus.within),
        shown_median(focus_reached),
    ]
