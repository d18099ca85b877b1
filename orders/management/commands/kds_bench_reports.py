"""Times each report function against a seeded history (see kds_seed_history).

    manage.py kds_bench_reports [--restaurant SLUG] [--runs 7] [--periods 1,7,30,365]

For each period ending today it runs every report several times after one warm-up
run and prints the median and 95th percentile, next to a baseline measured in the
same run: COUNT(*) of the lines of the orders in the period, the cheapest aggregate
over the same rows.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from tqdm import tqdm

from orders import reports
from orders.models import Line, LineStation, Order, OrderEvent, Restaurant

REPORTS: dict[str, Callable[[reports.ReportScope], Any]] = {
    "headline": lambda scope: reports.headline(scope=scope),
    "by_station": lambda scope: reports.by_station(scope=scope),
    "by_dish": lambda scope: reports.by_dish(scope=scope),
    "by_hour": lambda scope: reports.by_hour(scope=scope),
    "by_channel": lambda scope: reports.by_channel(scope=scope),
}
BASELINE = "baseline: COUNT(*) of lines"


def _p95(samples: list[float]) -> float:
    return reports.percentile_cont(samples, 0.95) or 0.0


def _time(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


class Command(BaseCommand):
    help = "Times the speed-of-service reports against the seeded history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--restaurant", default="bench", help="Restaurant slug.")
        parser.add_argument("--runs", type=int, default=7, help="Timed runs per report.")
        parser.add_argument(
            "--periods",
            default="1,7,30,365",
            help="Comma-separated period lengths in days, each ending today.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        restaurant = Restaurant.objects.filter(slug=options["restaurant"]).first()
        if restaurant is None:
            raise CommandError(
                f"No restaurant {options['restaurant']!r}: run manage.py kds_seed_history first."
            )
        runs: int = max(1, options["runs"])
        try:
            periods = [int(p) for p in options["periods"].split(",") if p.strip()]
        except ValueError:
            raise CommandError("--periods takes whole numbers of days, e.g. 30,365") from None
        today = reports.restaurant_today(restaurant=restaurant)
        scopes = [
            reports.ReportScope(
                restaurant=restaurant, first_day=today - timedelta(days=days - 1), last_day=today
            )
            for days in periods
        ]
        self._describe(restaurant)
        functions: dict[str, Callable[[reports.ReportScope], Any]] = {
            BASELINE: lambda scope: reports.lines_in_range(scope=scope),
            **REPORTS,
        }
        results: dict[tuple[int, str], list[float]] = {}
        total = len(scopes) * len(functions) * (runs + 1)
        with tqdm(total=total, unit="run", desc="Timing", disable=options["no_progress"]) as bar:
            for scope in scopes:
                for name, fn in functions.items():
                    fn(scope)  # warm-up: caches, plans
                    bar.update()
                    samples = []
                    for _ in range(runs):
                        samples.append(_time(lambda fn=fn, scope=scope: fn(scope)))  # type: ignore[misc]
                        bar.update()
                    results[(scope.days, name)] = samples
        self._print(scopes, functions, results, runs)

    def _describe(self, restaurant: Restaurant) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                version = f"PostgreSQL {cursor.fetchone()[0]}"
            else:
                cursor.execute("SELECT sqlite_version()")
                version = f"SQLite {cursor.fetchone()[0]}"
        orders = Order.objects.filter(restaurant=restaurant)
        self.stdout.write(
            f"{version}; restaurant {restaurant.slug} ({restaurant.time_zone}): "
            f"{orders.count():,} orders, "
            f"{Line.objects.filter(order__restaurant=restaurant).count():,} lines, "
            f"{LineStation.objects.filter(line__order__restaurant=restaurant).count():,} tickets, "
            f"{OrderEvent.objects.filter(order__restaurant=restaurant).count():,} events"
        )

    def _print(
        self,
        scopes: list[reports.ReportScope],
        functions: dict[str, Any],
        results: dict[tuple[int, str], list[float]],
        runs: int,
    ) -> None:
        self.stdout.write(f"\n{runs} timed runs each, after one warm-up; times in milliseconds.\n")
        header = (
            f"{'period':>7}  {'lines':>8}  {'report':<28} {'median':>8} {'p95':>8} "
            f"{'× baseline':>10}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        slowest = 0.0
        for scope in scopes:
            lines = reports.lines_in_range(scope=scope)
            base = statistics.median(results[(scope.days, BASELINE)])
            for name in functions:
                samples = results[(scope.days, name)]
                median = statistics.median(samples)
                if name != BASELINE:
                    slowest = max(slowest, median)
                ratio = "" if name == BASELINE else f"{median / base:>10.1f}"
                self.stdout.write(
                    f"{scope.days:>5} d  {lines:>8,}  {name:<28} {median * 1000:>8.1f} "
                    f"{_p95(samples) * 1000:>8.1f} {ratio}"
                )
            page = sum(statistics.median(results[(scope.days, n)]) for n in REPORTS)
            self.stdout.write(
                f"{scope.days:>5} d  {lines:>8,}  {'whole page (sum of medians)':<28} "
                f"{page * 1000:>8.1f}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"\nSlowest report: {slowest * 1000:.1f} ms (median) on {connection.vendor}."
            )
        )
