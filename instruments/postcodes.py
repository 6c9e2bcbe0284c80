"""Served postcodes as people type them ("9100, 9150-9190") ↔ ``ReferralArea`` rows."""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LOWEST, HIGHEST = 1000, 9999

# A dash, an en dash or "tot" between two codes, with any spaces around it, becomes "-" first;
# then commas, semicolons and whitespace separate the parts.
_DASH = re.compile(r"\s*(?:-|–|—|\btot\b)\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,;\s]+")
_RANGE = re.compile(r"^([^-]*)-([^-]*)$")


def _code(text: str, whole: str) -> int:
    # isascii first: "²" or Arabic-Indic digits pass isdigit() but are no postcode.
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise ValidationError(
            _("„%(part)s” is geen Belgische postcode: een postcode heeft 4 cijfers (1000–9999).")
            % {"part": whole},
            code="postcode",
        )
    number = int(text)
    if not LOWEST <= number <= HIGHEST:
        raise ValidationError(
            _("„%(part)s” is geen Belgische postcode: een postcode ligt tussen 1000 en 9999.")
            % {"part": whole},
            code="postcode",
        )
    return number


def parse_postcode_ranges(text: str) -> list[tuple[int, int]]:
    """'9100, 9150-9190' → [(9100, 9100), (9150, 9190)]; sorted, overlaps merged.

    Raises ValidationError with every bad part named, so the user fixes them in one go.
    """
    ranges: list[tuple[int, int]] = []
    errors: list[ValidationError] = []
    for raw in _SEPARATORS.split(_DASH.sub("-", text or "")):
        part = raw.strip()
        if not part:
            continue
        try:
            match = _RANGE.match(part)
            if match:
                low, high = _code(match.group(1), part), _code(match.group(2), part)
                if high < low:
                    raise ValidationError(
                        _(
                            "In „%(part)s” ligt de tweede postcode vóór de eerste: schrijf het bereik als laag-hoog."
                        )
                        % {"part": part},
                        code="range_order",
                    )
            else:
                low = high = _code(part, part)
        except ValidationError as error:
            errors.append(error)
            continue
        ranges.append((low, high))
    if errors:
        raise ValidationError(errors)
    return merge(ranges)


def merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def format_ranges(ranges: Iterable[tuple[int, int]]) -> str:
    return ", ".join(str(low) if low == high else f"{low}-{high}" for low, high in ranges)


def parse_postcode(text: str) -> int:
    """One postcode typed in a search box → its number, or a Dutch ValidationError."""
    part = (text or "").strip()
    return _code(part, part)
