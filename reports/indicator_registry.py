"""The registry of figures a goal indicator can take (reports/indicators.py). Its own module so
that the modules' figure files (``indicators_crisis.py``) register without importing
``reports.indicators`` back."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

# network id → value (None: no figure, e.g. a median of fewer than 5)
Values = dict[int, Decimal | None]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    counts_people: bool
    compute: Callable[[list[int], datetime.date, datetime.date], Values]


REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    REGISTRY[indicator.key] = indicator
    return indicator


def _day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return first, after
