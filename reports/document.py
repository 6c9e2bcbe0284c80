"""The practice report as a document: HTML from a figures snapshot (reports/SNAPSHOT.md) and a
narrative, then PDF.

Everything on the page comes from the arguments, never from the clock or the database, so the
same snapshot gives the same HTML and, through ijh/pdf.py, the same PDF. Counts are raw in
the snapshot; every table goes through ``disclosure.apply`` and every key figure through
``disclosure.show_count`` here, on the way to the template, and nowhere else.
"""

import datetime
import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from ijh.pdf import html_to_pdf
from networks.charts import format_number

from . import disclosure
from .charts import bar_chart, has_scale
from .models import Narrative

SCHEMA = 1
TEMPLATE = "reports/document.html"
# Stylesheet and fonts are read from the repository's static folder (not STATIC_ROOT): the worker
# needs them as files, with or without collectstatic.
ASSETS_BASE_URL = (settings.BASE_DIR / "static").as_uri() + "/"

NARRATIVE_PARTS = [
    ("bottlenecks", "Knelpunten en hiaten in de regio"),
    ("good_practices", "Goede praktijken"),
    ("conclusions", "Conclusies en volgende stappen"),
]
# "72%", "3,5", "−2", "1.234": text that reads as a number is aligned like one.
NUMERIC_TEXT = re.compile(r"^[+\-−]?\d[\d.,]*\s?%?$")
# The snapshot writes dates as ISO strings (JSON has no date type); the page shows them as d/m/Y.
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOTHING = ("", "–", "-")
# Tables up to this many rows move to the next page as a whole rather than split; longer ones
# split with their header repeated, never leaving one row or the total alone (document.css).
KEEP_TOGETHER_ROWS = 12


def render_html(*, snapshot: dict, narrative: dict | None, version_label: str) -> str:
    # The report is Dutch whoever asks for it (a worker has no request; a user may browse in English).
    with translation.override("nl-be"):
        return render_to_string(TEMPLATE, _context(snapshot, narrative, version_label))


def render_pdf(*, snapshot: dict, narrative: dict | None, version_label: str) -> bytes:
    html = render_html(snapshot=snapshot, narrative=narrative, version_label=version_label)
    return html_to_pdf(html, base_url=ASSETS_BASE_URL)


def _context(snapshot: dict, narrative: dict | None, version_label: str) -> dict:
    if snapshot.get("schema") != SCHEMA:
        raise ValueError(f"Unknown figures snapshot schema: {snapshot.get('schema')!r}")
    scope, period = snapshot["scope"], snapshot["period"]
    generated = datetime.date.fromisoformat(snapshot["generated_from"])
    sections = [_section(number, section) for number, section in enumerate(snapshot["sections"], start=1)]
    is_region = scope["type"] == "region"
    is_flanders = scope["type"] == "flanders"
    networks = [network["name"] for network in snapshot.get("networks", [])]
    if is_flanders:
        kind_label = _("Alle netwerken in Vlaanderen, naast elkaar")
    elif is_region:
        kind_label = _("Alle netwerken in de regio")
    else:
        kind_label = scope.get("kind_label") or ""
    return {
        "title": f"Praktijkrapportage {scope['name']} – {period['label']}",
        "scope": scope,
        "kind_label": kind_label,
        "is_region": is_region,
        "is_flanders": is_flanders,
        "networks": networks,
        "network_count": len(networks),
        # Computed before the period ended: every page says the figures are provisional.
        "running": generated < datetime.date.fromisoformat(period["end"]),
        "period": period,
        "period_dates": f"{_date(period['start'])} – {_date(period['end'])}",
        "period_end": _date(period["end"]),
        "version_label": version_label,
        "generated_iso": generated.isoformat(),
        "generated": _date(generated),
        "sections": sections,
        "narrative": _narrative(narrative, number=len(sections) + 1),
        "appendix_number": len(sections) + 2,
        "suppressed": disclosure.SUPPRESSED,
        "threshold": disclosure.THRESHOLD,
    }


def _date(value: str | datetime.date) -> str:
    day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day:%d/%m/%Y}"


def _section(number: int, section: dict) -> dict:
    anchor = f"hoofdstuk-{number}"
    facts = section.get("facts", [])
    # One pass for the whole section: a figure shown twice (a key figure and a table's total)
    # is hidden in both places or in neither.
    fact_mask, table_masks = disclosure.section_masks(section)
    return {
        "number": number,
        "anchor": anchor,
        "title": section["title"],
        "intro": section.get("intro", ""),
        "definition": section.get("definition", ""),
        "facts": [
            # A fact is a count unless the snapshot says otherwise: better one "<5" too many.
            {"label": fact["label"], "value": _text(shown)}
            for fact, shown in zip(facts, disclosure.show_facts(facts, fact_mask), strict=True)
        ],
        "tables": [
            _table(disclosure.apply(table, masks), anchor=f"{anchor}-tabel-{index}")
            for index, (table, masks) in enumerate(
                zip(section.get("tables", []), table_masks, strict=True), start=1
            )
        ],
    }


def _table(table: dict, *, anchor: str) -> dict:
    """``table`` is already suppressed; this only decides how each cell looks."""
    rows, total = table["rows"], table.get("total")
    counts = set(table.get("count_columns", []))
    numeric = [
        column in counts or all(_looks_numeric(row[column]) for row in [*rows, *([total] if total else [])])
        for column in range(len(table["columns"]))
    ]
    # The first column names the row; it is never aligned as a number.
    if numeric:
        numeric[0] = False

    subtotals = {group[0] for group in table.get("row_groups", [])}

    def cells(row: list) -> list[dict]:
        return [
            {
                "text": _text(value),
                "numeric": numeric[column],
                "suppressed": value in (disclosure.SUPPRESSED, disclosure.HIDDEN),
            }
            for column, value in enumerate(row)
        ]

    row_count = len(rows) + (1 if total else 0)
    return {
        "anchor": anchor,
        "title": table["title"],
        # Many columns: a smaller type so headers do not break into syllables.
        "wide": len(table["columns"]) > 6,
        # A short table (with its title and chart) is never split over two pages.
        "keep": row_count <= KEEP_TOGETHER_ROWS,
        "columns": [
            {"name": name, "numeric": numeric[column]} for column, name in enumerate(table["columns"])
        ],
        "rows": [{"cells": cells(row), "subtotal": index in subtotals} for index, row in enumerate(rows)],
        "total": cells(total) if total else None,
        "chart": bar_chart(table, chart_id=f"{anchor}-grafiek") if has_scale(table) else None,
    }


def _looks_numeric(value: Any) -> bool:
    if value is None or value in NOTHING or value in (disclosure.SUPPRESSED, disclosure.HIDDEN):
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(NUMERIC_TEXT.match(value.strip()))


def _text(value: Any) -> str:
    """A cell or key figure as written on the page: 1.234 and 12,5, a dash for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, str) and ISO_DATE.match(value):
        return _date(value)
    return str(value)


def _narrative(narrative: dict | None, *, number: int) -> dict:
    parts = [
        {"title": title, "text": (narrative or {}).get(key, "").strip()} for key, title in NARRATIVE_PARTS
    ]
    has_text = any(part["text"] for part in parts)
    status = (narrative or {}).get("status")
    return {
        "number": number,
        "anchor": f"hoofdstuk-{number}",
        "parts": parts if has_text else [],
        "version": (narrative or {}).get("version") if has_text else None,
        "status_label": Narrative.Status(status).label if has_text and status else "",
    }
