"""What the reports are built from: the period's orders, lines and tickets (a line at a
prep station, timed from firing to ready) as querysets, their aggregates, and the rows
they become. orders/reports/queries.py puts them together, one query per table."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from ..models import (
    Line,
    LineStation,
    MenuItem,
    Order,
    Station,
    StationKind,
)
from .results import Stats
from .scope import ReportScope
from .sql import Percentile


def orders_of(scope: ReportScope) -> QuerySet[Order]:
    orders = Order.objects.filter(
        restaurant=scope.restaurant, placed_at__gte=scope.start, placed_at__lt=scope.end
    )
    if scope.channel:
        orders = orders.filter(channel=scope.channel)
    if scope.station_id:
        orders = orders.filter(
            Exists(
                LineStation.objects.filter(
                    restaurant=scope.restaurant,
                    order_placed_at__gte=scope.start,
                    order_placed_at__lt=scope.end,
                    order_id=OuterRef("pk"),
                    station_id=scope.station_id,
                )
            )
        )
    return orders


def lines_of(scope: ReportScope) -> QuerySet[Line]:
    """The lines of the period's orders, read through the order facts copied onto each line."""
    lines = Line.objects.filter(
        restaurant=scope.restaurant,
        order_placed_at__gte=scope.start,
        order_placed_at__lt=scope.end,
    )
    if scope.channel:
        lines = lines.filter(order_channel=scope.channel)
    if scope.station_id:
        lines = lines.filter(
            Exists(LineStation.objects.filter(line=OuterRef("pk"), station_id=scope.station_id))
        )
    return lines


def prep_stations(scope: ReportScope) -> dict[int, int]:
    """The scope's prep stations: late minutes by id (a handful of rows)."""
    stations = Station.objects.filter(restaurant=scope.restaurant, kind=StationKind.PREP)
    if scope.station_id:
        stations = stations.filter(pk=scope.station_id)
    return dict(stations.values_list("pk", "late_minutes"))


def placements_of(
    scope: ReportScope, stations: Iterable[int] | None = None
) -> QuerySet[LineStation]:
    """Every line of the period's orders at a prep station, counted or not.

    Reads only the placements: the order's and the line's facts are copied onto each
    (`LineStation.order_placed_at`, `order_channel`, `menu_item`, `quantity`, `counts`
    …) and covered by one index, and the stations are given by id, so the query joins
    no other table.
    """
    placements = LineStation.objects.filter(
        restaurant=scope.restaurant,
        order_placed_at__gte=scope.start,
        order_placed_at__lt=scope.end,
        station_id__in=list(stations if stations is not None else prep_stations(scope)),
    )
    if scope.channel:
        placements = placements.filter(order_channel=scope.channel)
    return placements


LATE_TOLERANCE_SECONDS = 0.001


def late_after(scope: ReportScope, stations: dict[int, int]) -> Case:
    """Seconds after which a ticket is late: the stricter of the dish's threshold and its
    station's (as on the screens: a dish can make a ticket late sooner, never later).

    Written out as constants (stations and dishes with their own threshold are few),
    so the ticket query joins neither stations nor the menu.
    """
    by_station = Case(
        *[When(station_id=pk, then=Value(minutes * 60)) for pk, minutes in stations.items()],
        default=None,
        output_field=IntegerField(),
    )
    dishes = MenuItem.objects.filter(restaurant=scope.restaurant, late_minutes__isnull=False)
    return Case(
        *[
            When(menu_item_id=pk, station_id=station, then=Value(minutes * 60))
            for pk, minutes in dishes.values_list("pk", "late_minutes")
            for station, own in stations.items()
            if minutes is not None and minutes < own
        ],
        default=by_station,
        output_field=IntegerField(),
    )


def tickets_of(scope: ReportScope) -> QuerySet[LineStation]:
    """The tickets that count (see above), annotated with `secs` and `late_after`.

    `LineStation.ticket_seconds` is the ticket time, stored by the database, and NULL
    unless the ticket is ready and counts (line not fully voided, order not
    cancelled): the one condition selects the tickets, read from the partial index
    `linestation_ticket_idx` alone.
    """
    stations = prep_stations(scope)
    return (
        placements_of(scope, stations)
        .filter(ticket_seconds__isnull=False)
        .annotate(secs=F("ticket_seconds"), late_after=late_after(scope, stations))
    )


def ticket_aggregates(where: Q | None = None) -> dict[str, Any]:
    """Count, median, mean, 90th percentile and late count of ticket times (of `where`)."""
    # "More than the threshold": exactly at it is not late. SQLite's ticket times come
    # from julianday() differences, a few microseconds off a whole number (360 s reads
    # 360.00002), so the comparison allows a millisecond; timestamps are whole
    # microseconds, so no ticket that is truly over is missed.
    late = Q(
        secs__gt=ExpressionWrapper(
            F("late_after") + Value(LATE_TOLERANCE_SECONDS), output_field=FloatField()
        )
    )
    return {
        # Counted on a column of the index (the primary key is not in it).
        "t_count": Count("secs", filter=where),
        "t_median": Percentile("secs", 0.5, filter=where),
        "t_mean": Avg("secs", filter=where),
        "t_p90": Percentile("secs", 0.9, filter=where),
        # `where` first: PostgreSQL stops at the first false term, before the CASE.
        "t_late": Count("secs", filter=where & late if where is not None else late),
    }


def serve_aggregates(where: Q | None = None) -> dict[str, Any]:
    # Ready to served, stored by the database; NULL for cancelled orders.
    served = F("serve_seconds")
    return {
        "s_count": Count(served, filter=where),
        "s_median": Percentile(served, 0.5, filter=where),
        "s_mean": Avg(served, filter=where),
        "s_p90": Percentile(served, 0.9, filter=where),
    }


def per_value(
    aggregates: Callable[[Q], dict[str, Any]], field: str, values: list[str]
) -> dict[str, Any]:
    """The aggregates once per value of `field`, each over its rows (FILTER (WHERE …)).

    For a column with a handful of known values (the order channels): one pass over
    the rows with no sort by the group key, and each percentile sorts only its own
    group, which on a year of tickets is markedly cheaper than GROUP BY.
    """
    return {
        f"v{i}_{name}": aggregate
        for i, value in enumerate(values)
        for name, aggregate in aggregates(Q(**{field: value})).items()
    }


def of_value(row: Mapping[str, Any], values: list[str]) -> dict[str, dict[str, Any]]:
    """Splits a `per_value` result back into one dict per value."""
    return {
        value: {
            name.removeprefix(f"v{i}_"): result
            for name, result in row.items()
            if name.startswith(f"v{i}_")
        }
        for i, value in enumerate(values)
    }


def dict_rows(queryset: Any) -> list[dict[str, Any]]:
    """The rows of a values() query, as plain dicts."""
    return [dict(row) for row in queryset]


def not_cancelled_quantity() -> Sum:
    return Sum("quantity", filter=Q(order_cancelled=False), default=0)


def ticket_stats(row: Mapping[str, Any]) -> Stats:
    return Stats(
        count=row["t_count"] or 0,
        median=row["t_median"],
        mean=row["t_mean"],
        p90=row["t_p90"],
        late=row["t_late"] or 0,
    )


def serve_stats(row: Mapping[str, Any]) -> Stats:
    return Stats(
        count=row["s_count"] or 0, median=row["s_median"], mean=row["s_mean"], p90=row["s_p90"]
    )


NO_TICKETS = {"t_count": 0, "t_median": None, "t_mean": None, "t_p90": None, "t_late": 0}
