"""Speed-of-service reports: where the kitchen loses time.

Every figure is computed by the database (one aggregate query per table), never by
looping over rows in Python, so a year of a busy restaurant stays fast.

Definitions (docs/reports.md explains them at more length):

* The period is a range of calendar days in the restaurant's time zone. An order
  belongs to the period if it was *placed* in it; its lines and their tickets go
  with it, so the tables always add up.
* A *ticket* is one line at one prep station (a `LineStation`). Its time runs from
  `LineStation.fired_at` (arrival, or firing for a held course) to the station's
  last `bumped` event for that line that no `recalled` event followed. The bump
  service keeps exactly that instant in `LineStation.ready_at` (written in the same
  transaction as the event, cleared by a recall), so the reports read it there
  rather than re-deriving it from the log for every row. Only tickets in state
  "ready" count; lines fully voided and lines of cancelled orders are left out of
  prep times (they still count as voids and cancels).
* A ticket is *late* when its time exceeds the dish's late threshold: the menu
  item's `late_minutes`, else the station's.
* *Ready to served* is per order: `Order.ready_at` (the order's `ready` event) to
  `Order.served_at` (its `served` event), for orders that have both.
* *Dishes* are the quantities of the lines of orders not cancelled, net of voids;
  *voids* the voided quantities; *cancels* the orders cancelled.
* Percentiles are continuous (linear interpolation, like PostgreSQL's
  `percentile_cont`): the median of 1, 2, 3, 10 minutes is 2.5 minutes.
"""

from __future__ import annotations

import functools
import math
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, ParamSpec, TypeVar

from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    Exists,
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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .expressions import LocalHour
from .expressions import Seconds as Seconds  # re-exported: reports.Seconds
from .models import (
    Channel,
    Line,
    LineStation,
    MenuItem,
    Order,
    OrderStatus,
    Restaurant,
    Station,
    StationKind,
)

P = ParamSpec("P")
R = TypeVar("R")

# --------------------------------------------------------------------------- SQL helpers


class _SQLitePercentile:
    """percentile_cont for SQLite, registered on the connection as an aggregate."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value: float | None, fraction: float) -> None:
        self.fraction = fraction
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        return percentile_cont(self.values, self.fraction)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """The continuous percentile of `values`, as PostgreSQL's percentile_cont computes it."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    below = math.floor(position)
    above = math.ceil(position)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


class Percentile(Aggregate):
    """The continuous percentile of an expression; NULLs are ignored.

    PostgreSQL: `percentile_cont(f) WITHIN GROUP (ORDER BY x)`. SQLite has no such
    aggregate built in, so the same computation is registered on the connection.
    """

    name = "Percentile"
    function = "percentile_cont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)r) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        if not 0.0 <= float(fraction) <= 1.0:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=float(fraction), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        connection.ensure_connection()
        connection.connection.create_aggregate("kds_percentile_cont", 2, _SQLitePercentile)
        copy = self.copy()
        copy.template = "kds_percentile_cont(%(expressions)s, %(fraction)r)"
        return super(Percentile, copy).as_sql(compiler, connection, **extra)


@contextmanager
def _reporting() -> Iterator[None]:
    """Runs a report's queries in one transaction tuned for a few large aggregates.

    On PostgreSQL, for that transaction only: no JIT compilation (it costs more than
    it saves on queries that run a fraction of a second, and hundreds of
    milliseconds on a busy server); enough work_mem to sort a year of ticket times
    in memory rather than on disk; and the random-read cost of an SSD or a warm
    cache, so that a period of days is read through the indexes on placed_at and
    order_id instead of by scanning every line ever sold.
    """
    if connection.vendor != "postgresql":
        # Not on SQLite: its transactions start IMMEDIATE here, taking the write lock.
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL random_page_cost = 1.1")
        yield


