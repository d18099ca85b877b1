"""Screenshots of order sources, outgoing webhooks and 86, for docs/sources.md.

    .venv/bin/python -m tests.browser.screenshots_sources [out_dir]

Starts a real Daphne on a throw-away SQLite database with a Square source, an outgoing
webhook that has been failing, a dish 86'd and tickets that have it, then saves the
admin's pages (English and Chinese), the station, expo and front-of-house screens with
the 86 flag, and the station's 86 list and its question, at 1920×1080 and 1024×768, in English and Chinese.
"""

from __future__ import annotations

import sys
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.browser.shots import (
    ADMIN,
    BASE_DIR,
    FREEZE,
    LANGUAGES,
    admin_context,
    each_language_and_size,
    order_poster,
    paired_page,
    runner_cookie,
    shooting,
    shots_django,
    signed_in_context,
)

SIZES = [(1920, 1080), (1024, 768)]


def _setup() -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from orders.actions.menu import menu_item_availability_set
    from orders.models import (
        DeliveryAttempt,
        MenuItem,
        OrderSource,
        OutboxMessage,
        RoutingRule,
        SourceKind,
        SourceSecret,
        Station,
        WebhookEndpoint,
    )
    from tests import factories

    kitchen = factories.make_kitchen("shots")
    kitchen.fallback.name = "Cold kitchen"
    kitchen.fallback.save()
    wok = Station.objects.create(restaurant=kitchen.restaurant, name="Wok", slug="wok", position=2)
    dishes = {}
    for sku, name, name_zh in [
        ("MAPO", "Mapo Tofu", "麻婆豆腐"),
        ("KPC", "Kung Pao Chicken", "宫保鸡丁"),
        ("DANDAN", "Dan Dan Noodles", "担担面"),
        ("RICE", "Egg Fried Rice", "蛋炒饭"),
    ]:
        dishes[sku] = MenuItem.objects.create(
            restaurant=kitchen.restaurant, sku=sku, name=name, name_zh=name_zh
        )
        rule = RoutingRule.objects.create(
            restaurant=kitchen.restaurant, menu_item=dishes[sku], position=1
        )
        rule.stations.add(wok)
    square = OrderSource.objects.create(
        restaurant=kitchen.restaurant,
        name="Square POS",
        slug="square-pos",
        kind=SourceKind.SQUARE,
        api_secret="EAAA-token",
        vendor_location="L8QZ2W7Y3KD1",
    )
    SourceSecret.objects.create(source=square, secret="Ibxx_5AKakO-3qeNVR61Dw")
    endpoint = WebhookEndpoint.objects.create(
        restaurant=kitchen.restaurant, name="Ops dashboard", url="https://ops.example/kds"
    )
    User.objects.create_superuser(ADMIN[0], password=ADMIN[1])
    now = timezone.now()
    for minutes, status in [(42, 503), (37, 503), (7, None)]:
        message = OutboxMessage.objects.create(
            restaurant=kitchen.restaurant,
            kind="webhook",
            endpoint=endpoint,
            msg_id=f"msg_shot{minutes}",
            event_type="order.ready",
            payload={},
            created_at=now - timedelta(minutes=minutes),
        )
        DeliveryAttempt.objects.create(
            message=message,
            endpoint=endpoint,
            at=now - timedelta(minutes=minutes),
            status_code=status,
            error="" if status else "ConnectTimeout: timed out",
            duration_ms=10_000 if status is None else 41,
        )
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=now - timedelta(hours=3))
    menu_item_availability_set(item=dishes["MAPO"], available=False)
    return {"kitchen": kitchen, "wok": wok, "square": square, "endpoint": endpoint}


