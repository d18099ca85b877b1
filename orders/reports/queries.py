"""The reports: each one aggregate query per table (definitions in `orders.reports`)."""

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
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from ..expressions import LocalHour
from ..models import (
    Channel,
    Line,
    LineStation,
    MenuItem,
    Order,
    OrderStatus,
    Station,
    StationKind,
)
from .results import ChannelRow, DishReport, DishRow, Headline, HourRow, StationRow, Stats
from .scope import ReportScope
from .sql import Percentile, _report


def _orders(scope: ReportScope) -> QuerySet[Order]:
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


def _lines(scope: ReportScope) -> QuerySet[Line]:
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


def _prep_stations(scope: ReportScope) -> dict[int, int]:
    """The scope's prep stations: late minutes by id (a handful of rows)."""
    stations = Station.objects.filter(restaurant=scope.restaurant, kind=StationKind.PREP)
    if scope.station_id:
        stations = stations.filter(pk=scope.station_id)
    return dict(stations.values_list("pk", "late_minutes"))


def _placements(scope: ReportScope, stations: Iterable[int] | None = None) -> QuerySet[LineStation]:
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
        station_id__in=list(stations if stations is not None else _prep_stations(scope)),
    )
    if scope.channel:
        placements = placements.filter(order_channel=scope.channel)
    return placements


LATE_TOLERANCE_SECONDS = 0.001


def _late_after(scope: ReportScope, stations: dict[int, int]) -> Case:
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


def _tickets(scope: ReportScope) -> QuerySet[LineStation]:
    """The tickets that count (see above), annotated with `secs` and `late_after`.

    `LineStation.ticket_seconds` is the ticket time, stored by the database, and NULL
    unless the ticket is ready and counts (line not fully voided, order not
    cancelled): the one condition selects the tickets, read from the partial index
    `linestation_ticket_idx` alone.
    """
    stations = _prep_stations(scope)
    return (
        _placements(scope, stations)
        .filter(ticket_seconds__isnull=False)
        .annotate(secs=F("ticket_seconds"), late_after=_late_after(scope, stations))
    )


def _ticket_aggregates(where: Q | None = None) -> dict[str, Any]:
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


def _serve_aggregates(where: Q | None = None) -> dict[str, Any]:
    # Ready to served, stored by the database; NULL for cancelled orders.
    served = F("serve_seconds")
    return {
        "s_count": Count(served, filter=where),
        "s_median": Percentile(served, 0.5, filter=where),
        "s_mean": Avg(served, filter=where),
        "s_p90": Percentile(served, 0.9, filter=where),
    }


