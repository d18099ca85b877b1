"""Seeds a long, realistic order history for the reports and their benchmark.

    manage.py kds_seed_history --lines 500000 [--days 365] [--restaurant SLUG] [--restaurants N]

Orders are spread over the last DAYS days with lunch and dinner peaks and busier
weekends, every one of them finished (served or cancelled), with the event log a
real kitchen writes: received, fired, bumped, line_voided, ready, served, cancelled.
Rows go in with bulk_create in batches; a progress bar counts the lines. With
`--restaurants N` the lines are spread over a chain, SLUG-1 … SLUG-N, each store with
its own random stream, so their figures differ as real stores' do.
"""

from __future__ import annotations

import math
import random
import time
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from orders.models import (
    Channel,
    EventKind,
    Line,
    LineStation,
    LineStatus,
    MenuCategory,
    MenuItem,
    Order,
    OrderEvent,
    OrderSource,
    OrderStatus,
    Restaurant,
    Station,
    StationKind,
    TicketState,
)

# Station slug -> (name, late minutes, how much slower than the target it tends to be).
STATIONS = {
    "grill": ("Grill", 15, 0.95),
    "wok": ("Wok", 10, 1.10),
    "fryer": ("Fryer", 9, 0.85),
    "cold": ("Cold", 6, 0.75),
    "pastry": ("Pastry", 10, 0.90),
}
# (sku, English, Chinese, category, station, prep minutes)
MENU = [
    ("GR-RIBEYE", "Ribeye steak", "肉眼牛排", "Grill", "grill", 12),
    ("GR-LAMB", "Cumin lamb skewers", "孜然羊肉串", "Grill", "grill", 8),
    ("GR-CHICKEN", "Grilled chicken thigh", "烤鸡腿", "Grill", "grill", 10),
    ("GR-FISH", "Grilled sea bass", "烤鲈鱼", "Grill", "grill", 11),
    ("GR-PORK", "Char siu pork", "叉烧", "Grill", "grill", 9),
    ("WK-KUNGPAO", "Kung pao chicken", "宫保鸡丁", "Wok", "wok", 7),
    ("WK-MAPO", "Mapo tofu", "麻婆豆腐", "Wok", "wok", 6),
    ("WK-BEEF", "Dry-fried beef", "干煸牛肉丝", "Wok", "wok", 8),
    ("WK-NOODLE", "Dan dan noodles", "担担面", "Wok", "wok", 5),
    ("WK-RICE", "Yangzhou fried rice", "扬州炒饭", "Wok", "wok", 5),
    ("WK-GREENS", "Garlic greens", "蒜蓉青菜", "Wok", "wok", 4),
    ("WK-FISH", "Boiled fish in chilli oil", "水煮鱼", "Wok", "wok", 10),
    ("FR-WINGS", "Salt and pepper wings", "椒盐鸡翅", "Fryer", "fryer", 7),
    ("FR-SPRING", "Spring rolls", "春卷", "Fryer", "fryer", 5),
    ("FR-SQUID", "Crispy squid", "椒盐鱿鱼", "Fryer", "fryer", 6),
    ("FR-FRIES", "Fries", "薯条", "Fryer", "fryer", 4),
    ("CD-CUCUMBER", "Smashed cucumber", "拍黄瓜", "Cold", "cold", 3),
    ("CD-CHICKEN", "Saliva chicken", "口水鸡", "Cold", "cold", 4),
    ("CD-TOFU", "Century egg tofu", "皮蛋豆腐", "Cold", "cold", 3),
    ("CD-SALAD", "Seaweed salad", "凉拌海带", "Cold", "cold", 2),
    ("PS-MANGO", "Mango pudding", "芒果布丁", "Pastry", "pastry", 3),
    ("PS-SESAME", "Sesame balls", "芝麻球", "Pastry", "pastry", 6),
    ("PS-TART", "Egg tarts", "蛋挞", "Pastry", "pastry", 5),
    ("PS-BUN", "Custard buns", "流沙包", "Pastry", "pastry", 7),
]
# Relative number of orders placed in each hour of the day.
HOURS = [0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 10, 18, 14, 6, 3, 4, 10, 17, 16, 11, 6, 3, 1]
CHANNELS = [
    (Channel.DINE_IN, 48),
    (Channel.TAKEOUT, 20),
    (Channel.DELIVERY, 24),
    (Channel.DRIVE_THRU, 8),
]
CANCEL_SHARE = 0.015
VOID_SHARE = 0.02


