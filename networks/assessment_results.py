"""Results of a self-assessment round: per criterion the median, the spread and the change since
the previous round. Pure computation on lists of score values (no queries, no respondents, no
comments), so it is tested on its own and cannot leak who gave what.

Small numbers: below MIN_RESPONDENTS_FOR_RESULTS answers a criterion keeps only its count; the
figures would reveal individual scores. The same rule holds for the previous round, so a delta is
only given when both rounds have enough answers.

Quartiles use the "inclusive" method (as PostgreSQL's percentile_cont and Excel's QUARTILE.INC):
they always lie within the scores given, which reads naturally on a 1–5 scale.
"""

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from .models.assessment import MIN_RESPONDENTS_FOR_RESULTS, Criterion


class CriterionLike(Protocol):
    pk: int
    name: str
    dimension: str


def tidy(value: float | Decimal) -> Decimal:
    """Two decimals at most and no trailing zeros: 2.5 → 2.5, 3.0 → 3, 1.75 → 1.75.

    Decimals print as the number they are ("2,5" in Dutch), where floatformat would say "2,50".
    """
    rounded = Decimal(str(value)).quantize(Decimal("0.01"))
    return rounded.to_integral_value() if rounded == rounded.to_integral_value() else rounded.normalize()


@dataclass(frozen=True)
class Summary:
    """Figures for one criterion in one round, only built from enough answers."""

    n: int
    median: Decimal
    minimum: int
    maximum: int
    q1: Decimal
    q3: Decimal

    @property
    def iqr(self) -> Decimal:
        return tidy(self.q3 - self.q1)


@dataclass(frozen=True)
class CriterionResult:
    criterion: CriterionLike
    n: int
    summary: Summary | None
    previous_n: int | None = None
    previous_median: Decimal | None = None

    @property
    def suppressed(self) -> bool:
        return self.summary is None

    @property
    def median(self) -> Decimal | None:
        return self.summary.median if self.summary else None

    @property
    def delta(self) -> Decimal | None:
        if self.summary is None or self.previous_median is None:
            return None
        return tidy(self.summary.median - self.previous_median)

    @property
    def trend(self) -> str | None:
        """ "up", "down" or "same" against the previous round; None when there is nothing to compare."""
        if self.delta is None:
            return None
        return "up" if self.delta > 0 else "down" if self.delta < 0 else "same"


def summarise(values: Sequence[int], *, minimum_n: int = MIN_RESPONDENTS_FOR_RESULTS) -> Summary | None:
    """Median, min–max and quartiles of one criterion's scores; None below ``minimum_n`` answers."""
    n = len(values)
    if n == 0 or n < minimum_n:
        return None
    ordered = sorted(values)
    if n == 1:  # only reachable when minimum_n is lowered; quantiles() needs two points
        q1 = q3 = ordered[0]
    else:
        q1, _median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Summary(
        n=n,
        median=tidy(statistics.median(ordered)),
        minimum=ordered[0],
        maximum=ordered[-1],
        q1=tidy(q1),
        q3=tidy(q3),
    )


def values_by_criterion(rows: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    """Group ``(criterion_id, value)`` pairs into lists of values per criterion."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for criterion_id, value in rows:
        grouped[criterion_id].append(value)
    return dict(grouped)


def compare_rounds(
    criteria: Iterable[CriterionLike],
    current: Mapping[int, Sequence[int]],
    previous: Mapping[int, Sequence[int]] | None = None,
    *,
    minimum_n: int = MIN_RESPONDENTS_FOR_RESULTS,
) -> list[CriterionResult]:
    """One result per criterion, in the order given, with the previous round's median when shown."""
    results = []
    for criterion in criteria:
        values = current.get(criterion.pk, ())
        previous_values = previous.get(criterion.pk, ()) if previous is not None else None
        previous_summary = summarise(previous_values, minimum_n=minimum_n) if previous_values else None
        results.append(
            CriterionResult(
                criterion=criterion,
                n=len(values),
                summary=summarise(values, minimum_n=minimum_n),
                previous_n=len(previous_values) if previous_values is not None else None,
                previous_median=previous_summary.median if previous_summary else None,
            )
        )
    return results


@dataclass(frozen=True)
class DimensionGroup:
    dimension: str
    label: str
    items: list


def group_by_dimension(items: Iterable, *, key=lambda item: item.criterion.dimension) -> list[DimensionGroup]:
    """Items grouped per dimension in the fixed order structural, relational, contextual.

    Criteria are ordered by position; grouping here (not with {% regroup %}) keeps a criterion added
    later with a high position inside its own dimension.
    """
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    labels = dict(Criterion.Dimension.choices)
    order = [code for code in labels if code in groups] + [code for code in groups if code not in labels]
    return [DimensionGroup(code, str(labels.get(code, code)), groups[code]) for code in order]
