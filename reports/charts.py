"""Charts for the report PDF, drawn on the server as SVG: the same table gives the same markup.

A chart is drawn from a table *after* small-cell suppression (``disclosure.apply``), so what it
shows is what the table shows. A "<5" cell gets a hatched grey placeholder bar of one fixed
length with the text "<5" beside it: the bar tells the reader there is something, never how much.
"""

import math
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from networks.charts import format_number

from .disclosure import HIDDEN, SUPPRESSED, show_count

PLACEHOLDERS = (SUPPRESSED, HIDDEN)

WIDTH = 640
LABEL_RIGHT = 232  # labels end here, right-aligned
PLOT_LEFT = 240
PLOT_RIGHT = 590  # room for the value written after the longest bar
ROW_HEIGHT = 20
BAR_HEIGHT = 12
TOP = 8
LABEL_MAX_CHARS = 36  # about 230 units at font size 11; the full label is in the bar's <title>
# One length for every suppressed cell, whatever it hides; short, so it never passes for a value.
PLACEHOLDER_WIDTH = 28

# The family static/reports/document.css declares with @font-face (our DejaVu Sans), then fallbacks
# for a browser that shows the same SVG without that stylesheet.
FONT_FAMILY = "IJH Sans, DejaVu Sans, sans-serif"
# The stylesheet's colours (static/reports/document.css), AA on white; hatching is not colour only.
INK, MUTED, LINE, ACCENT, HATCH_BG, HATCH = "#1d2a35", "#5a6773", "#d9dee3", "#0b5c8c", "#eef0f2", "#5a6773"


def _c(value: float) -> str:
    return f"{value:.1f}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def count_ticks(high: float, count: int = 5) -> list[float]:
    """0, a round step (1, 2 or 5 times a power of ten) and multiples of it up to at least ``high``."""
    if high <= 0:
        return [0, 1]
    step = 10 ** math.floor(math.log10(high / count))
    step = next(m * step for m in (1, 2, 5, 10) if high / (m * step) <= count)
    steps = math.ceil(high / step - 1e-9)
    # round() keeps 0.1 * 3 from printing as 0,30000000000000004.
    return [round(index * step, 10) for index in range(steps + 1)]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def _shown(value: Any) -> str:
    if value in PLACEHOLDERS:
        return value
    if _is_number(value):
        return format_number(value)
    return "–" if value in (None, "") else str(value)


def has_scale(table: dict) -> bool:
    """Whether ``table`` has a chart spec and a visible count above 0 to give its bars a scale.

    With every count 0 or "<5" a chart would only repeat the table in grey placeholders.
    """
    spec = table.get("chart")
    if not spec:
        return False
    values = (show_count(row[spec["value_column"]]) for row in table["rows"])
    return any(_is_number(value) and value > 0 for value in values)


