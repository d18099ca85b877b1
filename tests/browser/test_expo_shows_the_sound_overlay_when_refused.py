"""When the browser refuses speech, a one-tap overlay appears; the tap says what was waiting."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Kitchen2, Post
from tests.browser.expo_support import open_expo_in, open_station_in, wait_until
from tests.browser.server import KdsServer
from tests.factories import order_body


def test_it_shows_the_overlay_and_speaks_after_the_tap(
    kitchen2: Kitchen2,
    server: KdsServer,
    browser: Any,
    request: pytest.FixtureRequest,
    post: Post,
) -> None:
    expo = open_expo_in(browser, server.url, kitchen2.k.expo, request=request, refuse=True)
    wok = open_station_in(browser, server.url, kitchen2.a, request=request)
    assert expo.page.locator("#sound-overlay").is_hidden()
    post(order_body("o-1", number="61", table="9"))

    wok.click("#board .ticket:has-text('#61') .ticket-head")

    expo.page.wait_for_selector("#sound-overlay", state="visible")
    assert expo.spoken() == []
    assert "enable sound" in expo.page.locator("#sound-overlay").inner_text()

    # Someone taps; the browser now allows speech, and nothing was lost.
    expo.page.evaluate("window.__speechMode = 'ok'")
    expo.page.click("#sound-overlay button")
    expo.page.wait_for_selector("#sound-overlay", state="hidden")
    wait_until(expo.page, "window.__spoken.length > 0")
    assert expo.texts() == [("Table 9, order 61: one mapo tofu, ready", "en-US")]
