"""Small-cell suppression for everything a report shows (tables, charts, CSV, XLSX).

Primary: a count from 1 to 4 is shown as "<5" (0 stays 0: an empty cell reveals no one).
Secondary: where a shown total would let a reader work out a suppressed cell (it is the only
suppressed cell in its column or row, or among a region's networks under the region's subtotal,
or among the parts of a sum in a row), the next smallest count there is suppressed too, shown as
"x"; repeated until nothing changes. Raw counts stay in the snapshot; only what is
rendered is suppressed.

Derived cells: a share ("83%") computed from a count would give the count away when the count is
hidden; a table lists such columns in ``derived_columns`` ([derived, source] pairs) and the
derived cell is hidden, as "x", whenever the count in its row is.
"""

from collections.abc import Iterable, Sequence
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
    row_groups: Sequence[Sequence] = (),
    row_sums: Sequence[Sequence] = (),
    forced: Iterable[tuple[int, int]] = (),
) -> tuple[list[list[bool]], list[bool]]:
    """Which cells of ``rows`` (and of the ``total`` row) must be hidden.

    ``count_columns`` are the column indexes holding counts; ``total`` is the column-totals row
    (shown under the table); ``row_total_column`` is a count column that holds each row's total.
    ``row_groups``: ``[subtotal_row, [part rows]]`` pairs — rows that are the subtotal of other
    rows (a region's networks); the table total is then the sum of the subtotals and of the rows
    in no group. ``row_sums``: ``[sum_column, [part columns]]`` pairs — in every row, one count is
    the sum of others (requests = admissible + not admissible). ``forced``: (row, column) cells
    hidden from the start because the same figure is hidden elsewhere in the section (row
    ``len(rows)`` is the total row).

    Every such "total = sum of parts" is an equation. In none of them may exactly one cell be
    hidden (it could be worked out from the others): the smallest visible non-zero part is
    hidden too, or the total when no part is left. With row groups, the table total is hidden
    rather than a second subtotal: a region total hidden only in the Flanders report would let the
    region's own report, which shows it, give the other one away.
    """
    n = len(rows)
    cells: dict[tuple[int, int], Any] = {}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cells[(r, c)] = value
    if total:
        for c, value in enumerate(total):
            cells[(n, c)] = value
    hidden = {cell: cell[1] in count_columns and _is_small(value) for cell, value in cells.items()}
    for cell in forced:
        if cell in hidden:
            hidden[cell] = True

    # (total cell, part cells, prefer hiding the total)
    equations: list[tuple[tuple[int, int], list[tuple[int, int]], bool]] = []
    grouped = {part for _subtotal, parts in row_groups for part in parts}
    for c in count_columns:
        for subtotal, parts in row_groups:
            equations.append(((subtotal, c), [(p, c) for p in parts], False))
        if total:
            tops = [r for r in range(n) if r not in grouped]
            equations.append(((n, c), [(r, c) for r in tops], bool(row_groups)))
    if row_total_column is not None:
        parts = [c for c in count_columns if c != row_total_column]
        for r in range(n):
            equations.append(((r, row_total_column), [(r, c) for c in parts], False))
    for sum_column, part_columns in row_sums:
        for r in range(n + (1 if total else 0)):
            equations.append(((r, sum_column), [(r, c) for c in part_columns], False))

    def hide_next_smallest(parts: list[tuple[int, int]]) -> bool:
        """Hide the smallest visible non-zero count among ``parts``."""
        visible = [
            (cells[cell], cell)
            for cell in parts
            if cell in cells and not hidden[cell] and _is_count(cells[cell]) and cells[cell] > 0
        ]
        if not visible:
            return False
        hidden[min(visible)[1]] = True
        return True

    changed = True
    while changed:
        changed = False
        for total_cell, parts, prefer_total in equations:
            if total_cell not in cells:
                continue
            members = [cell for cell in (total_cell, *parts) if cell in cells]
            if sum(hidden[cell] for cell in members) != 1:
                continue
            if prefer_total and not hidden[total_cell]:
                hidden[total_cell] = True
                changed = True
            elif hide_next_smallest([p for p in parts if p != total_cell]):
                changed = True
            elif not hidden[total_cell]:
                hidden[total_cell] = True  # nothing else to hide: hide the total itself
                changed = True
    mask = [[hidden[(r, c)] for c in range(len(row))] for r, row in enumerate(rows)]
    total_mask = [hidden[(n, c)] for c in range(len(total))] if total else []
    return mask, total_mask


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _hide_derived(mask: list[list[bool]], derived_columns: Sequence[Sequence[int]]) -> None:
    for row_mask in mask:
        for derived, source in derived_columns:
            if derived < len(row_mask) and source < len(row_mask) and row_mask[source]:
                row_mask[derived] = True


