"""Front of house marks an order served: it leaves the tablet, the expo screen and pick-up."""

from __future__ import annotations

from typing import Any

import pytest

from orders.models import Order, OrderStatus
from tests.browser.conftest import Kitchen2, Post
from tests.browser.expo_support import open_expo_in, open_pickup, open_station_in, sign_in_foh
from tests.browser.server import KdsServer
from tests.factories import order_body


def test_it_removes_a_served_order_from_every_screen(
    kitchen2: Kitchen2,
    server: KdsServer,
    browser: Any,
    request: pytest.FixtureRequest,
    post: Post,
) -> None:
    expo = open_expo_in(browser, server.url, kitchen2.k.expo, request=request).page
    foh = sign_in_foh(browser, server.url, request=request)
    pickup = open_pickup(browser, server.url, kitchen2.k.restaurant, request=request)
    wok = open_station_in(browser, server.url, kitchen2.a, request=request)
    post(order_body("o-1", number="71", channel="takeout"))
    wok.click("#board .ticket:has-text('#71') .ticket-head")
    order = Order.objects.get(external_id="o-1")

    expo.wait_for_selector("#ready .xticket:has-text('#71')")
    foh.wait_for_selector(f"#f{order.pk}")
    pickup.wait_for_selector("[data-ready] li:has-text('71')")

    foh.click(f"#f{order.pk} .foh-all")

    foh.wait_for_selector(f"#f{order.pk}", state="detached")
    expo.wait_for_selector(f"#x{order.pk}", state="detached")
    pickup.wait_for_selector("[data-ready] li:has-text('71')", state="detached")
    assert foh.locator("#undo").is_visible()  # undo is offered for a few seconds
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
