"""The front-of-house tablet cut off from the server: a dish served and an order served
show at once, marked not sent; a reload still shows them; when the network is back each
is served once, dated when it was tapped."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from orders.actions.cooking import ticket_bump
from orders.boards.front_of_house import foh_board
from orders.models import EventKind, Line, Order, OrderEvent, OrderStatus, Screen
from tests.browser.conftest import Kitchen2, Post, off_the_loop
from tests.browser.expo_support import ONLINE, new_page
from tests.browser.offline_support import (
    Network,
    all_sent,
    kept_offline,
    made_between,
    pause_offline,
    waiting,
)
from tests.factories import FRONT_OF_HOUSE, order_body, staff_user

TWO = [
    {"id": "l-1", "name": "Mapo tofu", "quantity": 1},
    {"id": "l-2", "name": "Dan dan noodles", "quantity": 2},
]


def _tablet(network: Network, browser: Any, request: Any) -> tuple[Any, Any]:
    runner = staff_user(FRONT_OF_HOUSE, username="runner")
    client = Client()
    client.force_login(runner)
    page = new_page(browser, request=request)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": network.url,
            }
        ]
    )
    page.goto(f"{network.url}/foh/")
    page.wait_for_selector(ONLINE)
    kept_offline(page)
    return page, runner


def test_it_serves_offline_and_sends_each_serve_once(
    kitchen2: Kitchen2, post: Post, network: Network, browser: Any, request: pytest.FixtureRequest
) -> None:
    post(order_body("o-1", number="51", table="5", items=TWO))
    post(order_body("o-2", number="52", table="6"))
    first, second = Order.objects.get(external_id="o-1"), Order.objects.get(external_id="o-2")
    wok = Screen.objects.create(restaurant=kitchen2.k.restaurant, station=kitchen2.a, name="Wok")
    for order in (first, second):
        off_the_loop(ticket_bump, order=order, station=kitchen2.a, screen=wok)
    tofu = Line.objects.get(order=first, external_id="l-1")
    page, runner = _tablet(network, browser, request)
    page.wait_for_selector(f"#f{second.pk}", timeout=5000)

    network.cut()
    page.locator("#offline").wait_for(state="visible", timeout=20000)
    cut_at = timezone.now()
    page.click(f"#f{first.pk} .foh-dish[data-line='{tofu.pk}']")
    page.click(f"#f{second.pk} .foh-all")
    made_until = timezone.now()

    def shows_the_taps() -> None:
        page.wait_for_selector(f"#f{second.pk}", state="detached", timeout=5000)
        dish = page.locator(f"#f{first.pk} .foh-dish[data-line='{tofu.pk}']")
        dish.locator(".pending-mark").wait_for(timeout=5000)  # shown after a moment
        assert "Served" in dish.inner_text() and "not sent yet" in dish.inner_text()
        assert "2 actions waiting to send" in waiting(page)

    shows_the_taps()
    page.reload()
    page.locator("#offline").wait_for(state="visible", timeout=20000)
    shows_the_taps()
    assert not OrderEvent.objects.filter(kind=EventKind.SERVED).exists()

    pause_offline(page)
    restored_at = timezone.now()
    network.restore()
    page.locator("#offline").wait_for(state="hidden", timeout=30000)
    page.wait_for_selector("#foh .is-pending", state="detached", timeout=15000)
    all_sent(page)

    served = list(OrderEvent.objects.filter(kind=EventKind.SERVED).order_by("pk"))
    assert [(e.order_id, e.user_id) for e in served] == [
        (first.pk, runner.pk),
        (second.pk, runner.pk),
    ]
    made_between(served, cut_at, made_until)
    assert all(e.at < restored_at for e in served)
    second.refresh_from_db()
    assert second.status == OrderStatus.SERVED
    shown = page.eval_on_selector_all("#foh .foh-card", "els => els.map(e => e.id)")
    assert shown == [o.key for o in foh_board(kitchen2.k.restaurant)] == [f"f{first.pk}"]