# Restaurants one run may seed (`--restaurants`).
MAX_CHAIN = 1000


@dataclass
class Kitchen:
    restaurant: Restaurant
    source: OrderSource
    stations: dict[str, Station]
    menu: list[tuple[MenuItem, Station, float]]


def _kitchen(slug: str) -> Kitchen:
    restaurant, _ = Restaurant.objects.get_or_create(
        slug=slug, defaults={"name": f"Benchmark kitchen ({slug})", "time_zone": "Asia/Shanghai"}
    )
    source, _ = OrderSource.objects.get_or_create(
        slug=f"{slug}-history", defaults={"restaurant": restaurant, "name": "History seed"}
    )
    has_fallback = Station.objects.filter(restaurant=restaurant, is_fallback=True).exists()
    stations: dict[str, Station] = {}
    for position, (station_slug, (name, late, _slow)) in enumerate(STATIONS.items(), start=1):
        stations[station_slug], _ = Station.objects.get_or_create(
            restaurant=restaurant,
            slug=station_slug,
            defaults={
                "name": name,
                "position": position,
                "late_minutes": late,
                "warning_minutes": max(1, late - 3),
                "kind": StationKind.PREP,
                "is_fallback": not has_fallback and station_slug == "wok",
            },
        )
    Station.objects.get_or_create(
        restaurant=restaurant,
        slug="expo",
        defaults={"name": "Expo", "kind": StationKind.EXPO, "position": 99},
    )
    menu = []
    for position, category_name in enumerate(dict.fromkeys(row[3] for row in MENU)):
        MenuCategory.objects.get_or_create(
            restaurant=restaurant, name=category_name, defaults={"position": position}
        )
    categories = {c.name: c for c in MenuCategory.objects.filter(restaurant=restaurant)}
    for sku, name, name_zh, category, station_slug, prep in MENU:
        item, _ = MenuItem.objects.get_or_create(
            restaurant=restaurant,
            sku=sku,
            defaults={
                "name": name,
                "name_zh": name_zh,
                "category": categories[category],
                "prep_minutes": prep,
            },
        )
        menu.append((item, stations[station_slug], STATIONS[station_slug][2]))
    return Kitchen(restaurant, source, stations, menu)


