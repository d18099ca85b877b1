"""The reports: each one aggregate query per table (definitions in `orders.reports`)."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Count,
    Max,
    Min,
    Q,
    Sum,
)

from ..expressions import LocalHour
from ..models import (
    Channel,
    MenuItem,
    OrderStatus,
    Station,
    StationKind,
)
from .results import ChannelRow, DishReport, DishRow, Headline, HourRow, StationRow
from .scope import ReportScope
from .sql import Percentile, _report
from .tickets import (
    NO_TICKETS,
    dict_rows,
    lines_of,
    not_cancelled_quantity,
    of_value,
    orders_of,
    per_value,
    placements_of,
    serve_aggregates,
    serve_stats,
    ticket_aggregates,
    ticket_stats,
    tickets_of,
)


@_report
def headline(*, scope: ReportScope) -> Headline:
    """Orders, dishes, voids and cancels; ticket times and the share of tickets late."""
    orders = orders_of(scope).aggregate(
        orders=Count("pk"),
        cancelled=Count("pk", filter=Q(status=OrderStatus.CANCELLED)),
        **serve_aggregates(),
    )
    lines = lines_of(scope).aggregate(
        dishes=not_cancelled_quantity(), voided=Sum("voided_quantity", default=0)
    )
    tickets = tickets_of(scope).aggregate(**ticket_aggregates())
    return Headline(
        orders=orders["orders"],
        cancelled=orders["cancelled"],
        dishes=lines["dishes"],
        voided=lines["voided"],
        prep=ticket_stats(tickets),
        to_serve=serve_stats(orders),
    )


@_report
def by_station(*, scope: ReportScope) -> list[StationRow]:
    """The headline's kitchen figures for each prep station, in screen order."""
    counts = (
        placements_of(scope)
        .values("station_id")
        .annotate(
            orders=Count("order_id", distinct=True),
            # Not counted: a cancelled order's lines, and fully voided lines (quantity 0).
            dishes=Sum("quantity", filter=Q(counts=True), default=0),
            voided=Sum("voided_quantity", default=0),
        )
        .order_by()
    )
    tickets = tickets_of(scope).values("station_id").annotate(**ticket_aggregates()).order_by()
    timed = {row["station_id"]: row for row in dict_rows(tickets)}
    found = {
        row["station_id"]: {**NO_TICKETS, **row, **timed.get(row["station_id"], {})}
        for row in dict_rows(counts)
    }
    stations = Station.objects.filter(restaurant=scope.restaurant, kind=StationKind.PREP)
    if scope.station_id:
        stations = stations.filter(pk=scope.station_id)
    result = []
    for station in stations.order_by("position", "name"):
        row = found.get(station.pk)
        if row is None:
            continue
        result.append(
            StationRow(
                station_id=station.pk,
                name=station.name,
                colour=station.colour,
                orders=row["orders"],
                dishes=row["dishes"],
                voided=row["voided"],
                prep=ticket_stats(row),
            )
        )
    return result


@_report
def by_dish(*, scope: ReportScope, limit: int = 10) -> DishReport:
    """The dishes on the menu with the slowest median ticket, and those most often late."""
    rows = (
        tickets_of(scope)
        .filter(menu_item_id__isnull=False)
        .values("menu_item_id")
        .annotate(
            dishes=Sum("quantity", default=0),
            late_min=Min("late_after"),
            late_max=Max("late_after"),
            **ticket_aggregates(),
        )
        .order_by()
    )
    found = {row["menu_item_id"]: row for row in dict_rows(rows) if row["t_count"]}
    menu = MenuItem.objects.filter(pk__in=list(found)).only("name", "name_zh", "prep_minutes")
    dishes = [
        DishRow(
            menu_item_id=item.pk,
            name=item.name,
            name_zh=item.name_zh,
            prep_minutes=item.prep_minutes,
            dishes=found[item.pk]["dishes"],
            prep=ticket_stats(found[item.pk]),
            late_after=found[item.pk]["late_min"],
            late_after_max=found[item.pk]["late_max"],
        )
        for item in menu
    ]
    # A menu has tens of dishes, not thousands: ranking the aggregated rows is cheap.
    slowest = sorted(dishes, key=lambda d: (-(d.prep.median or 0), d.name))[:limit]
    late = [d for d in dishes if d.prep.late]
    most_late = sorted(late, key=lambda d: (-(d.prep.late_share or 0), -(d.prep.late or 0), d.name))
    return DishReport(slowest=slowest, most_late=most_late[:limit])


@_report
def by_hour(*, scope: ReportScope) -> list[HourRow]:
    """All 24 hours of the day, in the restaurant's time zone, with orders placed in each."""
    tz = scope.tz
    orders = {
        row["hour"]: row["orders"]
        for row in dict_rows(
            orders_of(scope)
            .annotate(hour=LocalHour("placed_at", tzinfo=tz))
            .values("hour")
            .annotate(orders=Count("pk"))
            .order_by()
        )
    }
    tickets = {
        row["hour"]: row
        for row in dict_rows(
            tickets_of(scope)
            .annotate(hour=LocalHour("order_placed_at", tzinfo=tz))
            .values("hour")
            .annotate(t_count=Count("secs"), t_median=Percentile("secs", 0.5))
            .order_by()
        )
    }
    return [
        HourRow(
            hour=hour,
            orders=orders.get(hour, 0),
            tickets=tickets.get(hour, {}).get("t_count", 0),
            median=tickets.get(hour, {}).get("t_median"),
        )
        for hour in range(24)
    ]


@_report
def by_channel(*, scope: ReportScope) -> list[ChannelRow]:
    """Every order channel, in the order Channel lists them, with or without orders.

    The channels are few and known, so the order and ticket figures are computed per
    channel with FILTER rather than GROUP BY (see `per_value`).
    """
    values = [c.value for c in Channel if not scope.channel or c.value == scope.channel]

    def order_figures(where: Q) -> dict[str, Any]:
        return {
            "orders": Count("pk", filter=where),
            "cancelled": Count("pk", filter=where & Q(status=OrderStatus.CANCELLED)),
            **serve_aggregates(where),
        }

    orders = of_value(
        orders_of(scope).aggregate(**per_value(order_figures, "channel", values)), values
    )
    dishes = {
        row["order_channel"]: row["dishes"]
        for row in dict_rows(
            lines_of(scope)
            .values("order_channel")
            .annotate(dishes=not_cancelled_quantity())
            .order_by()
        )
    }
    tickets = of_value(
        tickets_of(scope).aggregate(**per_value(ticket_aggregates, "order_channel", values)),
        values,
    )
    channels = [c for c in Channel if not scope.channel or c.value == scope.channel]
    return [
        ChannelRow(
            channel=channel.value,
            label=str(channel.label),
            orders=orders[channel.value]["orders"],
            cancelled=orders[channel.value]["cancelled"],
            dishes=dishes.get(channel.value, 0),
            prep=ticket_stats(tickets[channel.value]),
            to_serve=serve_stats(orders[channel.value]),
        )
        for channel in channels
    ]


@_report
def lines_in_range(*, scope: ReportScope) -> int:
    """A trivial aggregate over the same rows: the benchmark's baseline."""
    return lines_of(scope).count()
