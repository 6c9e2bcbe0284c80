"""A round's results as a server-side SVG (no JavaScript): per criterion, on the 1–5 scale, a dot
for this round's median, a band for the middle half of the answers (interquartile range) and a
diamond for the previous round's median, grouped by dimension.

It draws only what assessment_results computed, so the small-number rule holds here too: a
criterion with too few answers gets a line of text, not a mark.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .assessment_results import CriterionResult, group_by_dimension

WIDTH = 800
LABEL_X = 8
LABEL_MAX_CHARS = 40  # about 290 px at 13 px; longer names are shortened, the full name is in <title>
PLOT_LEFT = 310
PLOT_RIGHT = 640
VALUE_X = 660
DELTA_X = 718
TOP = 84  # legend, scale explanation and tick labels above the first group
GROUP_HEIGHT = 30
ROW_HEIGHT = 26
BOTTOM = 12

# Colours from static/css/app.css; each mark differs in shape too, not only in colour.
INK = "#1d2a35"
MUTED = "#5a6773"
LINE = "#d9dee3"
ACCENT = "#0b5c8c"
BAND = "#c6d9e8"
PREVIOUS = "#8a4b00"
UP = "#1d6b3a"
DOWN = "#a4161a"


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _x(value: Decimal | int) -> float:
    return round(PLOT_LEFT + (float(value) - 1) / 4 * (PLOT_RIGHT - PLOT_LEFT), 1)


def _number(value: Decimal) -> str:
    return str(localize(value))


def _signed(delta: Decimal) -> str:
    if delta > 0:
        return f"+{_number(delta)}"
    if delta < 0:
        return f"−{_number(-delta)}"  # a real minus sign
    return "0"


def _diamond(cx: float, cy: float, size: float = 7.5) -> str:
    return f"M{cx} {cy - size} L{cx + size} {cy} L{cx} {cy + size} L{cx - size} {cy} Z"


def _shorten(name: str) -> str:
    return name if len(name) <= LABEL_MAX_CHARS else name[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def _describe(result: CriterionResult) -> str:
    """One sentence per criterion, for <title> tooltips and the chart's <desc>."""
    name = result.criterion.name
    if result.summary is None:
        return _("%(name)s: te weinig antwoorden (%(n)s).") % {"name": name, "n": result.n}
    text = _("%(name)s: mediaan %(median)s, middelste helft %(q1)s–%(q3)s, %(n)s antwoorden") % {
        "name": name,
        "median": _number(result.summary.median),
        "q1": _number(result.summary.q1),
        "q3": _number(result.summary.q3),
        "n": result.n,
    }
    if result.previous_median is not None:
        text += _("; vorige ronde %(previous)s (verschil %(delta)s)") % {
            "previous": _number(result.previous_median),
            "delta": _signed(result.delta or 0),
        }
    return text + "."


def _legend(has_previous: bool) -> SafeString:
    y = 16
    parts = [
        format_html('<circle cx="{}" cy="{}" r="6" fill="{}"/>', LABEL_X + 6, y, ACCENT),
        format_html('<text x="{}" y="{}">{}</text>', LABEL_X + 18, y + 4, _("mediaan deze ronde")),
        format_html('<rect x="{}" y="{}" width="26" height="10" fill="{}"/>', 190, y - 5, BAND),
        format_html('<text x="{}" y="{}">{}</text>', 222, y + 4, _("middelste helft van de antwoorden")),
    ]
    if has_previous:
        parts += [
            format_html(
                '<path d="{}" fill="none" stroke="{}" stroke-width="2"/>', _diamond(470, y, 6), PREVIOUS
            ),
            format_html('<text x="{}" y="{}">{}</text>', 484, y + 4, _("mediaan vorige ronde")),
        ]
    return _join(parts)


