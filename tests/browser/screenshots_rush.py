"""Screenshots of the screens at the peak, for docs/screens.md.

    .venv/bin/python -m tests.browser.screenshots_rush [out_dir]

Starts a real Daphne on a throw-away SQLite database with 120 open tickets at the wok
(a rush ticket with a peanut allergy sent last, VIPs, late and hurrying tickets, held
second courses), some of them ready at the pass, and a second restaurant's pick-up
board with 150 numbers. Saves, in English and Chinese at 1920×1080 and 1024×768: the
busy station (rush-station-*), expo (rush-expo-*), front of house (rush-foh-*) and the
pick-up board (rush-pickup-*); and the station as seen with deuteranopia and with
protanopia (rush-station-deuteranopia-1920.png, rush-station-protanopia-1920.png),
simulated with an SVG feColorMatrix filter (Machado et al. 2009, severity 1) over the
whole page.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.browser.shots import (
    BASE_DIR,
    FREEZE,
    each_language_and_size,
    order_poster,
    paired_page,
    runner_cookie,
    shooting,
    shots_django,
    signed_in_context,
)

SIZES = [(1920, 1080), (1024, 768)]
DISHES = [
    ("MAPO", "Mapo Tofu", "麻婆豆腐", "soy"),
    ("KPC", "Kung Pao Chicken", "宫保鸡丁", "peanut, soy"),
    ("DANDAN", "Dan Dan Noodles", "担担面", "wheat, sesame"),
    ("RICE", "Egg Fried Rice", "蛋炒饭", "egg"),
    ("ROLLS", "Spring Rolls", "春卷", ""),
    ("DUCK", "Peking Duck", "北京烤鸭", "wheat"),
    ("FRIES", "Fries", "薯条", ""),
]
# Colour-blindness simulations: linear-RGB matrices (rows R, G, B).
SIMULATIONS = {
    "deuteranopia": [
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ],
    "protanopia": [
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ],
}


def _simulate(page: Any, matrix: list[tuple[float, float, float]]) -> None:
    values = " ".join(f"{r} {g} {b} 0 0" for r, g, b in matrix) + " 0 0 0 1 0"
    page.evaluate(
        """values => {
          const ns = "http://www.w3.org/2000/svg";
          const svg = document.createElementNS(ns, "svg");
          svg.setAttribute("width", "0"); svg.setAttribute("height", "0");
          svg.style.position = "absolute";
          const filter = document.createElementNS(ns, "filter");
          filter.id = "cvd";
          filter.setAttribute("color-interpolation-filters", "linearRGB");
          const m = document.createElementNS(ns, "feColorMatrix");
          m.setAttribute("type", "matrix");
          m.setAttribute("values", values);
          filter.append(m); svg.append(filter); document.body.append(svg);
          document.documentElement.style.filter = "url(#cvd)";
        }""",
        values,
    )


def _items(n: int) -> list[dict[str, Any]]:
    skus = [d[0] for d in DISHES[:5]]
    names = {d[0]: d[1] for d in DISHES}
    picks = [skus[n % 5], skus[(n + 2) % 5]][: 1 + n % 2]
    return [
        {"id": f"l-{i}", "sku": sku, "name": names[sku], "quantity": 1 + (n + i) % 3}
        for i, sku in enumerate(picks)
    ]


def _orders() -> list[dict[str, Any]]:
    from tests.factories import order_body

    now = datetime.now(UTC)
    bodies = []
    for n in range(1, 111):
        minutes = max(0.2, 14 - n * 0.12)  # the oldest late, then hurrying, then on time
        extra: dict[str, Any] = {}
        if n in (40, 75):
            extra["priority"] = "vip"
        if n == 60:
            extra["notes"] = "Sesame allergy"
        bodies.append(
            order_body(
                f"o-{n}",
                number=str(3000 + n),
                table=str(n % 40 + 1),
                placed_at=(now - timedelta(minutes=minutes)).isoformat(),
                items=_items(n),
                **extra,
            )
        )
    for n in range(111, 120):  # held: the fryer's course first, the duck waits
        bodies.append(
            order_body(
                f"o-{n}",
                number=str(3000 + n),
                table=str(n % 40 + 1),
                items=[
                    {"id": "l-1", "sku": "FRIES", "name": "Fries", "quantity": 1, "course": 1},
                    {"id": "l-2", "sku": "DUCK", "name": "Peking Duck", "quantity": 1, "course": 2},
                ],
            )
        )
    bodies.append(
        order_body(
            "o-rush",
            number="3999",
            table="7",
            priority="rush",
            notes="PEANUT ALLERGY",
            items=[{"id": "l-1", "sku": "KPC", "name": "Kung Pao Chicken", "quantity": 2}],
        )
    )
    return bodies


def main(out_dir: Path) -> None:
    tmp, env = shots_django("kds-rush-shots-")
    import httpx
    from django.db import transaction
    from django.utils import timezone

    from orders.actions.cooking import ticket_bump
    from orders.live.sequence import stations_touch
    from orders.models import MenuItem, Order, OrderStatus, Restaurant, RoutingRule, Screen, Station
    from tests import factories

    kitchen = factories.make_kitchen("shots")
    kitchen.fallback.name = "Wok"
    kitchen.fallback.save()
    fryer = Station.objects.create(
        restaurant=kitchen.restaurant, name="Fryer", slug="fryer", position=2
    )
    for sku, name, name_zh, allergens in DISHES:
        item = MenuItem.objects.create(
            restaurant=kitchen.restaurant, sku=sku, name=name, name_zh=name_zh, allergens=allergens
        )
        if sku == "FRIES":
            rule = RoutingRule.objects.create(
                restaurant=kitchen.restaurant, menu_item=item, position=1
            )
            rule.stations.add(fryer)
    shop = factories.make_kitchen("pickup-shots")

    def fill(server: Any) -> None:
        """The orders, some bumped, and the pick-up numbers: before the browser starts, as
        the bumps broadcast through async_to_sync."""
        with httpx.Client(timeout=10) as client:
            post = order_poster(client, server.url, kitchen)
            for body in _orders():
                post(body)
            # A few tickets done at the wok: ready at the pass, waiting there.
            wok_screen = Screen.objects.create(
                restaurant=kitchen.restaurant, station=kitchen.fallback, name="Bumper"
            )
            for order in Order.objects.filter(number__in=[str(3000 + n) for n in range(1, 13)]):
                ticket_bump(order=order, station=kitchen.fallback, screen=wok_screen)
            ready = Order.objects.filter(status=OrderStatus.READY).order_by("pk")
            for i, order in enumerate(ready):
                Order.objects.filter(pk=order.pk).update(
                    ready_at=timezone.now() - timedelta(minutes=i * 0.8)
                )
            post_shop = order_poster(client, server.url, shop)
            for n in range(1, 151):
                post_shop(factories.order_body(f"p-{n}", number=str(n), channel="takeout"))
            Order.objects.filter(
                restaurant=shop.restaurant, number__in=[str(n) for n in range(1, 61)]
            ).update(status=OrderStatus.READY, ready_at=timezone.now())
            with transaction.atomic():
                stations_touch(
                    station_ids=list(Station.objects.values_list("pk", flat=True)), reason="shots"
                )

    with shooting(tmp, env, out_dir, before_browser=fill) as (server, browser):
        cookie = runner_cookie()

        def shoot(page: Any, name: str) -> None:
            """Waits for the page to be live and settled, then saves it."""
            page.wait_for_selector("[data-link-state].is-online")
            page.wait_for_timeout(1500)
            page.screenshot(path=str(out_dir / name))

        n = 0
        for language, suffix, width, height in each_language_and_size(SIZES):
            Restaurant.objects.update(language=language)
            n += 1
            viewport: Any = {"width": width, "height": height}
            for station, name in (
                (kitchen.fallback, "station"),
                (kitchen.expo, "expo"),
            ):
                screen = Screen.objects.create(
                    restaurant=kitchen.restaurant, station=station, name=f"{name} {n}"
                )
                context, page = paired_page(browser, server.url, screen, viewport, bypass_csp=True)
                page.wait_for_selector("[data-link-state].is-online")
                page.wait_for_timeout(1200)
                page.add_style_tag(content=FREEZE)
                page.screenshot(path=str(out_dir / f"rush-{name}-{width}{suffix}.png"))
                if name == "station" and width == 1920 and not suffix:
                    for kind, matrix in SIMULATIONS.items():
                        _simulate(page, matrix)
                        page.screenshot(path=str(out_dir / f"rush-station-{kind}-1920.png"))
                        page.evaluate(
                            "document.querySelector('svg filter#cvd').closest('svg').remove()"
                        )
                context.close()

            context = signed_in_context(browser, server.url, cookie, viewport)
            page = context.new_page()
            page.goto(f"{server.url}/foh/")
            shoot(page, f"rush-foh-{width}{suffix}.png")
            context.close()

            context = browser.new_context(viewport=viewport, bypass_csp=True)
            page = context.new_page()
            page.goto(f"{server.url}/pickup/#{factories.pickup_code(shop.restaurant)}")
            shoot(page, f"rush-pickup-{width}{suffix}.png")
            context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASE_DIR / "docs" / "screenshots")
