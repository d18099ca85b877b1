"""The drawing parts of the reports' SVG charts: colours, axes, legends, horizontal bars
and the escaping `svg` wrapper; orders/reports/charts.py composes them per report."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR = "#2563eb"
BAR_LIGHT = "#93c5fd"
LINE = "#ea580c"
TARGET = "#111827"
LATE = "#dc2626"
SOME_LATE = "#f59e0b"
GRID = "#e5e7eb"
TEXT = "#374151"
# Five grid intervals divide every nice_max (1, 2, 2.5, 5, 10 × 10^k) into round steps.
GRID_STEPS = 5


def nice_max(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that is at least `value` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)  # pragma: no cover


def num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg(width: int, height: int, label: str, body: Iterable[SafeString]) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg" font-size="13" fill="{}"><title>{}</title>{}</svg>',
        width,
        height,
        label,
        TEXT,
        label,
        mark_safe("".join(body)),
    )


def empty(width: int, label: str) -> SafeString:
    return svg(
        width,
        60,
        label,
        [
            format_html(
                '<text x="{}" y="34" text-anchor="middle">{}</text>',
                width // 2,
                _("No tickets in this period."),
            )
        ],
    )


def text_width(text: str) -> float:
    """Roughly how wide `text` is at the charts' font size: CJK characters are twice as wide."""
    return sum(13.0 if unicodedata.east_asian_width(c) in "WF" else 7.2 for c in text)


def draw_legend(x: float, y: float, items: list[tuple[str, str, str]]) -> list[SafeString]:
    """Legend entries (shape, colour, text); shape is "bar", "line" or "tick"."""
    parts: list[SafeString] = []
    for shape, colour, text in items:
        if shape == "bar":
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>',
                    num(x),
                    num(y - 10),
                    colour,
                )
            )
        elif shape == "line":
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"/>'
                    '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
                    num(x),
                    num(y - 4),
                    num(x + 12),
                    num(y - 4),
                    colour,
                    num(x + 6),
                    num(y - 4),
                    colour,
                )
            )
        else:
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"/>',
                    num(x + 6),
                    num(y - 12),
                    num(x + 6),
                    num(y + 2),
                    colour,
                )
            )
        parts.append(format_html('<text x="{}" y="{}">{}</text>', num(x + 17), num(y), text))
        x += 30 + text_width(text)
    return parts


def minutes(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


def hbars(
    *,
    label: str,
    names: list[str],
    bars: list[list[tuple[float | None, str, str]]],
    ticks: list[float | None] | None,
    notes: list[str],
    legend: list[tuple[str, str, str]],
    unit_max: float,
    unit_label: Callable[[float], str],
    axis: str,
) -> SafeString:
    """Horizontal bars, one group per name; each bar is (value, colour, tooltip)."""
    width = 640
    left, right, top = 165, 95, 34
    per_bar, gap = 15, 11
    group_h = per_bar * max(len(b) for b in bars) + gap
    plot_w = width - left - right
    height = top + group_h * len(names) + 26
    plot_bottom = top + group_h * len(names)
    parts: list[SafeString] = []
    for i in range(GRID_STEPS + 1):
        x = left + plot_w * i / GRID_STEPS
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                num(x),
                top - 4,
                num(x),
                plot_bottom,
                GRID,
                num(x),
                plot_bottom + 16,
                unit_label(unit_max * i / GRID_STEPS),
            )
        )
    parts.append(
        format_html('<text x="{}" y="{}">{}</text>', left + plot_w + 24, plot_bottom + 16, axis)
    )
    for g, name in enumerate(names):
        y0 = top + g * group_h + gap / 2
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end">{}</text>',
                left - 8,
                num(y0 + per_bar * len(bars[g]) / 2 + 4),
                fit(name, left - 12),
            )
        )
        for b, (value, colour, tip) in enumerate(bars[g]):
            if value is None:
                continue
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                    left,
                    num(y0 + b * per_bar),
                    num(max(plot_w * value / unit_max, 1)),
                    per_bar - 2,
                    colour,
                    tip,
                )
            )
        if ticks is not None and ticks[g] is not None:
            x = left + plot_w * min(float(ticks[g] or 0), unit_max) / unit_max
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"/>',
                    num(x),
                    num(y0 - 3),
                    num(x),
                    num(y0 + per_bar * len(bars[g]) + 1),
                    TARGET,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}">{}</text>',
                left + plot_w + 8,
                num(y0 + per_bar * len(bars[g]) / 2 + 4),
                notes[g],
            )
        )
    parts.extend(draw_legend(left, 16, legend))
    return svg(width, height, label, parts)


def fit(text: str, width: float) -> str:
    """The text, cut with an ellipsis to about `width` at the charts' font size."""
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def minute_axis(seconds: float) -> str:
    return num(seconds / 60)