def _scale(height: int) -> SafeString:
    parts = []
    for value in range(1, 6):
        x = _x(value)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>', x, TOP - 8, x, height - BOTTOM, LINE
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>', x, TOP - 14, MUTED, value
            )
        )
    parts.append(
        format_html(
            '<text x="{}" y="{}" fill="{}" font-size="11">{}</text>',
            PLOT_LEFT,
            TOP - 44,
            MUTED,
            _("1 = helemaal oneens · 5 = helemaal eens"),
        )
    )
    parts.append(
        format_html(
            '<text x="{}" y="{}" fill="{}" font-size="11">{}</text>', VALUE_X, TOP - 14, MUTED, _("mediaan")
        )
    )
    parts.append(
        format_html(
            '<text x="{}" y="{}" fill="{}" font-size="11">{}</text>', DELTA_X, TOP - 14, MUTED, _("verschil")
        )
    )
    return _join(parts)


def _row(result: CriterionResult, y: float) -> SafeString:
    mid = y + ROW_HEIGHT / 2
    parts = [
        format_html("<title>{}</title>", _describe(result)),
        format_html(
            '<text x="{}" y="{}" fill="{}">{}</text>',
            LABEL_X + 12,
            mid + 4,
            INK,
            _shorten(result.criterion.name),
        ),
    ]
    summary = result.summary
    if summary is None:
        parts.append(
            format_html(
                '<text x="{}" y="{}" fill="{}" font-style="italic">{}</text>',
                PLOT_LEFT + 6,
                mid + 4,
                MUTED,
                _("te weinig antwoorden (%(n)s)") % {"n": result.n},
            )
        )
        return format_html('<g class="criterion">{}</g>', _join(parts))
    band_width = max(_x(summary.q3) - _x(summary.q1), 3)
    parts.append(
        format_html(
            '<rect x="{}" y="{}" width="{}" height="10" fill="{}"/>',
            round(_x(summary.q1) - (1.5 if band_width == 3 else 0), 1),
            mid - 5,
            round(band_width, 1),
            BAND,
        )
    )
    if result.previous_median is not None:
        parts.append(
            format_html(
                '<path d="{}" fill="none" stroke="{}" stroke-width="2"/>',
                _diamond(_x(result.previous_median), mid),
                PREVIOUS,
            )
        )
    parts.append(format_html('<circle cx="{}" cy="{}" r="6" fill="{}"/>', _x(summary.median), mid, ACCENT))
    parts.append(
        format_html(
            '<text x="{}" y="{}" fill="{}" font-weight="600">{}</text>',
            VALUE_X,
            mid + 4,
            INK,
            _number(summary.median),
        )
    )
    if result.delta is not None:
        arrow, colour = {"up": ("▲", UP), "down": ("▼", DOWN), "same": ("=", MUTED)}[result.trend or "same"]
        parts.append(
            format_html(
                '<text x="{}" y="{}" fill="{}">{} {}</text>',
                DELTA_X,
                mid + 4,
                colour,
                arrow,
                _signed(result.delta),
            )
        )
    return format_html('<g class="criterion">{}</g>', _join(parts))


def results_chart(
    results: Sequence[CriterionResult], *, title: str, chart_id: str = "assessment-chart"
) -> SafeString:
    """The SVG markup, safe to put in a template with {{ chart }}."""
    groups = group_by_dimension(results)
    has_previous = any(result.previous_median is not None for result in results)
    body = []
    y = TOP
    for group in groups:
        body.append(
            format_html(
                '<text x="{}" y="{}" font-weight="700" fill="{}">{}</text>',
                LABEL_X,
                y + GROUP_HEIGHT - 10,
                INK,
                group.label.capitalize(),
            )
        )
        y += GROUP_HEIGHT
        for result in group.items:
            body.append(_row(result, y))
            y += ROW_HEIGHT
    height = y + BOTTOM
    description = " ".join(
        [
            _(
                "Per criterium de mediaan van deze ronde (bol) op een schaal van 1 tot 5, "
                "met de middelste helft van de antwoorden als balk"
            )
            + (_(" en de mediaan van de vorige ronde als ruit.") if has_previous else "."),
            *(_describe(result) for result in results),
        ]
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{id}" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" '
        "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif\" "
        'font-size="13">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        "{legend}{scale}{body}</svg>",
        id=chart_id,
        w=WIDTH,
        h=height,
        title=title,
        desc=description,
        legend=_legend(has_previous),
        scale=_scale(height),
        body=_join(body),
    )