def bar_chart(table: dict, *, chart_id: str) -> SafeString:
    """A horizontal bar chart of ``table["chart"]``'s value column, one bar per row (not the total).

    ``table`` is a suppressed table as ``disclosure.apply`` returns it. ``chart_id`` must be unique
    in the document: the accessible name, the description and the hatching are referenced by id.
    """
    spec = table["chart"]
    label_column, value_column = spec["label_column"], spec["value_column"]
    value_name = table["columns"][value_column]
    # show_count again: a table that skipped disclosure.apply still cannot draw a 1 to 4 to scale.
    bars = [(_shown(row[label_column]), show_count(row[value_column])) for row in table["rows"]]

    numbers = [float(value) for _label, value in bars if _is_number(value)]
    ticks = count_ticks(max([*numbers, 0.0]))
    scale_top = ticks[-1]
    suppressed = any(value in PLACEHOLDERS for _label, value in bars)

    def x(value: float) -> float:
        return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * max(value, 0) / scale_top

    plot_bottom = TOP + len(bars) * ROW_HEIGHT
    height = plot_bottom + 40 + (22 if suppressed else 0)
    title_id, desc_id, hatch_id = f"{chart_id}-title", f"{chart_id}-desc", f"{chart_id}-hatch"
    title = _("Grafiek: %(table)s") % {"table": table["title"]}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" font-family="{FONT_FAMILY}" '
        f'font-size="11" fill="{INK}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(_describe(bars, value_name=value_name))}</desc>',
        f'<defs><pattern id="{escape(hatch_id)}" patternUnits="userSpaceOnUse" width="6" height="6">'
        f'<rect width="6" height="6" fill="{HATCH_BG}"/>'
        f'<path d="M0,6 L6,0 M-1.5,1.5 L1.5,-1.5 M4.5,7.5 L7.5,4.5" stroke="{HATCH}" stroke-width="1.2"/>'
        f"</pattern></defs>",
    ]

    # --- grid and axis ---------------------------------------------------------------------
    for tick in ticks:
        parts.append(
            f'<line x1="{_c(x(tick))}" y1="{TOP}" x2="{_c(x(tick))}" y2="{plot_bottom}" stroke="{LINE}"/>'
            f'<text x="{_c(x(tick))}" y="{plot_bottom + 14}" text-anchor="middle" fill="{MUTED}">'
            f"{format_number(tick)}</text>"
        )
    parts.append(
        f'<line x1="{PLOT_LEFT}" y1="{TOP}" x2="{PLOT_LEFT}" y2="{plot_bottom}" stroke="{MUTED}"/>'
        f'<text x="{(PLOT_LEFT + PLOT_RIGHT) / 2:.1f}" y="{plot_bottom + 30}" text-anchor="middle" '
        f'fill="{MUTED}">{escape(value_name)}</text>'
    )

    # --- the bars ----------------------------------------------------------------------------
    for index, (label, value) in enumerate(bars):
        top = TOP + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2
        baseline = _c(top + BAR_HEIGHT - 2)
        tooltip = f"<title>{escape(label)}: {escape(_shown(value))}</title>"
        parts.append(
            f'<text x="{LABEL_RIGHT}" y="{baseline}" text-anchor="end">{escape(_short(label))}</text>'
        )
        if value in PLACEHOLDERS:
            end = PLOT_LEFT + PLACEHOLDER_WIDTH
            parts.append(
                f'<rect class="bar suppressed" x="{PLOT_LEFT}" y="{_c(top)}" width="{PLACEHOLDER_WIDTH}" '
                f'height="{BAR_HEIGHT}" fill="url(#{escape(hatch_id)})" stroke="{MUTED}" '
                f'stroke-width="0.8">{tooltip}</rect>'
            )
        elif _is_number(value) and value > 0:
            end = x(float(value))
            parts.append(
                f'<rect class="bar" x="{PLOT_LEFT}" y="{_c(top)}" width="{_c(end - PLOT_LEFT)}" '
                f'height="{BAR_HEIGHT}" fill="{ACCENT}">{tooltip}</rect>'
            )
        else:
            end = PLOT_LEFT  # 0, or no value: no bar, only the figure
        parts.append(
            f'<text class="value" x="{_c(end + 5)}" y="{baseline}" text-anchor="start">'
            f"{escape(_shown(value))}</text>"
        )

    # --- legend ------------------------------------------------------------------------------
    if suppressed:
        legend_y = plot_bottom + 44
        parts.append(
            f'<g class="legend"><rect x="{PLOT_LEFT}" y="{legend_y}" width="{PLACEHOLDER_WIDTH}" '
            f'height="{BAR_HEIGHT}" fill="url(#{escape(hatch_id)})" stroke="{MUTED}" stroke-width="0.8"/>'
            f'<text x="{PLOT_LEFT + PLACEHOLDER_WIDTH + 6}" y="{legend_y + BAR_HEIGHT - 2}" fill="{MUTED}">'
            f"{escape(_('<5 of x: verborgen aantal, niet op schaal getekend'))}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text in it went through escape()


def _describe(bars: Sequence[tuple[str, Any]], *, value_name: str) -> str:
    """The chart in words, for screen readers; the table under the chart has the same figures."""
    if not bars:
        return _("Geen gegevens.")
    values = "; ".join(f"{label}: {_shown(value)}" for label, value in bars)
    sentence = _("%(name)s per rij: %(values)s.") % {"name": value_name, "values": values}
    if any(value in PLACEHOLDERS for _label, value in bars):
        sentence += " " + _(
            "<5 is een verborgen klein aantal; x is verborgen zodat een klein aantal niet uit het totaal af te leiden is."
        )
    return sentence
