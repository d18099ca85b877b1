"""Screenshots of a Chinese kitchen, for docs/screens.md: a station, expo and the
front-of-house tablet with the menu's Chinese dish names and translated allergens, and
the same kitchen's expo screen set to English, at 1920×1080 and 1024×768.

    .venv/bin/python -m tests.browser.screenshots_chinese [out_dir]

Starts a real Daphne on a throw-away SQLite database, posts signed orders, pairs the
screens in headless Chromium and signs a runner in for the tablet.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from tests.browser.shots import (
    BASE_DIR,
    FREEZE,
    order_poster,
    paired_page,
    runner_cookie,
    shooting,
    shots_django,
)

SIZES = [(1920, 1080), (1024, 768)]
MENU = [
    ("MAPO", "Mapo Tofu", "麻婆豆腐", "soy"),
    ("KPC", "Kung Pao Chicken", "宫保鸡丁", "peanut, sesame"),
    ("DANDAN", "Dan Dan Noodles", "担担面", "peanut, wheat, sesame"),
    ("RICE", "Egg Fried Rice", "蛋炒饭", "egg"),
    ("CUKE", "Smashed Cucumber", "拍黄瓜", "sesame"),
    ("CIBA", "Brown Sugar Ciba", "红糖糍粑", ""),
]


def _setup() -> Any:
    from orders.models import MenuItem, Restaurant, RoutingRule, Station
    from tests import factories

    kitchen = factories.make_kitchen("shots")
    Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(
        name="川味小馆 Sichuan House", language="zh-hans", time_zone="Asia/Shanghai"
    )
    Station.objects.filter(pk=kitchen.fallback.pk).update(name="炒锅 Wok")
    Station.objects.filter(pk=kitchen.expo.pk).update(name="出餐口 Expo")
    cold = Station.objects.create(
        restaurant=kitchen.restaurant, name="凉菜 Cold", slug="cold", position=2, colour="#0ea5e9"
    )
    for sku, name, name_zh, allergens in MENU:
        item = MenuItem.objects.create(
            restaurant=kitchen.restaurant,
            sku=sku,
            name=name,
            name_zh=name_zh,
            allergens=allergens,
        )
        if sku in ("CUKE", "CIBA"):
            rule = RoutingRule.objects.create(
                restaurant=kitchen.restaurant, menu_item=item, position=1
            )
            rule.stations.add(cold)
    kitchen.fallback.refresh_from_db()
    kitchen.expo.refresh_from_db()
    return kitchen, cold


def _orders(post: Any) -> None:
    from tests import factories

    def item(n: str, sku: str, quantity: int, **extra: Any) -> dict[str, Any]:
        name = next(m[1] for m in MENU if m[0] == sku)
        return {"id": n, "sku": sku, "name": name, "quantity": quantity, **extra}

    post(
        factories.order_body(
            "z-1",
            number="1061",
            table="8",
            items=[
                item("a", "MAPO", 2, modifiers=["特辣 extra hot"]),
                item("b", "RICE", 2),
                item("c", "CUKE", 1),
            ],
        )
    )
    post(
        factories.order_body(
            "z-2",
            number="1062",
            channel="takeout",
            customer_name="王小明",
            items=[item("a", "KPC", 1), item("b", "CIBA", 2)],
        )
    )
    post(
        factories.order_body(
            "z-3",
            number="1063",
            table="3",
            items=[item("a", "DANDAN", 3), item("b", "KPC", 1)],
        )
    )


def _ready(kitchen: Any, cold: Any) -> None:
    """The cold station has plated order 1061's cucumber and all of 1062's ciba; the wok
    has finished 1062: it is ready at the pass for the front of house."""
    from orders.actions import cooking
    from orders.models import Order, Screen

    bumper = Screen.objects.create(restaurant=kitchen.restaurant, station=cold, name="bumper")
    wok = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.fallback, name="w")
    for number, station, screen in (("1061", cold, bumper), ("1062", cold, bumper)):
        order = Order.objects.get(number=number)
        cooking.ticket_bump(order=order, station=station, screen=screen)
    cooking.ticket_bump(
        order=Order.objects.get(number="1062"), station=kitchen.fallback, screen=wok
    )


def _shoot(page: Any, path: Path) -> None:
    page.wait_for_timeout(800)
    page.add_style_tag(content=FREEZE)
    page.screenshot(path=str(path))


def main(out_dir: Path) -> None:
    tmp, env = shots_django("kds-shots-zh-")
    import httpx
    from django.conf import settings

    from orders.models import Screen
    from tests.factories import staff_groups

    kitchen, cold = _setup()
    staff_groups()

    def orders_ready(server: Any) -> None:
        """Before the browser starts, as the bumps broadcast through async_to_sync."""
        with httpx.Client(timeout=10) as client:
            _orders(order_poster(client, server.url, kitchen))
        _ready(kitchen, cold)

    with shooting(tmp, env, out_dir, before_browser=orders_ready) as (server, browser):
        session = runner_cookie()
        for width, height in SIZES:
            viewport = {"width": width, "height": height}
            shots = [
                (kitchen.fallback, "", "station-zh-names", ".ticket"),
                (kitchen.expo, "", "expo-zh-names", ".xticket"),
                (kitchen.expo, "en", "expo-en-in-a-chinese-kitchen", ".xticket"),
            ]
            for station, language, name, ready in shots:
                screen = Screen.objects.create(
                    restaurant=kitchen.restaurant,
                    station=station,
                    name=f"{name}-{width}",
                    language=language,
                )
                context, page = paired_page(browser, server.url, screen, viewport)
                page.wait_for_selector(ready)
                _shoot(page, out_dir / f"{name}-{width}.png")
                context.close()
            context = browser.new_context(viewport=viewport)
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": server.url}]
            )
            page = context.new_page()
            page.goto(f"{server.url}/foh/")
            page.wait_for_selector(".foh-dish")
            _shoot(page, out_dir / f"foh-zh-names-{width}.png")
            context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASE_DIR / "docs" / "screenshots")
