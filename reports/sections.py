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
