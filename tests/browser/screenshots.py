"""Screenshots of a populated station screen at 1920×1080 and 1280×800.

    .venv/bin/python -m tests.browser.screenshots [out_dir] [--extra]

Starts a real Daphne on a throw-away SQLite database, posts a realistic set of orders
through the webhook (on time, warning, late, rush, VIP, NEW and VOID lines, an allergy,
a dish not on the menu, a cancelled order), and saves docs/screenshots/station-*.png.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.browser.shots import (
    BASE_DIR,
    FREEZE,
    order_poster,
    paired_page,
    shooting,
    shots_django,
)


def _ago(minutes: float) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()


def _orders() -> list[dict[str, Any]]:
    from tests.factories import order_body

    return [
        order_body(
            "s-1",
            number="1041",
            table="12",
            placed_at=_ago(11.3),
            items=[
                {
                    "id": "a",
                    "sku": "KPC",
                    "name": "Kung Pao Chicken",
                    "quantity": 2,
                    "modifiers": ["Extra chilli"],
                    "notes": "Guest has a peanut allergy",
                },
                {
                    "id": "b",
                    "sku": "MAPO",
                    "name": "Mapo Tofu",
                    "quantity": 1,
                    "modifiers": ["Mild"],
                },
            ],
        ),
        order_body(
            "s-2",
            number="1042",
            channel="takeout",
            customer_name="Li Wei",
            priority="rush",
            placed_at=_ago(6.2),
            items=[
                {"id": "a", "sku": "DANDAN", "name": "Dan Dan Noodles", "quantity": 3},
                {"id": "b", "sku": "ROLLS", "name": "Spring Rolls", "quantity": 2},
            ],
        ),
        order_body(
            "s-3",
            number="1043",
            channel="delivery",
            customer_name="Sam (courier 4)",
            priority="vip",
            placed_at=_ago(2.1),
            items=[
                {"id": "a", "sku": "PORK", "name": "Twice-cooked Pork", "quantity": 1},
                {
                    "id": "b",
                    "name": "Chef's Market Special",
                    "quantity": 1,
                    "modifiers": ["Ask the chef"],
                },
            ],
        ),
        order_body(
            "s-4",
            number="1044",
            table="4",
            placed_at=_ago(3.4),
            items=[
                {"id": "a", "sku": "MAPO", "name": "Mapo Tofu", "quantity": 2},
                {"id": "b", "sku": "SOUP", "name": "Hot and Sour Soup", "quantity": 1},
            ],
        ),
        order_body(
            "s-5",
            number="1045",
            channel="drive_thru",
            customer_name="Lane 2",
            placed_at=_ago(1.0),
            items=[
                {
                    "id": "a",
                    "sku": "DUMP",
                    "name": "Pork Dumplings",
                    "quantity": 12,
                    "modifiers": ["Steamed", "Black vinegar on the side"],
                },
                {"id": "b", "sku": "RICE", "name": "Egg Fried Rice", "quantity": 1},
            ],
        ),
        order_body(
            "s-6",
            number="1046",
            table="9",
            placed_at=_ago(4.6),
            items=[{"id": "a", "sku": "KPC", "name": "Kung Pao Chicken", "quantity": 1}],
        ),
        order_body(
            "s-7",
            number="1047",
            table="15",
            placed_at=_ago(0.4),
            notes="Birthday: candle on dessert",
            items=[
                {
                    "id": "a",
                    "sku": "DANDAN",
                    "name": "Dan Dan Noodles",
                    "quantity": 1,
                    "modifiers": ["No pork", "Extra greens"],
                },
                {"id": "b", "sku": "ROLLS", "name": "Spring Rolls", "quantity": 1},
            ],
        ),
    ]


def main(out_dir: Path, *, extra: bool = False) -> None:
    tmp, env = shots_django("kds-shots-")
    import httpx

    from orders.models import LineStation, MenuItem, Screen
    from tests import factories

    kitchen = factories.make_kitchen("shots")
    kitchen.fallback.name = "Wok"
    kitchen.fallback.save()
    for sku, name, allergens in [
        ("KPC", "Kung Pao Chicken", "peanut"),
        ("MAPO", "Mapo Tofu", "soy"),
        ("DANDAN", "Dan Dan Noodles", "gluten, sesame"),
        ("ROLLS", "Spring Rolls", ""),
        ("PORK", "Twice-cooked Pork", ""),
        ("SOUP", "Hot and Sour Soup", ""),
        ("DUMP", "Pork Dumplings", "gluten"),
        ("RICE", "Egg Fried Rice", "egg"),
    ]:
        MenuItem.objects.create(
            restaurant=kitchen.restaurant, sku=sku, name=name, allergens=allergens
        )

    with shooting(tmp, env, out_dir) as (server, browser):
        with httpx.Client(timeout=10) as client:
            post = order_poster(client, server.url, kitchen)

            orders = _orders()
            for body in orders:
                post(body)
            # #1044 changed: the soup is off, fried rice is added.
            update = dict(orders[3])
            update["type"] = "order.updated"
            update["timestamp"] = factories.now_rfc3339()
            update["data"] = {
                **orders[3]["data"],
                "items": [
                    orders[3]["data"]["items"][0],
                    {"id": "c", "sku": "RICE", "name": "Egg Fried Rice", "quantity": 1},
                ],
            }
            post(update)
            post(factories.order_body("s-6", kind="order.cancelled"))
        # On #1045 the rice is done.
        LineStation.objects.filter(
            line__order__external_id="s-5", line__external_id="b", station=kitchen.fallback
        ).update(state="ready", ready_at=datetime.now(UTC))

        for width, height in [(1920, 1080), (1280, 800)]:
            screen = Screen.objects.create(
                restaurant=kitchen.restaurant, station=kitchen.fallback, name=f"Wall {width}"
            )
            context, page = paired_page(
                browser, server.url, screen, {"width": width, "height": height}
            )
            page.wait_for_selector(".ticket")
            page.wait_for_selector("[data-link-state].is-online")
            page.wait_for_timeout(1200)
            # Freeze the pulse at its brightest so the screenshot shows it.
            page.add_style_tag(content=FREEZE)
            page.screenshot(path=str(out_dir / f"station-{width}.png"))
            if extra and width == 1280:
                page.keyboard.press("?")
                page.screenshot(path=str(out_dir / "station-1280-help.png"))
                page.keyboard.press("Escape")
                page.keyboard.press("r")
                page.wait_for_timeout(500)
                page.screenshot(path=str(out_dir / "station-1280-recall.png"))
                page.keyboard.press("Escape")
                server.kill()
                page.wait_for_selector("#offline", state="visible", timeout=10000)
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out_dir / "station-1280-offline.png"))
            context.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--extra"]
    main(Path(args[0]) if args else BASE_DIR / "docs" / "screenshots", extra="--extra" in sys.argv)