def _report(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _reporting():
            return fn(*args, **kwargs)

    return wrapper


# --------------------------------------------------------------------------- scope


class Period:
    TODAY = "today"
    YESTERDAY = "yesterday"
    LAST_7 = "7d"
    LAST_30 = "30d"
    CUSTOM = "custom"

    choices = [
        (TODAY, _("Today")),
        (YESTERDAY, _("Yesterday")),
        (LAST_7, _("Last 7 days")),
        (LAST_30, _("Last 30 days")),
        (CUSTOM, _("Custom")),
    ]


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: orders of one restaurant placed in [start, end)."""

    restaurant: Restaurant
    first_day: date
    last_day: date
    station_id: int | None = None
    channel: str | None = None

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.restaurant.time_zone)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        """Exclusive: midnight after the last day, in the restaurant's time zone."""
        return datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=self.tz)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


def restaurant_today(*, restaurant: Restaurant, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), zoneinfo.ZoneInfo(restaurant.time_zone)).date()


def report_scope(
    *,
    restaurant: Restaurant,
    period: str,
    start: date | None = None,
    end: date | None = None,
    station_id: int | None = None,
    channel: str | None = None,
    now: datetime | None = None,
) -> ReportScope:
    """The days a period covers, counted in the restaurant's time zone; "last 7 days" ends today."""
    today = restaurant_today(restaurant=restaurant, now=now)
    if period == Period.TODAY:
        first, last = today, today
    elif period == Period.YESTERDAY:
        first = last = today - timedelta(days=1)
    elif period == Period.LAST_7:
        first, last = today - timedelta(days=6), today
    elif period == Period.LAST_30:
        first, last = today - timedelta(days=29), today
    elif period == Period.CUSTOM:
        if start is None or end is None:
            raise ValueError("a custom period needs a start and an end")
        first, last = min(start, end), max(start, end)
    else:
        raise ValueError(f"unknown period {period!r}")
    return ReportScope(
        restaurant=restaurant,
        first_day=first,
        last_day=last,
        station_id=station_id,
        channel=channel or None,
    )


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Stats:
    """Durations in seconds. `late` is None where lateness does not apply (ready to served)."""

    count: int
    median: float | None
    mean: float | None
    p90: float | None
    late: int | None = None

    @property
    def late_share(self) -> float | None:
        if self.late is None or not self.count:
            return None
        return self.late / self.count


@dataclass(frozen=True)
class Headline:
    orders: int
    cancelled: int
    dishes: int
    voided: int
    prep: Stats
    to_serve: Stats


@dataclass(frozen=True)
class StationRow:
    station_id: int
    name: str
    colour: str
    orders: int
    dishes: int
    voided: int
    prep: Stats


@dataclass(frozen=True)
class DishRow:
    menu_item_id: int
    name: str
    name_zh: str
    target_minutes: int
    dishes: int
    prep: Stats

    @property
    def over_target(self) -> float | None:
        """Seconds the median exceeds the target prep time by (negative: under)."""
        if self.prep.median is None:
            return None
        return self.prep.median - self.target_minutes * 60


@dataclass(frozen=True)
class DishReport:
    slowest: list[DishRow]
    most_late: list[DishRow]


@dataclass(frozen=True)
class HourRow:
    hour: int
    orders: int
    tickets: int
    median: float | None


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    label: str
    orders: int
    cancelled: int
    dishes: int
    prep: Stats
    to_serve: Stats


# --------------------------------------------------------------------------- querysets


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


def _late_after(scope: ReportScope, stations: dict[int, int]) -> Case:
    """Seconds after which a ticket is late: the dish's threshold, else its station's.

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
            When(menu_item_id=pk, then=Value((minutes or 0) * 60))
            for pk, minutes in dishes.values_list("pk", "late_minutes")
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
    late = Q(secs__gt=F("late_after"))
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


# --------------------------------------------------------------------------- reports


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
        .annotate(dishes=Sum("quantity", default=0), **_ticket_aggregates())
        .order_by()
    )
    found = {row["menu_item_id"]: row for row in _rows(rows) if row["t_count"]}
    menu = MenuItem.objects.filter(pk__in=list(found)).only("name", "name_zh", "prep_minutes")
    dishes = [
        DishRow(
            menu_item_id=item.pk,
            name=item.name,
            name_zh=item.name_zh,
            target_minutes=item.prep_minutes,
            dishes=found[item.pk]["dishes"],
            prep=_ticket_stats(found[item.pk]),
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
