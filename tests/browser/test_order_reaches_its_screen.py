"""An order posted to the webhook appears on the right screen within a second, and on no other."""

from __future__ import annotations

import time

from tests.browser.conftest import Kitchen2, OpenScreen, Post, board_keys
from tests.factories import order_body

FRIES = [{"id": "l-1", "name": "Fries", "sku": "FRIES", "quantity": 2}]


def test_it_shows_a_posted_order_on_its_station_screen_only(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    wok = open_screen(kitchen2.a, "Wok").page
    fryer = open_screen(kitchen2.b, "Fryer").page
    assert board_keys(wok) == board_keys(fryer) == []

    started = time.monotonic()
    post(order_body("o-1", number="501", items=FRIES))
    fryer.wait_for_selector("#board .ticket:has-text('#501')", timeout=1000)
    assert time.monotonic() - started < 1.5  # the POST itself included

    ticket = fryer.locator("#board .ticket").first
    assert "Fries" in ticket.inner_text()
    # The wok screen heard nothing: no ticket, and its board is still at the seq it loaded.
    wok.wait_for_timeout(300)
    assert board_keys(wok) == []
    assert "Fries" not in wok.locator("#board").inner_text()

    post(order_body("o-2", number="502"))
    wok.wait_for_selector("#board .ticket:has-text('#502')", timeout=1000)
    assert len(board_keys(fryer)) == 1
