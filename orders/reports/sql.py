"""What the reports need from the database: percentiles on both engines, read-only snapshots."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    FloatField,
)

P = ParamSpec("P")
R = TypeVar("R")


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
