"""What a kiosk needs for Chinese: every screen's font stack names Noto Sans CJK (Debian's
and Raspberry Pi OS's fonts-noto-cjk), and docs/screens.md says which package to install.
On this machine, which has the package, Chinese dish names are drawn in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from orders.models import MenuItem, Restaurant
from tests.browser.conftest import Kitchen2, Post
from tests.browser.expo_support import (
    new_page,
    open_expo_in,
    open_pickup,
    open_station_in,
    sign_in_foh,
)
from tests.browser.server import KdsServer
from tests.factories import order_body

CJK = "Noto Sans CJK SC"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screens.md"


def _font_stack(page: Any) -> str:
    return str(page.evaluate("getComputedStyle(document.body).fontFamily"))


def test_it_names_the_cjk_font_on_every_screen_and_draws_chinese_in_it(
    kitchen2: Kitchen2, post: Post, server: KdsServer, browser: Any, request: pytest.FixtureRequest
) -> None:
    Restaurant.objects.filter(pk=kitchen2.k.restaurant.pk).update(language="zh-hans")
    MenuItem.objects.filter(sku="FRIES").update(name_zh="薯条")
    post(order_body("o-1", items=[{"id": "f", "sku": "FRIES", "name": "Fries", "quantity": 1}]))
    station = open_station_in(browser, server.url, kitchen2.b, request=request, name="Fryer 1")
    station.wait_for_selector(".name:text-is('薯条')")
    start = new_page(browser, request=request)
    start.goto(f"{server.url}/")
    pages = {
        "station": station,
        "expo": open_expo_in(browser, server.url, kitchen2.k.expo, request=request).page,
        "front of house": sign_in_foh(browser, server.url, request=request),
        "pick-up board": open_pickup(browser, server.url, kitchen2.k.restaurant, request=request),
        "start page": start,
    }

    for name, page in pages.items():
        assert CJK in _font_stack(page), name
    # The font is there and is the one the dish name is drawn in (Chromium reports the
    # fonts it used for a node's text through the DevTools protocol).
    cdp = station.context.new_cdp_session(station)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".name[lang='zh-hans']"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    assert any("CJK" in f["familyName"] for f in fonts), fonts
    assert "fonts-noto-cjk" in DOCS.read_text() and CJK in DOCS.read_text()
