"""An open screen whose language is changed in the admin switches at once: a Chinese
kitchen's station screen, showing 薯条 for fries, is set to English in the admin and,
without anyone touching it, shows "Fries" and English words; set back to the
restaurant's language, it is Chinese again."""

from __future__ import annotations

from typing import Any

import pytest

from orders.models import MenuItem, Order, Restaurant, Screen
from tests.browser.conftest import Kitchen2, Post
from tests.browser.expo_support import ONLINE, admin_page, open_station_in
from tests.browser.server import KdsServer
from tests.factories import order_body


def _set_language(admin: Any, url: str, language: str) -> None:
    admin.goto(url)
    admin.select_option("#id_language", language)
    admin.click("input[name=_save]")
    admin.wait_for_selector(".messagelist .success")


def test_it_switches_an_open_screen_to_the_language_set_in_the_admin(
    kitchen2: Kitchen2,
    post: Post,
    admin_server: KdsServer,
    browser: Any,
    request: pytest.FixtureRequest,
) -> None:
    Restaurant.objects.filter(pk=kitchen2.k.restaurant.pk).update(language="zh-hans")
    MenuItem.objects.filter(sku="FRIES").update(name_zh="薯条")
    post(
        order_body(
            "o-1", number="71", items=[{"id": "f", "sku": "FRIES", "name": "Fries", "quantity": 2}]
        )
    )
    page = open_station_in(browser, admin_server.url, kitchen2.b, request=request, name="Fryer 1")
    order = Order.objects.get(external_id="o-1")
    page.wait_for_selector(f"#t{order.pk} .name:text-is('薯条')")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    admin = admin_page(browser, admin_server, request)
    screen = Screen.objects.get(name="Fryer 1")
    url = f"{admin_server.url}/admin/orders/screen/{screen.pk}/change/"

    _set_language(admin, url, "en")

    page.wait_for_selector("html[lang='en']", timeout=15000)
    page.wait_for_selector(ONLINE)
    page.wait_for_selector(f"#t{order.pk} .name:text-is('Fries')")
    assert page.locator(".tb[data-ui='recall']").inner_text().strip() == "↶ Recall"
    assert page.locator("#board").inner_text().count("薯条") == 0

    _set_language(admin, url, "")

    page.wait_for_selector("html[lang='zh-hans']", timeout=15000)
    page.wait_for_selector(f"#t{order.pk} .name:text-is('薯条')")