def _per_value(
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


def _of_value(row: Mapping[str, Any], values: list[str]) -> dict[str, dict[str, Any]]:
    """Splits a `_per_value` result back into one dict per value."""
    return {
        value: {
            name.removeprefix(f"v{i}_"): result
            for name, result in row.items()
            if name.startswith(f"v{i}_")
        }
        for i, value in enumerate(values)
    }


def _rows(queryset: Any) -> list[dict[str, Any]]:
    """The rows of a values() query, as plain dicts."""
    return [dict(row) for row in queryset]


def _not_cancelled_quantity() -> Sum:
    return Sum("quantity", filter=Q(order_cancelled=False), default=0)


def _ticket_stats(row: Mapping[str, Any]) -> Stats:
    return Stats(
        count=row["t_count"] or 0,
        median=row["t_median"],
        mean=row["t_mean"],
        p90=row["t_p90"],
        late=row["t_late"] or 0,
    )


def _serve_stats(row: Mapping[str, Any]) -> Stats:
    return Stats(
        count=row["s_count"] or 0, median=row["s_median"], mean=row["s_mean"], p90=row["s_p90"]
    )


_NO_TICKETS = {"t_count": 0, "t_median": None, "t_mean": None, "t_p90": None, "t_late": 0}


@_report
def headline(*, scope: ReportScope) -> Headline:
    """Orders, dishes, voids and cancels; ticket times and the share of tickets late."""
    orders = _orders(scope).aggregate(
        orders=Count("pk"),
        cancelled=Count("pk", filter=Q(status=OrderStatus.CANCELLED)),
        **_serve_aggregates(),
    )
    lines = _lines(scope).aggregate(
        dishes=_not_cancelled_quantity(), voided=Sum("voided_quantity", default=0)
    )
    tickets = _tickets(scope).aggregate(**_ticket_aggregates())
    return Headline(
        orders=orders["orders"],
        cancelled=orders["cancelled"],
        dishes=lines["dishes"],
        voided=lines["voided"],
        prep=_ticket_stats(tickets),
        to_serve=_serve_stats(orders),
    )


@_report
def by_station(*, scope: ReportScope) -> list[StationRow]:
    """The headline's kitchen figures for each prep station, in screen order."""
    counts = (
        _placements(scope)
        .values("station_id")
        .annotate(
            orders=Count("order_id", distinct=True),
            # Not counted: a cancelled order's lines, and fully voided lines (quantity 0).
            dishes=Sum("quantity", filter=Q(counts=True), default=0),
            voided=Sum("voided_quantity", default=0),
        )
        .order_by()
    )
    tickets = _tickets(scope).values("station_id").annotate(**_ticket_aggregates()).order_by()
    timed = {row["station_id"]: row for row in _rows(tickets)}
    found = {
        row["station_id"]: {**_NO_TICKETS, **row, **timed.get(row["station_id"], {})}
        for row in _rows(counts)
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
                prep=_ticket_stats(row),
            )
        )
    return result


@_report
def by_dish(*, scope: ReportScope, limit: int = 10) -> DishReport:
    """The dishes on the menu with the slowest median ticket, and those most often late."""
    rows = (
        _tickets(scope)
        .filter(menu_item_id__isnull=False)
        .values("menu_item_id")
        .annotate(
            dishes=Sum("quantity", default=0),
            late_min=Min("late_after"),
            late_max=Max("late_after"),
            **_ticket_aggregates(),
        )
        .order_by()
    )
    found = {row["menu_item_id"]: row for row in _rows(rows) if row["t_count"]}
    menu = MenuItem.objects.filter(pk__in=list(found)).only("name", "name_zh", "prep_minutes")
    dishes = [
        DishRow(
            menu_item_id=item.pk,
            name=item.name,
            name_zh=item.name_zh,
            prep_minutes=item.prep_minutes,
            dishes=found[item.pk]["dishes"],
            prep=_ticket_stats(found[item.pk]),
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
        for row in _rows(
            _orders(scope)
            .annotate(hour=LocalHour("placed_at", tzinfo=tz))
            .values("hour")
            .annotate(orders=Count("pk"))
            .order_by()
        )
    }
    tickets = {
        row["hour"]: row
        for row in _rows(
            _tickets(scope)
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
    channel with FILTER rather than GROUP BY (see `_per_value`).
    """
    values = [c.value for c in Channel if not scope.channel or c.value == scope.channel]

    def order_figures(where: Q) -> dict[str, Any]:
        return {
            "orders": Count("pk", filter=where),
            "cancelled": Count("pk", filter=where & Q(status=OrderStatus.CANCELLED)),
            **_serve_aggregates(where),
        }

    orders = _of_value(
        _orders(scope).aggregate(**_per_value(order_figures, "channel", values)), values
    )
    dishes = {
        row["order_channel"]: row["dishes"]
        for row in _rows(
            _lines(scope)
            .values("order_channel")
            .annotate(dishes=_not_cancelled_quantity())
            .order_by()
        )
    }
    tickets = _of_value(
        _tickets(scope).aggregate(**_per_value(_ticket_aggregates, "order_channel", values)),
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
            prep=_ticket_stats(tickets[channel.value]),
            to_serve=_serve_stats(orders[channel.value]),
        )
        for channel in channels
    ]


@_report
def lines_in_range(*, scope: ReportScope) -> int:
    """A trivial aggregate over the same rows: the benchmark's baseline."""
    return _lines(scope).count()