def table_masks(
    table: dict, *, forced: Iterable[tuple[int, int]] = ()
) -> tuple[list[list[bool]], list[bool]]:
    """Which cells of a snapshot table (rows, and the total row) are hidden when it is shown."""
    rows = table.get("rows", [])
    total = table.get("total")
    mask, total_mask = suppression_mask(
        rows,
        table.get("count_columns", []),
        total=total,
        row_total_column=table.get("row_total_column"),
        row_groups=table.get("row_groups") or (),
        row_sums=table.get("row_sums") or (),
        forced=forced,
    )
    derived = table.get("derived_columns") or []
    _hide_derived(mask, derived)
    if total:
        _hide_derived([total_mask], derived)
    return mask, total_mask


def apply(table: dict, masks: tuple[list[list[bool]], list[bool]] | None = None) -> dict:
    """A snapshot table with its suppressed cells replaced by "<5" (a new dict; input untouched).
    ``masks``: as ``section_masks`` gives them, when the table is shown within its section."""
    rows = table.get("rows", [])
    total = table.get("total")
    mask, total_mask = masks if masks is not None else table_masks(table)
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


def fact_masks(facts: Sequence[dict], *, forced: Iterable[int] = ()) -> list[bool]:
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
    for position in forced:
        hidden[position] = True
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
                if not hidden[part] and _is_count(facts[part]["value"]) and facts[part]["value"] > 0
            ]
            if visible:
                hidden[min(visible)[1]] = True
            else:
                hidden[position] = True
            changed = True
    return hidden


def show_facts(facts: Sequence[dict], mask: list[bool] | None = None) -> list[Any]:
    """The key figures of a section as shown: "<5" for a small hidden count, "x" for a count
    hidden only so that another cannot be worked out."""
    mask = mask if mask is not None else fact_masks(facts)
    return [_shown(fact.get("value"), hidden) for fact, hidden in zip(facts, mask, strict=True)]


def section_masks(section: dict) -> tuple[list[bool], list[tuple[list[list[bool]], list[bool]]]]:
    """The hidden key figures and table cells of a whole section, consistent with each other.

    The same figure can appear twice in a section: a table's total row is the key figure above
    it ("Aanvragen") or a cell of another table (a cohort per network totals to the cohort of the
    scope). A table says so in ``total_same_as``: ``[column, {"fact": key}]`` or ``[column,
    {"table": key, "row": r, "column": c}]``. Whatever hides one copy hides the other, and the
    suppression runs again until nothing changes, so that no copy shows what another hides.
    """
    facts = section.get("facts", [])
    tables = section.get("tables", [])
    fact_index = {fact["key"]: position for position, fact in enumerate(facts) if fact.get("key")}
    table_index = {table.get("key"): position for position, table in enumerate(tables)}
    forced_facts: set[int] = set()
    forced_cells: dict[int, set[tuple[int, int]]] = {position: set() for position in range(len(tables))}
    for _round in range(100):  # each round hides at least one more cell: it ends
        masks = [table_masks(table, forced=forced_cells[i]) for i, table in enumerate(tables)]
        hidden_facts = fact_masks(facts, forced=forced_facts)
        changed = False
        for i, table in enumerate(tables):
            total_row = len(table.get("rows", []))
            _mask, total_mask = masks[i]
            for column, target in table.get("total_same_as", []):
                if not total_mask or column >= len(total_mask):
                    continue
                if "fact" in target and target["fact"] in fact_index:
                    other = fact_index[target["fact"]]
                    if total_mask[column] and not hidden_facts[other]:
                        forced_facts.add(other)
                        changed = True
                    elif hidden_facts[other] and not total_mask[column]:
                        forced_cells[i].add((total_row, column))
                        changed = True
                elif target.get("table") in table_index:
                    j = table_index[target["table"]]
                    row, col = target["row"], target["column"]
                    other_mask, _other_total = masks[j]
                    if row >= len(other_mask) or col >= len(other_mask[row]):
                        continue
                    if total_mask[column] and not other_mask[row][col]:
                        forced_cells[j].add((row, col))
                        changed = True
                    elif other_mask[row][col] and not total_mask[column]:
                        forced_cells[i].add((total_row, column))
                        changed = True
        if not changed:
            return hidden_facts, masks
    return hidden_facts, masks
