"""Server-rendered SVG charts for the reports page: no JavaScript, nothing from a CDN.

Each function takes a report's rows and returns safe SVG markup that scales to its
container's width. Every label is escaped by `format_html`.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .. import reports
from .chain import StorePeriod

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


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(width: int, height: int, label: str, body: Iterable[SafeString]) -> SafeString:
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


def _empty(width: int, label: str) -> SafeString:
    return _svg(
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


def _text_width(text: str) -> float:
    """Roughly how wide `text` is at the charts' font size: CJK characters are twice as wide."""
    return sum(13.0 if unicodedata.east_asian_width(c) in "WF" else 7.2 for c in text)


def _legend(x: float, y: float, items: list[tuple[str, str, str]]) -> list[SafeString]:
    """Legend entries (shape, colour, text); shape is "bar", "line" or "tick"."""
    parts: list[SafeString] = []
    for shape, colour, text in items:
        if shape == "bar":
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>',
                    _num(x),
                    _num(y - 10),
                    colour,
                )
            )
        elif shape == "line":
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"/>'
                    '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
                    _num(x),
                    _num(y - 4),
                    _num(x + 12),
                    _num(y - 4),
                    colour,
                    _num(x + 6),
                    _num(y - 4),
                    colour,
                )
            )
        else:
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"/>',
                    _num(x + 6),
                    _num(y - 12),
                    _num(x + 6),
                    _num(y + 2),
                    colour,
                )
            )
        parts.append(format_html('<text x="{}" y="{}">{}</text>', _num(x + 17), _num(y), text))
        x += 30 + _text_width(text)
    return parts


def hour_chart(rows: list[reports.HourRow]) -> SafeString:
    """Orders per hour of the day (bars) and the median ticket time (line, right axis)."""
    width, height = 640, 270
    left, right, top, bottom = 40, 36, 34, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    label = _("Orders and median ticket time by hour of day")
    if not any(r.orders for r in rows):
        return _empty(width, label)
    max_orders = nice_max(max(r.orders for r in rows))
    max_minutes = nice_max(max((r.median or 0) / 60 for r in rows))
    slot = plot_w / 24
    parts: list[SafeString] = []
    for i in range(GRID_STEPS + 1):
        y = top + plot_h - plot_h * i / GRID_STEPS
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end">{}</text>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                left,
                _num(y),
                left + plot_w,
                _num(y),
                GRID,
                left - 6,
                _num(y + 4),
                _num(max_orders * i / GRID_STEPS),
                left + plot_w + 6,
                _num(y + 4),
                LINE,
                _num(max_minutes * i / GRID_STEPS),
            )
        )
    points: list[tuple[float, float]] = []
    for row in rows:
        x = left + slot * row.hour
        bar_h = plot_h * row.orders / max_orders
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                _num(x + slot * 0.15),
                _num(top + plot_h - bar_h),
                _num(slot * 0.7),
                _num(bar_h),
                BAR,
                _("%(hour)02d:00 — %(orders)d orders, median %(median)s")
                % {"hour": row.hour, "orders": row.orders, "median": _minutes(row.median)},
            )
        )
        if row.hour % 3 == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                    _num(x + slot / 2),
                    height - bottom + 16,
                    f"{row.hour:02d}",
                )
            )
        if row.median is not None:
            points.append((x + slot / 2, top + plot_h - plot_h * row.median / 60 / max_minutes))
    if points:
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
                " ".join(f"{_num(x)},{_num(y)}" for x, y in points),
                LINE,
            )
        )
        parts.extend(
            format_html('<circle cx="{}" cy="{}" r="3" fill="{}"/>', _num(x), _num(y), LINE)
            for x, y in points
        )
    parts.extend(
        _legend(
            left,
            16,
            [
                ("bar", BAR, _("Orders (left)")),
                ("line", LINE, _("Median ticket time, minutes (right)")),
            ],
        )
    )
    return _svg(width, height, label, parts)


def _minutes(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    total = round(seconds)
    return f"{total // 60}:{total % 60:02d}"


def _hbars(
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
                _num(x),
                top - 4,
                _num(x),
                plot_bottom,
                GRID,
                _num(x),
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
                _num(y0 + per_bar * len(bars[g]) / 2 + 4),
                _fit(name, left - 12),
            )
        )
        for b, (value, colour, tip) in enumerate(bars[g]):
            if value is None:
                continue
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                    left,
                    _num(y0 + b * per_bar),
                    _num(max(plot_w * value / unit_max, 1)),
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
                    _num(x),
                    _num(y0 - 3),
                    _num(x),
                    _num(y0 + per_bar * len(bars[g]) + 1),
                    TARGET,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}">{}</text>',
                left + plot_w + 8,
                _num(y0 + per_bar * len(bars[g]) / 2 + 4),
                notes[g],
            )
        )
    parts.extend(_legend(left, 16, legend))
    return _svg(width, height, label, parts)


