"""Kill -9 the server: the screen says it is offline, then comes back equal to the database."""

from __future__ import annotations

from orders.actions.cooking import ticket_bump
from orders.boards.station import board
from orders.models import Order, Station
from tests.browser.conftest import Kitchen2, OpenScreen, Post, board_keys, off_the_loop
from tests.browser.server import KdsServer
from tests.factories import order_body


def test_it_shows_offline_and_then_the_servers_board(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post, server: KdsServer
) -> None:
    for n in (1, 2, 3):
        post(order_body(f"o-{n}", number=f"70{n}"))
    screen_page = open_screen(kitchen2.a)
    page = screen_page.page
    assert len(board_keys(page)) == 3

    server.kill()
    banner = page.locator("#offline")
    banner.wait_for(state="visible", timeout=8000)
    assert "OFFLINE" in banner.inner_text()
    assert "0:0" in banner.inner_text() or "00:0" in banner.inner_text()

    # While the server is down the kitchen moves on: one ticket is bumped elsewhere.
    gone = Order.objects.get(external_id="o-2")
    off_the_loop(ticket_bump, order=gone, station=kitchen2.a, screen=screen_page.screen)

    server.start()
    post(order_body("o-4", number="704"))
    banner.wait_for(state="hidden", timeout=15000)
    page.wait_for_selector("#board .ticket:has-text('#704')", timeout=5000)

    expected = [t.key for t in board(Station.objects.get(pk=kitchen2.a.pk)).tickets]
    shown = board_keys(page)
    assert shown == expected  # nothing missing, nothing doubled, same order
    assert f"t{gone.pk}" not in shown and len(shown) == 3
