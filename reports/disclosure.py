"""Small-cell suppression for everything a report shows (tables, charts, CSV, XLSX).

Primary: a count from 1 to 4 is shown as "<5" (0 stays 0: an empty cell reveals no one).
Secondary: where a shown total would let a reader work out a suppressed cell (it is the only
suppressed cell in its column or row), the next smallest count in that column or row is
suppressed too, shown as "x"; repeated until nothing changes. Raw counts stay in the snapshot; only what is
rendered is suppressed.

Derived cells: a share ("83%") computed from a count would give the count away when the count is
hidden; a table lists such columns in ``derived_columns`` ([derived, source] pairs) and the
derived cell is hidden, as "x", whenever the count in its row is.
"""

from collections.abc import Sequence
from typing import Any

THRESHOLD = 5
SUPPRESSED = "<5"
# A cell hidden only so that a total does not give a small one away: it may be large, so it
# must not read as "<5".
HIDDEN = "x"


def _is_small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


def suppression_mask(
    rows: Sequence[Sequence[Any]],
    count_columns: Sequence[int],
    *,
    total: Sequence[Any] | None = None,
    row_total_column: int | None = None,
) -> tuple[list[list[bool]], list[bool]]:
    """Which cells of ``rows`` (and of the ``total`` row) must be hidden.

    ``count_columns`` are the column indexes holding counts; ``total`` is the column-totals row
    (shown under the table); ``row_total_column`` is a count column that holds each row's total.
    """
    mask = [
        [column in count_columns and _is_small(row[column]) for column in range(len(row))] for row in rows
    ]
    total_mask = (
        [column in count_columns and _is_small(total[column]) for column in range(len(total))]
        if total
        else []
    )

    def hide_next_smallest(cells: list[tuple[int, int]]) -> bool:
        """Hide the smallest visible non-zero count among ``cells`` (row, column pairs)."""
        visible = [
            (rows[r][c], r, c)
            for r, c in cells
            if not mask[r][c] and isinstance(rows[r][c], int) and rows[r][c] > 0
        ]
        if not visible:
            return False
        _value, r, c = min(visible)
        mask[r][c] = True
        return True

    changed = True
    while changed:
        changed = False
        if total is not None:
            for column in count_columns:
                if total_mask[column]:
                    continue  # a hidden total gives nothing away
                hidden = [r for r in range(len(rows)) if mask[r][column]]
                if len(hidden) == 1:
                    cells = [(r, column) for r in range(len(rows))]
                    if hide_next_smallest(cells):
                        changed = True
                    else:
                        total_mask[column] = True  # nothing else to hide: hide the total itself
                        changed = True
        if row_total_column is not None:
            parts = [c for c in count_columns if c != row_total_column]
            for r in range(len(rows)):
                if mask[r][row_total_column]:
                    continue
                hidden = [c for c in parts if mask[r][c]]
                if len(hidden) == 1:
                    if hide_next_smallest([(r, c) for c in parts]):
                        changed = True
                    else:
                        mask[r][row_total_column] = True
                        changed = True
    return mask, total_mask


def _hide_derived(mask: list[list[bool]], derived_columns: Sequence[Sequence[int]]) -> None:
    for row_mask in mask:
        for derived, source in derived_columns:
            if derived < len(row_mask) and source < len(row_mask) and row_mask[source]:
                row_mask[derived] = True


def table_masks(table: dict) -> tuple[list[list[bool]], list[bool]]:
    """Which cells of a snapshot table (rows, and the total row) are hidden when it is shown."""
    rows = table.get("rows", [])
    total = table.get("total")
    mask, total_mask = suppression_mask(
        rows, table.get("count_columns", []), total=total, row_total_column=table.get("row_total_column")
    )
    derived = table.get("derived_columns") or []
    _hide_derived(mask, derived)
    if total:
        _hide_derived([total_mask], derived)
    return mask, total_mask


def apply(table: dict) -> dict:
    """A snapshot table with its suppressed cells replaced by "<5" (a new dict; input untouched)."""
    rows = table.get("rows", [])
    total = table.get("total")
    mask, total_mask = table_masks(table)
    shown_rows = [
        [_shown(value, hidden) for value, hidden in zip(row, row_mask, strict=True)]
        for row, row_mask in zip(rows, mask, strict=True)
    ]
    shown_total = (
        [_shown(value, hidden) for value, hidden in zip(total, total_mask, strict=True)] if total else None
    )
    return {**table, "rows": shown_rows, "total": shown_total}


def _shown(value: Any, hidden: bool) -> Any:
    if not hidden:
        return value
    return SUPPRESSED if _is_small(value) else HIDDEN


def show_count(value: Any) -> Any:
    """A single key figure: "<5" for 1–4."""
    return SUPPRESSED if _is_small(value) else value


def fact_masks(facts: Sequence[dict]) -> list[bool]:
    """Which key figures of a section are hidden: the same rules as table cells.

    A count key figure from 1 to 4 is hidden. A key figure may name the key figures it is the
    sum of (``parts``, a list of their ``key``; "45 requests" = "41 admissible" + "4 not
    admissible"): when exactly one of those parts is hidden and the sum is shown, the smallest
    other part is hidden too (shown as "x"), or the sum itself when no other part has a count
    above 0, so no hidden key figure can be worked out by subtraction. The parts are treated as
    if they added up exactly, even where they leave a remainder (requests not yet decided):
    better one "x" too many.
    """
    hidden = [bool(fact.get("is_count", True)) and _is_small(fact.get("value")) for fact in facts]
    index = {fact["key"]: position for position, fact in enumerate(facts) if fact.get("key")}
    changed = True
    while changed:
        changed = False
        for position, fact in enumerate(facts):
            parts = [index[key] for key in fact.get("parts", ()) if key in index]
            if not parts or hidden[position]:
                continue
            if sum(hidden[part] for part in parts) != 1:
                continue
            visible = [
                (facts[part]["value"], part)
                for part in parts
                if not hidden[part] and _is_number(facts[part]["value"]) and facts[part]["value"] > 0
            ]
            if visible:
                hidden[min(visible)[1]] = True
            else:
                hidden[position] = True
            changed = True
    return hidden


def _is_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def show_facts(facts: Sequence[dict]) -> list[Any]:
    """The key figures of a section as shown: "<5" for a small hidden count, "x" for a count
    hidden only so that another cannot be worked out."""
    return [_shown(fact.get("value"), hidden) for fact, hidden in zip(facts, fact_masks(facts), strict=True)]
