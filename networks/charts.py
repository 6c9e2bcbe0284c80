"""Charts drawn on the server as SVG: no JavaScript, readable without colour, the same every time.

Pure functions: the same data gives the same markup byte for byte (tests compare it, and a page
rendered twice does not change). Texts go through gettext; numbers and dates are written the
Flemish way (12,5 and 22/11/2026).
"""

import datetime
import math
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Number = Decimal | int | float

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 28, 52
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM

# The stylesheet's colours (static/css/app.css), all AA on white.
INK, MUTED, LINE, ACCENT, TARGET = "#1d2a35", "#5a6773", "#d9dee3", "#0b5c8c", "#1d6b3a"


def format_number(value: Number) -> str:
    """12 → "12", 12.5 → "12,5", 12.25 → "12,25": at most two decimals, a decimal comma."""
    number = Decimal(str(value)).quantize(Decimal("0.01"))
    if number == number.to_integral_value():
        return str(int(number))
    return f"{number.normalize():f}".replace(".", ",")


def format_date(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering low..high."""
    if high <= low:
        high = low + 1
    raw_step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    steps = round((stop - start) / step)
    # round() keeps 0.1 + 0.2 from printing as 0,30000000000000004.
    return [round(start + index * step, 10) for index in range(steps + 1)]


def _date_ticks(first: datetime.date, last: datetime.date, count: int = 5) -> list[datetime.date]:
    span = (last - first).days
    if span <= 0:
        return [first]
    count = min(count, span + 1)
    days = sorted({round(span * index / (count - 1)) for index in range(count)})
    return [first + datetime.timedelta(days=day) for day in days]


def _c(value: float) -> str:
    """A coordinate with one decimal: enough for the screen, stable for comparisons."""
    return f"{value:.1f}"


def progress_chart(
    points: Sequence[tuple[datetime.date, Number]],
    *,
    title: str,
    target: Number | None = None,
    deadline: datetime.date | None = None,
    unit: str = "",
    chart_id: str = "progress-chart",
) -> SafeString:
    """A line chart of measured values over time, the target as a dashed line, the deadline dotted.

    ``points`` are (date, value) pairs in any order. ``chart_id`` must be unique on the page: the
    accessible name and description are referenced by id.
    """
    points = sorted(points, key=lambda point: point[0])
    unit_suffix = f" {unit}" if unit else ""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    label = _("Voortgang: %(title)s") % {"title": title}
    description = _describe(points, target=target, deadline=deadline, unit_suffix=unit_suffix)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" font-size="12" fill="{INK}">',
        f'<title id="{escape(title_id)}">{escape(label)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
    ]
    if not points:
        parts.append(
            f'<text x="{WIDTH / 2:.1f}" y="{HEIGHT / 2:.1f}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(_('Nog geen metingen.'))}</text></svg>"
        )
        return mark_safe("".join(parts))  # every text in it went through escape()

    # --- scales ----------------------------------------------------------------------------
    first_day = points[0][0]
    last_day = max(points[-1][0], deadline) if deadline and deadline >= first_day else points[-1][0]
    span_days = (last_day - first_day).days

    def x(day: datetime.date) -> float:
        if span_days == 0:
            return LEFT + PLOT_WIDTH / 2
        return LEFT + PLOT_WIDTH * (day - first_day).days / span_days

    values = [float(value) for _day, value in points]
    bounds = [*values, 0.0]
    if target is not None:
        bounds.append(float(target))
    # Some headroom above the highest value keeps the target's label inside the plot.
    headroom = (max(bounds) - min(bounds)) * 0.08
    y_ticks = nice_ticks(min(bounds), max(bounds) + headroom)
    y_low, y_high = y_ticks[0], y_ticks[-1]

    def y(value: float) -> float:
        return TOP + PLOT_HEIGHT * (1 - (value - y_low) / (y_high - y_low))

    # --- grid and axes ---------------------------------------------------------------------
    for tick in y_ticks:
        parts.append(
            f'<line x1="{LEFT}" y1="{_c(y(tick))}" x2="{LEFT + PLOT_WIDTH}" y2="{_c(y(tick))}" '
            f'stroke="{LINE}"/>'
            f'<text x="{LEFT - 8}" y="{_c(y(tick) + 4)}" text-anchor="end" fill="{MUTED}">'
            f"{format_number(tick)}</text>"
        )
    date_ticks = _date_ticks(first_day, last_day)
    for day in date_ticks:
        # The last label ends at its tick, so it stays inside the drawing.
        anchor = "end" if len(date_ticks) > 1 and day == date_ticks[-1] else "middle"
        parts.append(
            f'<line x1="{_c(x(day))}" y1="{TOP + PLOT_HEIGHT}" x2="{_c(x(day))}" '
            f'y2="{TOP + PLOT_HEIGHT + 5}" stroke="{MUTED}"/>'
            f'<text x="{_c(x(day))}" y="{TOP + PLOT_HEIGHT + 19}" text-anchor="{anchor}" fill="{MUTED}">'
            f"{format_date(day)}</text>"
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + PLOT_HEIGHT}" stroke="{MUTED}"/>'
        f'<line x1="{LEFT}" y1="{TOP + PLOT_HEIGHT}" x2="{LEFT + PLOT_WIDTH}" y2="{TOP + PLOT_HEIGHT}" '
        f'stroke="{MUTED}"/>'
        f'<text x="{LEFT + PLOT_WIDTH / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" fill="{MUTED}">'
        f"{escape(_('Datum van de meting'))}</text>"
        f'<text x="14" y="{TOP + PLOT_HEIGHT / 2:.1f}" text-anchor="middle" fill="{MUTED}" '
        f'transform="rotate(-90 14 {TOP + PLOT_HEIGHT / 2:.1f})">{escape(unit or _("Waarde"))}</text>'
    )

    # --- target and deadline ---------------------------------------------------------------
    if target is not None:
        target_y = _c(y(float(target)))
        target_text = _("Streefwaarde: %(value)s") % {"value": format_number(target) + unit_suffix}
        parts.append(
            f'<g class="target-line"><line x1="{LEFT}" y1="{target_y}" x2="{LEFT + PLOT_WIDTH}" '
            f'y2="{target_y}" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{LEFT + 6}" y="{_c(y(float(target)) - 6)}" text-anchor="start" '
            f'fill="{TARGET}">{escape(target_text)}</text></g>'
        )
    if deadline is not None and first_day <= deadline <= last_day:
        deadline_x = _c(x(deadline))
        deadline_text = _("Deadline %(date)s") % {"date": format_date(deadline)}
        parts.append(
            f'<g class="deadline-line"><line x1="{deadline_x}" y1="{TOP}" x2="{deadline_x}" '
            f'y2="{TOP + PLOT_HEIGHT}" stroke="{MUTED}" stroke-dasharray="2 3"/>'
            f'<text x="{deadline_x}" y="{TOP - 8}" text-anchor="end" fill="{MUTED}">'
            f"{escape(deadline_text)}</text></g>"
        )

    # --- the measurements ------------------------------------------------------------------
    coordinates = " ".join(f"{_c(x(day))},{_c(y(float(value)))}" for day, value in points)
    parts.append(
        f'<polyline class="series" points="{coordinates}" fill="none" stroke="{ACCENT}" '
        f'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    for day, value in points:
        parts.append(
            f'<circle cx="{_c(x(day))}" cy="{_c(y(float(value)))}" r="4" fill="{ACCENT}">'
            f"<title>{format_date(day)}: {escape(format_number(value) + unit_suffix)}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text in it went through escape()


def _describe(points, *, target, deadline, unit_suffix: str) -> str:
    """The chart in words, for screen readers (the table beside it has every value)."""
    if points:
        sentences = [
            ngettext(
                "%(count)d meting op %(first)s.",
                "%(count)d metingen van %(first)s tot %(last)s.",
                len(points),
            )
            % {"count": len(points), "first": format_date(points[0][0]), "last": format_date(points[-1][0])},
            _("Laatste waarde: %(value)s.") % {"value": format_number(points[-1][1]) + unit_suffix},
        ]
    else:
        sentences = [_("Nog geen metingen.")]
    if target is not None:
        sentences.append(_("Streefwaarde: %(value)s.") % {"value": format_number(target) + unit_suffix})
    if deadline is not None:
        sentences.append(_("Deadline: %(date)s.") % {"date": format_date(deadline)})
    return " ".join(sentences)
