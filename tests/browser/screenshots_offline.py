"""Screenshots of a station screen working offline, for docs/screens.md.

    .venv/bin/python -m tests.browser.screenshots_offline [out_dir]

Starts a real Daphne on a throw-away SQLite database and opens a station screen through a
TCP proxy, in English and in Chinese at 1920×1080 and 1024×768. It cuts the proxy, bumps a
ticket, readies a line and recalls the bumped ticket, and saves the screen with its
waiting actions (station-offline-waiting-*.png). Then, while the screen is still cut off,
the POS voids the readied dish; the network comes back and the screen shows the refusal
on the ticket (station-offline-refused-*.png).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from tests.browser.shots import (
    BASE_DIR,
    FREEZE,
    each_language_and_size,
    order_poster,
    paired_page,
    shooting,
    shots_django,
)

SIZES = [(1920, 1080), (1024, 768)]
DISHES = [
    ("MAPO", "Mapo Tofu", "麻婆豆腐"),
    ("KPC", "Kung Pao Chicken", "宫保鸡丁"),
    ("DANDAN", "Dan Dan Noodles", "担担面"),
    ("RICE", "Egg Fried Rice", "蛋炒饭"),
    ("ROLLS", "Spring Rolls", "春卷"),
]


def _order(n: int, minutes_ago: float, items: list[tuple[str, int]]) -> dict[str, Any]:
    from datetime import UTC, datetime, timedelta

    from tests.factories import order_body

    names = {sku: name for sku, name, _ in DISHES}
    return order_body(
        f"o-{n}",
        number=str(2100 + n),
        table=str(10 + n),
        placed_at=(datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat(),
        items=[
            {"id": f"l-{i}", "sku": sku, "name": names[sku], "quantity": qty}
            for i, (sku, qty) in enumerate(items)
        ],
    )


ORDERS = [
    (1, 6.5, [("MAPO", 1), ("RICE", 2)]),
    (2, 4.0, [("KPC", 2), ("DANDAN", 1)]),
    (3, 2.5, [("ROLLS", 3)]),
    (4, 1.0, [("DANDAN", 2), ("MAPO", 1)]),
]


def main(out_dir: Path) -> None:
    tmp, env = shots_django("kds-offline-shots-")
    import httpx

    from orders.models import MenuItem, Order, Restaurant, Screen
    from tests import factories
    from tests.chaos.cluster import TcpProxy

    kitchen = factories.make_kitchen("shots")
    kitchen.fallback.name = "Wok"
    kitchen.fallback.save()
    for sku, name, name_zh in DISHES:
        MenuItem.objects.create(restaurant=kitchen.restaurant, sku=sku, name=name, name_zh=name_zh)
    with shooting(tmp, env, out_dir) as (server, browser), httpx.Client(timeout=10) as client:
        proxy = TcpProxy(server.port)
        proxy.start()
        try:
            post = order_poster(client, server.url, kitchen)
            round_ = 0
            for language, suffix, width, height in each_language_and_size(SIZES):
                Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(language=language)
                round_ += 1
                Order.objects.all().delete()
                for n, ago, items in ORDERS:
                    body = _order(n, ago, items)
                    body["data"]["id"] = body["data"]["id"] + f"-{round_}"
                    post(body)
                orders = list(Order.objects.order_by("placed_at"))
                screen = Screen.objects.create(
                    restaurant=kitchen.restaurant,
                    station=kitchen.fallback,
                    name=f"Wall {round_}",
                )
                context, page = paired_page(
                    browser,
                    f"http://127.0.0.1:{proxy.port}",
                    screen,
                    {"width": width, "height": height},
                )
                page.wait_for_selector("[data-link-state].is-online")

                proxy.cut()
                page.wait_for_selector("#offline", state="visible", timeout=20000)
                first, second = orders[0], orders[1]
                page.click(f"#t{first.pk} .ticket-head")
                line = page.locator(f"#t{second.pk} .line").first
                line.click()
                page.keyboard.press("r")
                page.click("#recall [data-action='recall']")
                page.wait_for_timeout(1500)  # the marks show after a moment
                page.add_style_tag(content=FREEZE)
                page.screenshot(path=str(out_dir / f"station-offline-waiting-{width}{suffix}.png"))

                # Meanwhile the POS voids the dish the cook readied: refused when it arrives.
                voided = _order(2, 4.0, [("DANDAN", 1)])
                voided["type"] = "order.updated"
                voided["timestamp"] = factories.now_rfc3339()
                voided["data"]["id"] = second.external_id
                voided["data"]["items"] = [
                    {"id": "l-1", "sku": "DANDAN", "name": "Dan Dan Noodles", "quantity": 1}
                ]
                post(voided)
                proxy.restore()
                page.wait_for_selector(f"#t{second.pk} .refusal", timeout=30000)
                page.wait_for_selector("#offline", state="hidden", timeout=30000)
                page.screenshot(path=str(out_dir / f"station-offline-refused-{width}{suffix}.png"))
                context.close()
        finally:
            proxy.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASE_DIR / "docs" / "screenshots")