class Command(BaseCommand):
    help = "Seeds a long order history (orders, lines, tickets, events) for the reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lines", type=int, default=500_000, help="Order lines to create.")
        parser.add_argument("--days", type=int, default=365, help="Days of history, ending now.")
        parser.add_argument(
            "--restaurant",
            default="bench",
            help="Restaurant slug; created with stations and a menu if missing.",
        )
        parser.add_argument(
            "--restaurants",
            type=int,
            default=1,
            help=f"A chain: the lines spread over N restaurants SLUG-1 … SLUG-N, 1 to {MAX_CHAIN}.",
        )
        parser.add_argument("--seed", type=int, default=7, help="Random seed, for repeatable runs.")
        parser.add_argument("--batch", type=int, default=2000, help="Orders per transaction.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        lines_wanted: int = options["lines"]
        days: int = options["days"]
        if lines_wanted < 1 or days < 1:
            self.stderr.write("--lines and --days must be at least 1")
            raise SystemExit(2)
        chain: int = options["restaurants"]
        if not 1 <= chain <= MAX_CHAIN:
            raise CommandError(f"--restaurants must be between 1 and {MAX_CHAIN}")
        if chain > lines_wanted:
            raise CommandError("--lines must be at least --restaurants (a line per restaurant)")
        if chain == 1:
            self._seed(options["restaurant"], lines_wanted, days, options["seed"], options)
            return
        # Each store its own share and its own random stream, so the stores differ.
        for i in range(1, chain + 1):
            share = lines_wanted // chain + (1 if i <= lines_wanted % chain else 0)
            self._seed(f"{options['restaurant']}-{i}", share, days, options["seed"] + i, options)

    def _seed(self, slug: str, lines_wanted: int, days: int, seed: int, options: Any) -> None:
        started = time.monotonic()
        rng = random.Random(seed)
        kitchen = _kitchen(slug)
        tz = zoneinfo.ZoneInfo(kitchen.restaurant.time_zone)
        now = timezone.now()
        # Finished orders only: the history stops two hours ago.
        last_day = timezone.localtime(now - timedelta(hours=2), tz).date()
        run = f"{int(time.time())}-{rng.randrange(10**6):06d}"
        counts = {"orders": 0, "lines": 0, "tickets": 0, "events": 0}
        progress = tqdm(
            total=lines_wanted,
            unit="line",
            desc="Seeding",
            disable=options["no_progress"],
            smoothing=0.05,
        )
        day_weights = [
            1.35 if (last_day - timedelta(days=d)).weekday() >= 4 else 1.0 for d in range(days)
        ]
        while counts["lines"] < lines_wanted:
            batch: list[tuple[datetime, list[Any]]] = []
            planned = counts["lines"]
            while len(batch) < options["batch"] and planned < lines_wanted:
                day_offset = rng.choices(range(days), weights=day_weights)[0]
                day = last_day - timedelta(days=day_offset)
                hour = rng.choices(range(24), weights=HOURS)[0]
                placed = datetime(
                    day.year,
                    day.month,
                    day.day,
                    hour,
                    rng.randrange(60),
                    rng.randrange(60),
                    tzinfo=tz,
                )
                if placed > now - timedelta(hours=2):
                    continue
                n_lines = min(lines_wanted - planned, max(1, round(rng.lognormvariate(1.0, 0.45))))
                planned += n_lines
                batch.append((placed, [rng.choice(kitchen.menu) for _ in range(n_lines)]))
            self._write(kitchen, batch, run=run, rng=rng, counts=counts, progress=progress)
        progress.close()
        elapsed = time.monotonic() - started
        rows = sum(counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {counts['orders']:,} orders, {counts['lines']:,} lines, "
                f"{counts['tickets']:,} tickets and {counts['events']:,} events for "
                f"{kitchen.restaurant.slug} over {days} days up to {last_day} "
                f"in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)."
            )
        )

    def _write(
        self,
        kitchen: Kitchen,
        batch: list[tuple[datetime, list[Any]]],
        *,
        run: str,
        rng: random.Random,
        counts: dict[str, int],
        progress: tqdm[Any],
    ) -> None:
        orders: list[Order] = []
        plans = []
        for placed, items in batch:
            counts["orders"] += 1
            channel = rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
            cancelled = rng.random() < CANCEL_SHARE
            # Busy hours slow the whole kitchen down.
            rush = 1.0 + 0.3 * HOURS[placed.hour] / max(HOURS)
            line_plans = []
            for position, (item, station, slowness) in enumerate(items):
                course = (
                    2
                    if channel == Channel.DINE_IN and item.prep_minutes >= 9 and rng.random() < 0.4
                    else 1
                )
                fired = placed + timedelta(
                    minutes=12 if course == 2 else 0,
                    seconds=rng.randrange(30) if course == 2 else 0,
                )
                target = item.prep_minutes * 60 * slowness * rush
                seconds = max(30.0, rng.lognormvariate(math.log(target), 0.3))
                quantity = 1 if rng.random() < 0.8 else rng.randint(2, 4)
                voided = rng.random() < VOID_SHARE
                # An order keeps at least one dish: voiding them all would be a cancel.
                voided = voided and position > 0
                line_plans.append(
                    (position, item, station, course, fired, seconds, quantity, voided)
                )
            ready = None
            if not cancelled:
                ready = max(
                    (p[4] + timedelta(seconds=p[5]) for p in line_plans if not p[7]), default=None
                )
            served = (
                ready + timedelta(seconds=max(10.0, rng.lognormvariate(math.log(100), 0.6)))
                if ready is not None
                else None
            )
            cancelled_at = placed + timedelta(minutes=rng.randint(1, 8)) if cancelled else None
            status = (
                OrderStatus.CANCELLED
                if cancelled
                else OrderStatus.SERVED
                if served is not None
                else OrderStatus.OPEN
            )
            orders.append(
                Order(
                    restaurant=kitchen.restaurant,
                    source=kitchen.source,
                    external_id=f"h-{run}-{counts['orders']}",
                    number=str(counts["orders"] % 1000),
                    channel=channel,
                    placed_at=placed,
                    received_at=placed,
                    state_at=placed,
                    status=status,
                    ready_at=ready,
                    served_at=served,
                    cancelled_at=cancelled_at,
                )
            )
            plans.append((line_plans, ready, served, cancelled_at))
        with transaction.atomic():
            Order.objects.bulk_create(orders, batch_size=2000)
            lines: list[Line] = []
            for order, (line_plans, _r, _s, _c) in zip(orders, plans, strict=True):
                for position, item, _station, course, _fired, _sec, quantity, voided in line_plans:
                    lines.append(
                        Line(
                            order=order,
                            external_id=f"l-{position}",
                            menu_item=item,
                            sku=item.sku,
                            name=item.name,
                            quantity=0 if voided else quantity,
                            voided_quantity=quantity if voided else 0,
                            course=course,
                            status=LineStatus.VOIDED if voided else LineStatus.ACTIVE,
                            created_at=order.placed_at,
                            position=position,
                        )
                    )
                    lines[-1].copy_order_facts(order)
            Line.objects.bulk_create(lines, batch_size=5000)
            tickets: list[LineStation] = []
            events: list[OrderEvent] = []
            cursor = iter(lines)
            for order, (line_plans, ready, served, cancelled_at) in zip(orders, plans, strict=True):
                events.append(
                    OrderEvent(
                        order=order,
                        kind=EventKind.RECEIVED,
                        at=order.placed_at,
                        source=kitchen.source,
                        data={"lines": len(line_plans)},
                    )
                )
                for _pos, _item, station, course, fired, seconds, quantity, voided in line_plans:
                    line = next(cursor)
                    bumped = fired + timedelta(seconds=seconds)
                    done = cancelled_at is None and not voided
                    ticket = LineStation(
                        line=line,
                        station=station,
                        state=TicketState.READY if done else TicketState.LIVE,
                        fired_at=fired,
                        ready_at=bumped if done else None,
                    )
                    ticket.copy_line_facts(line, order)  # the reports' copies
                    tickets.append(ticket)
                    if course == 2:
                        events.append(
                            OrderEvent(
                                order=order,
                                line=line,
                                station=station,
                                kind=EventKind.FIRED,
                                at=fired,
                            )
                        )
                    if voided:
                        events.append(
                            OrderEvent(
                                order=order,
                                line=line,
                                kind=EventKind.LINE_VOIDED,
                                at=fired + timedelta(seconds=seconds / 3),
                                source=kitchen.source,
                                data={"quantity": quantity, "remaining": 0},
                            )
                        )
                    elif done:
                        events.append(
                            OrderEvent(
                                order=order,
                                line=line,
                                station=station,
                                kind=EventKind.BUMPED,
                                at=bumped,
                            )
                        )
                if cancelled_at is not None:
                    events.append(
                        OrderEvent(
                            order=order,
                            kind=EventKind.CANCELLED,
                            at=cancelled_at,
                            source=kitchen.source,
                        )
                    )
                if ready is not None:
                    events.append(OrderEvent(order=order, kind=EventKind.READY, at=ready))
                if served is not None:
                    events.append(OrderEvent(order=order, kind=EventKind.SERVED, at=served))
            LineStation.objects.bulk_create(tickets, batch_size=5000)
            OrderEvent.objects.bulk_create(events, batch_size=5000)
        counts["lines"] += len(lines)
        counts["tickets"] += len(tickets)
        counts["events"] += len(events)
        progress.update(len(lines))
