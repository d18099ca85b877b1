"""A screen moved to another station reloads as that station: an expo screen reassigned
in the admin while it is connected (the server sends "reload" and closes with 4002), and a
station screen moved while its server was down (the board it gets is another station's)."""

from __future__ import annotations

from typing import Any

import pytest

from orders.models import Order, Screen
from tests.browser.conftest import Kitchen2, Post, board_keys
from tests.browser.expo_support import ONLINE, admin_page, open_expo_in, open_station_in
from tests.browser.server import KdsServer
from tests.factories import order_body


def test_it_reloads_an_expo_screen_reassigned_in_the_admin_as_the_new_station(
    kitchen2: Kitchen2,
    post: Post,
    admin_server: KdsServer,
    browser: Any,
    request: pytest.FixtureRequest,
) -> None:
    post(order_body("o-1", number="61"))
    expo = open_expo_in(browser, admin_server.url, kitchen2.k.expo, request=request)
    order = Order.objects.get(external_id="o-1")
    expo.page.wait_for_selector(f"#x{order.pk}")
    admin = admin_page(browser, admin_server, request)

    admin.goto(f"{admin_server.url}/admin/orders/screen/{expo.screen.pk}/change/")
    admin.select_option("#id_station", str(kitchen2.a.pk))
    admin.click("input[name=_save]")
    admin.wait_for_selector(".messagelist .success")

    # The page reloads and the server shows it as the wok's station screen.
    expo.page.wait_for_selector("body.page-station:not(.page-expo) #board", timeout=15000)
    expo.page.wait_for_selector(ONLINE)
    assert expo.page.locator(".station-name").inner_text() == kitchen2.a.name
    assert board_keys(expo.page) == [f"t{order.pk}"]
    assert expo.page.locator(".xticket").count() == 0


def test_it_reloads_a_screen_moved_while_its_server_was_down(
    kitchen2: Kitchen2, post: Post, server: KdsServer, browser: Any, request: pytest.FixtureRequest
) -> None:
    post(
        order_body(
            "o-1", number="62", items=[{"id": "f", "sku": "FRIES", "name": "Fries", "quantity": 1}]
        )
    )
    post(order_body("o-2", number="63"))
    page = open_station_in(browser, server.url, kitchen2.a, request=request, name="Wall")
    assert page.locator(".station-name").inner_text() == kitchen2.a.name

    server.kill()
    page.locator("#offline").wait_for(state="visible", timeout=20000)
    Screen.objects.filter(name="Wall").update(station=kitchen2.b)
    server.start()

    page.wait_for_selector(f".station-name:text-is('{kitchen2.b.name}')", timeout=20000)
    page.wait_for_selector(ONLINE)
    fries = Order.objects.get(external_id="o-1")
    assert board_keys(page) == [f"t{fries.pk}"]