def _orders(post: Any) -> None:
    from tests import factories

    post(
        factories.order_body(
            "s-1",
            number="1051",
            table="8",
            items=[
                {
                    "id": "a",
                    "sku": "MAPO",
                    "name": "Mapo Tofu",
                    "quantity": 2,
                    "modifiers": ["特辣 extra hot"],
                },
                {"id": "b", "sku": "RICE", "name": "Egg Fried Rice", "quantity": 2},
            ],
        )
    )
    post(
        factories.order_body(
            "s-2",
            number="1052",
            channel="takeout",
            customer_name="王小明",
            items=[
                {
                    "id": "a",
                    "sku": "KPC",
                    "name": "Kung Pao Chicken",
                    "quantity": 1,
                    "notes": "peanut allergy 花生过敏",
                },
                {"id": "b", "sku": "MAPO", "name": "Mapo Tofu", "quantity": 1},
            ],
        )
    )


def _foh_shots(browser: Any, url: str, kitchen: Any, wok: Any, out_dir: Path) -> None:
    from orders.actions.cooking import ticket_bump
    from orders.models import Order, Restaurant, Screen

    bumper = Screen.objects.create(restaurant=kitchen.restaurant, station=wok, name="Bumper")
    # Off playwright's event loop: the bump broadcasts through async_to_sync.
    bump = threading.Thread(
        target=ticket_bump,
        kwargs={"order": Order.objects.get(external_id="s-1"), "station": wok, "screen": bumper},
    )
    bump.start()
    bump.join()
    cookie = runner_cookie()
    for language, suffix, width, height in each_language_and_size(SIZES):
        Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(language=language)
        context = signed_in_context(browser, url, cookie, {"width": width, "height": height})
        page = context.new_page()
        page.goto(f"{url}/foh/")
        page.wait_for_selector(".foh-card .tag-86")
        page.wait_for_timeout(800)
        page.screenshot(path=str(out_dir / f"foh-86-{width}{suffix}.png"))
        context.close()


def main(out_dir: Path) -> None:
    tmp, env = shots_django("kds-shots-")
    import httpx

    from orders.models import Restaurant, Screen

    made = _setup()
    kitchen = made["kitchen"]

    def post_orders(server: Any) -> None:
        with httpx.Client(timeout=10) as client:
            _orders(order_poster(client, server.url, kitchen))

    with shooting(tmp, env, out_dir, before_browser=post_orders) as (server, browser):
        for language in LANGUAGES:
            context, page = admin_context(browser, server.url, language, 1280, 900)
            suffix = "-zh" if language != "en" else ""
            page.goto(f"{server.url}/admin/orders/ordersource/{made['square'].pk}/change/")
            page.screenshot(
                path=str(out_dir / f"admin-source-square{suffix}-1280.png"), full_page=True
            )
            page.goto(f"{server.url}/admin/orders/webhookendpoint/{made['endpoint'].pk}/change/")
            page.screenshot(path=str(out_dir / f"admin-webhook{suffix}-1280.png"), full_page=True)
            page.goto(f"{server.url}/admin/orders/menuitem/")
            page.screenshot(path=str(out_dir / f"admin-menu-86{suffix}-1280.png"))
            context.close()
        for language, suffix, width, height in each_language_and_size(SIZES):
            Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(language=language)
            for station, name in ((made["wok"], "station"), (kitchen.expo, "expo")):
                screen = Screen.objects.create(
                    restaurant=kitchen.restaurant, station=station, name=f"{width}"
                )
                context, page = paired_page(
                    browser, server.url, screen, {"width": width, "height": height}
                )
                page.wait_for_selector(".tag-86")
                page.wait_for_timeout(1000)
                page.add_style_tag(content=FREEZE)
                page.screenshot(path=str(out_dir / f"{name}-86-{width}{suffix}.png"))
                if name == "station":
                    # The cook's 86: the list (sold out first), then the question.
                    page.click("[data-ui='dishes']")
                    page.wait_for_selector("#dishes .dish.is-86")
                    page.screenshot(path=str(out_dir / f"station-86-list-{width}{suffix}.png"))
                    page.click("#dishes .dish:not(.is-86)")
                    page.wait_for_selector("[data-dishes-confirm]:not([hidden])")
                    page.screenshot(path=str(out_dir / f"station-86-confirm-{width}{suffix}.png"))
                context.close()
        # Front of house: the order with the 86'd dish ready at the pass.
        _foh_shots(browser, server.url, kitchen, made["wok"], out_dir)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASE_DIR / "docs" / "screenshots")