def _fit(text: str, width: float) -> str:
    """The text, cut with an ellipsis to about `width` at the charts' font size."""
    if _text_width(text) <= width:
        return text
    while text and _text_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _minute_axis(seconds: float) -> str:
    return _num(seconds / 60)


def _times_chart(label: str, rows: list[tuple[str, reports.Stats]]) -> SafeString:
    """Median and 90th-percentile ticket time per name, with the share late."""
    rows = [(name, stats) for name, stats in rows if stats.count]
    if not rows:
        return _empty(640, label)
    top = nice_max(max(stats.p90 or 0 for _name, stats in rows) / 60) * 60
    return _hbars(
        label=label,
        names=[name for name, _stats in rows],
        bars=[
            [
                (s.median, BAR, _("Median %(t)s") % {"t": _minutes(s.median)}),
                (s.p90, BAR_LIGHT, _("90th percentile %(t)s") % {"t": _minutes(s.p90)}),
            ]
            for _name, s in rows
        ],
        ticks=None,
        notes=[_("%(share)s late") % {"share": _share(s.late_share)} for _name, s in rows],
        legend=[
            ("bar", BAR, _("Median")),
            ("bar", BAR_LIGHT, _("90th percentile")),
        ],
        unit_max=top,
        unit_label=_minute_axis,
        axis=_("minutes"),
    )


def station_chart(rows: list[reports.StationRow]) -> SafeString:
    """Median and 90th-percentile ticket time per station, with the share late."""
    return _times_chart(_("Ticket time by station"), [(r.name, r.prep) for r in rows])


def _distinct_names(names: list[str]) -> list[str]:
    """The names without the words they all start with ("Chongqing House Nanping" and
    "Chongqing House Jiefangbei" are "Nanping" and "Jiefangbei"), so a chart's labels
    show what tells the stores apart."""
    if len(names) < 2:
        return names
    words = [n.split(" ") for n in names]
    common = 0
    while all(len(w) > common + 1 for w in words) and len({w[common] for w in words}) == 1:
        common += 1
    return [" ".join(w[common:]) for w in words]


def chain_chart(rows: list[StorePeriod]) -> SafeString:
    """The same, restaurant by restaurant."""
    names = _distinct_names([r.restaurant.name for r in rows])
    pairs = [(name, r.prep) for name, r in zip(names, rows, strict=True)]
    return _times_chart(_("Ticket time by restaurant"), pairs)


def dish_chart(
    rows: list[reports.DishRow], *, name: Callable[[reports.DishRow], str]
) -> SafeString:
    """The slowest dishes' median ticket time against the time after which a ticket of
    it is late; coloured by its share of late tickets (`reports.Lateness`), the figure
    its note gives, so a bar never says on time beside a dish listed late."""
    label = _("Slowest dishes: median ticket time against the late threshold")
    if not rows:
        return _empty(640, label)
    top = nice_max(max(max(r.prep.median or 0, r.late_after or 0) for r in rows) / 60) * 60
    colour = {
        reports.Lateness.NONE: BAR,
        reports.Lateness.SOME: SOME_LATE,
        reports.Lateness.MOST: LATE,
    }
    return _hbars(
        label=label,
        names=[name(r) for r in rows],
        bars=[
            [
                (
                    r.prep.median,
                    colour[r.lateness],
                    _("Median %(t)s, late after %(late)s, %(share)s of its tickets late")
                    % {
                        "t": _minutes(r.prep.median),
                        "late": late_after_text(r),
                        "share": _share(r.prep.late_share),
                    },
                )
            ]
            for r in rows
        ],
        ticks=[r.late_after for r in rows],
        notes=[_("%(share)s late") % {"share": _share(r.prep.late_share)} for r in rows],
        legend=[
            ("bar", BAR, _("None late")),
            ("bar", SOME_LATE, _("Under half late")),
            ("bar", LATE, _("Half or more late")),
            ("tick", TARGET, _("Late after")),
        ],
        unit_max=top,
        unit_label=_minute_axis,
        axis=_("minutes"),
    )


def late_after_text(row: reports.DishRow) -> str:
    """ "8:00", or "8:00–10:00" where the dish's stations differ."""
    if row.late_after is None:
        return "—"
    if row.late_after_max is not None and row.late_after_max != row.late_after:
        return f"{_minutes(row.late_after)}–{_minutes(row.late_after_max)}"
    return _minutes(row.late_after)


def channel_chart(rows: list[reports.ChannelRow]) -> SafeString:
    """Orders per channel, with each channel's median ticket time."""
    label = _("Orders by channel")
    if not any(r.orders for r in rows):
        return _empty(640, label)
    top = nice_max(max(r.orders for r in rows))
    return _hbars(
        label=label,
        names=[r.label for r in rows],
        bars=[[(float(r.orders), BAR, _("%(n)d orders") % {"n": r.orders})] for r in rows],
        ticks=None,
        notes=[_("median %(t)s") % {"t": _minutes(r.prep.median)} for r in rows],
        legend=[("bar", BAR, _("Orders"))],
        unit_max=top,
        unit_label=lambda v: _num(v),
        axis=_("orders"),
    )


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"
