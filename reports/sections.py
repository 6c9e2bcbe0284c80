"""The building blocks of a snapshot section (reports/SNAPSHOT.md), shared by the steering figures
(reports/figures.py) and the case figures (reports/figures_cases.py)."""

from collections.abc import Sequence
from typing import Any


def table(
    key: str,
    title: str,
    columns: Sequence[str],
    rows: list[list],
    *,
    total: list | None = None,
    count_columns: Sequence[int] = (),
    chart: bool = False,
) -> dict:
    return {
        "key": key,
        "title": title,
        "columns": list(columns),
        "rows": rows,
        "total": total,
        "count_columns": list(count_columns),
        "chart": {"type": "bar", "label_column": 0, "value_column": 1} if chart else None,
    }


# Suppression protects people: counts of people (invitations, attendance, respondents, and,
# cases, conference requests, referrals) from 1 to 4 show as "<5". Counts of organisations,
# meetings, decisions, actions, goals and agreements identify nobody and show as they are.
#
# ``key`` names a key figure within its section; ``parts`` lists the keys of the key figures this
# one is the sum of (requests = admissible + not admissible), so that hiding one part hides
# another too (reports.disclosure.fact_masks).
def fact(
    label: str, value: Any, *, is_count: bool, key: str | None = None, parts: Sequence[str] = ()
) -> dict:
    result = {"label": label, "value": value, "is_count": is_count}
    if key:
        result["key"] = key
    if parts:
        result["parts"] = list(parts)
    return result


def section(key: str, title: str, intro: str, definition: str, tables: list, facts: list) -> dict:
    return {
        "key": key,
        "title": title,
        "intro": intro,
        "definition": definition,
        "tables": tables,
        "facts": facts,
    }


def grouped_table(
    key: str,
    title: str,
    columns: Sequence[str],
    blocks: Sequence[tuple[list | None, list[list]]],
    *,
    total: list | None,
    count_columns: Sequence[int] = (),
    row_sums: Sequence[Sequence] = (),
    derived_columns: Sequence[Sequence[int]] = (),
) -> dict:
    """A table whose rows come in blocks, each followed by its subtotal row (a region's networks
    and the region's total), with the total of all blocks under it.

    ``blocks``: (subtotal row, rows) pairs; a block without a subtotal (None) just adds its rows.
    The table records which rows are subtotals of which (``row_groups``), so that suppression
    (reports.disclosure) treats each subtotal as the sum it is, and the PDF prints it in bold.
    """
    rows: list[list] = []
    row_groups = []
    for subtotal, block_rows in blocks:
        first = len(rows)
        rows.extend(block_rows)
        if subtotal is not None:
            row_groups.append([len(rows), list(range(first, len(rows)))])
            rows.append(subtotal)
    result = table(key, title, columns, rows, total=total, count_columns=count_columns)
    if row_groups:
        result["row_groups"] = row_groups
    if row_sums:
        result["row_sums"] = [[column, list(parts)] for column, parts in row_sums]
    if derived_columns:
        result["derived_columns"] = [list(pair) for pair in derived_columns]
    return result
