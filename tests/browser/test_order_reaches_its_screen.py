"""An order posted to the webhook appears on the right screen, and on no other.

How fast is measured, not asserted here: `manage.py kds_bench` reports the end-to-end
latency (webhook sent to the ticket on every screen of its station); README "How fast
it is". The bound below only stops a test that would otherwise wait forever."""

from __future__ import annotations

from tests.browser.conftest import Kitchen2, OpenScreen, Post, board_keys
from tests.factories import order_body

EVENTUALLY = 15_000  # ms: generous on a loaded 2-core machine
FRIES = [{"id": "l-1", "name": "Fries", "sku": "FRIES", "quantity": 2}]


def test_it_shows_a_posted_order_on_its_station_screen_only(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    wok = open_screen(kitchen2.a, "Wok").page
    fryer = open_screen(kitchen2.b, "Fryer").page
    assert board_keys(wok) == board_keys(fryer) == []

    post(order_body("o-1", number="501", items=FRIES))
    fryer.wait_for_selector("#board .ticket:has-text('#501')", timeout=EVENTUALLY)

    ticket = fryer.locator("#board .ticket").first
    assert "Fries" in ticket.inner_text()
    # The wok screen heard nothing: no ticket, and its board is still at the seq it loaded.
    wok.wait_for_timeout(300)
    assert board_keys(wok) == []
    assert "Fries" not in wok.locator("#board").inner_text()

    post(order_body("o-2", number="502"))
    wok.wait_for_selector("#board .ticket:has-text('#502')", timeout=EVENTUALLY)
    assert len(board_keys(fryer)) == 1
