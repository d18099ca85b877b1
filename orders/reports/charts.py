"""Server-rendered SVG charts for the reports page: no JavaScript, nothing from a CDN.

Each function takes a report's rows and returns safe SVG markup that scales to its
container's width. Every label is escaped by `format_html`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .. import reports
from .chain import StorePeriod
from .svg import (
    BAR,
    BAR_LIGHT,
    GRID,
    GRID_STEPS,
    LATE,
    LINE,
    SOME_LATE,
    TARGET,
    draw_legend,
    empty,
    hbars,
    minute_axis,
    minutes,
    nice_max,
    num,
    svg,
)


def hour_chart(rows: list[reports.HourRow]) -> SafeString:
    """Orders per hour of the day (bars) and the median ticket time (line, right axis)."""
    width, height = 640, 270
    left, right, top, bottom = 40, 36, 34, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    label = _("Orders and median ticket time by hour of day")
    if not any(r.orders for r in rows):
        return empty(width, label)
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
                num(y),
                left + plot_w,
                num(y),
                GRID,
                left - 6,
                num(y + 4),
                num(max_orders * i / GRID_STEPS),
                left + plot_w + 6,
                num(y + 4),
                LINE,
                num(max_minutes * i / GRID_STEPS),
            )
        )
    points: list[tuple[float, float]] = []
    for row in rows:
        x = left + slot * row.hour
        bar_h = plot_h * row.orders / max_orders
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                num(x + slot * 0.15),
                num(top + plot_h - bar_h),
                num(slot * 0.7),
                num(bar_h),
                BAR,
                _("%(hour)02d:00 — %(orders)d orders, median %(median)s")
                % {"hour": row.hour, "orders": row.orders, "median": minutes(row.median)},
            )
        )
        if row.hour % 3 == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle">{}</text>',
                    num(x + slot / 2),
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
                " ".join(f"{num(x)},{num(y)}" for x, y in points),
                LINE,
            )
        )
        parts.extend(
            format_html('<circle cx="{}" cy="{}" r="3" fill="{}"/>', num(x), num(y), LINE)
            for x, y in points
        )
    parts.extend(
        draw_legend(
            left,
            16,
            [
                ("bar", BAR, _("Orders (left)")),
                ("line", LINE, _("Median ticket time, minutes (right)")),
            ],
        )
    )
    return svg(width, height, label, parts)


def _times_chart(label: str, rows: list[tuple[str, reports.Stats]]) -> SafeString:
    """Median and 90th-percentile ticket time per name, with the share late."""
    rows = [(name, stats) for name, stats in rows if stats.count]
    if not rows:
        return empty(640, label)
    top = nice_max(max(stats.p90 or 0 for _name, stats in rows) / 60) * 60
    return hbars(
        label=label,
        names=[name for name, _stats in rows],
        bars=[
            [
                (s.median, BAR, _("Median %(t)s") % {"t": minutes(s.median)}),
                (s.p90, BAR_LIGHT, _("90th percentile %(t)s") % {"t": minutes(s.p90)}),
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
        unit_label=minute_axis,
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
        return empty(640, label)
    top = nice_max(max(max(r.prep.median or 0, r.late_after or 0) for r in rows) / 60) * 60
    colour = {
        reports.Lateness.NONE: BAR,
        reports.Lateness.SOME: SOME_LATE,
        reports.Lateness.MOST: LATE,
    }
    return hbars(
        label=label,
        names=[name(r) for r in rows],
        bars=[
            [
                (
                    r.prep.median,
                    colour[r.lateness],
                    _("Median %(t)s, late after %(late)s, %(share)s of its tickets late")
                    % {
                        "t": minutes(r.prep.median),
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
        unit_label=minute_axis,
        axis=_("minutes"),
    )


def late_after_text(row: reports.DishRow) -> str:
    """ "8:00", or "8:00–10:00" where the dish's stations differ."""
    if row.late_after is None:
        return "—"
    if row.late_after_max is not None and row.late_after_max != row.late_after:
        return f"{minutes(row.late_after)}–{minutes(row.late_after_max)}"
    return minutes(row.late_after)


def channel_chart(rows: list[reports.ChannelRow]) -> SafeString:
    """Orders per channel, with each channel's median ticket time."""
    label = _("Orders by channel")
    if not any(r.orders for r in rows):
        return empty(640, label)
    top = nice_max(max(r.orders for r in rows))
    return hbars(
        label=label,
        names=[r.label for r in rows],
        bars=[[(float(r.orders), BAR, _("%(n)d orders") % {"n": r.orders})] for r in rows],
        ticks=None,
        notes=[_("median %(t)s") % {"t": minutes(r.prep.median)} for r in rows],
        legend=[("bar", BAR, _("Orders"))],
        unit_max=top,
        unit_label=lambda v: num(v),
        axis=_("orders"),
    )


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"
