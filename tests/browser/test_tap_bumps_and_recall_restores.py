"""Tapping bumps, with no dialog; the other screen of the station follows; recall restores."""

from __future__ import annotations

from typing import Any

from orders.models import LineStation, Order, OrderStatus, TicketState
from tests.browser.conftest import Kitchen2, OpenScreen, Post, board_keys
from tests.factories import order_body

TWO = [
    {"id": "l-1", "name": "Mapo tofu", "quantity": 1},
    {"id": "l-2", "name": "Dan dan noodles", "quantity": 2},
]


def test_it_bumps_on_tap_and_recall_brings_it_back(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    post(order_body("o-1", number="601", items=TWO))
    post(order_body("o-2", number="602"))
    left = open_screen(kitchen2.a, "Left").page
    right = open_screen(kitchen2.a, "Right").page
    order = Order.objects.get(external_id="o-1")
    key = f"t{order.pk}"
    assert key in board_keys(left) and key in board_keys(right)

    # A tap on one line: that line is ready, on both screens.
    left.click(f"#{key} .line:has-text('Mapo tofu')")
    right.wait_for_selector(f"#{key} .line.is-ready:has-text('Mapo tofu')")

    # A tap on the header: the whole ticket leaves both boards.
    left.click(f"#{key} .ticket-head")
    left.wait_for_selector(f"#{key}", state="detached")
    right.wait_for_selector(f"#{key}", state="detached")
    order.refresh_from_db()
    assert order.status == OrderStatus.READY

    # Recall: the list shows it; one tap brings it back everywhere.
    right.click("[data-ui='recall']")
    right.wait_for_selector("#recall .recall-item:has-text('#601')")
    right.click("#recall .recall-item:has-text('#601')")
    left.wait_for_selector(f"#{key}")
    right.wait_for_selector(f"#{key}")
    assert board_keys(left) == board_keys(right)
    assert set(
        LineStation.objects.filter(line__order=order, station=kitchen2.a).values_list(
            "state", flat=True
        )
    ) == {TicketState.LIVE}


def test_it_bumps_the_selected_ticket_from_the_bump_bar(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    post(order_body("o-1", number="611"))
    post(order_body("o-2", number="612"))
    page = open_screen(kitchen2.a).page
    first, second = board_keys(page)

    page.keyboard.press("ArrowRight")
    page.wait_for_selector(f"#{first}.is-selected")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#{first}", state="detached")
    assert board_keys(page) == [second]

    page.keyboard.press("r")
    page.wait_for_selector("#recall .recall-item:has-text('#611')")
    page.keyboard.press("1")
    page.wait_for_selector(f"#{first}")
    page.wait_for_selector("#board[data-waiting='0']", state="attached")  # the recall's answer

    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    assert "Bump the selected ticket" in page.locator("#help").inner_text()


def _recall_lists_held_back(page: Any) -> None:
    """The screen's socket, with the server's recall lists kept from the page."""

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        ws.on_message(server.send)
        server.on_message(lambda m: None if '"type": "recall"' in str(m) else ws.send(m))

    page.route_web_socket("**/ws/screen/**", route)


def test_it_keeps_a_ticket_just_bumped_in_the_recall_list_until_a_list_read_after_it(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    """A bump's answer and its board come before the recall list read after it: between
    them the ticket was in neither, so the list was empty and its number key did nothing."""
    post(order_body("o-1", number="621"))
    page = open_screen(kitchen2.a, before_pairing=_recall_lists_held_back).page
    (key,) = board_keys(page)

    page.click(f"#{key} .ticket-head")
    page.wait_for_selector(f"#{key}", state="detached")
    page.wait_for_selector("#board[data-waiting='0']", state="attached")  # the bump's answer came
    page.keyboard.press("r")

    page.wait_for_selector("#recall .recall-item:has-text('#621')")
    assert page.locator("#recall .recall-item .pending-mark").count() == 0  # done, not waiting
    page.keyboard.press("1")
    page.wait_for_selector(f"#{key}")
    # The page shows a recall at once; the server's answer says it was done (and the test
    # does not end while the server is still in the recall's transaction).
    page.wait_for_selector("#board[data-waiting='0']", state="attached")
    assert set(
        LineStation.objects.filter(line__order__number="621", station=kitchen2.a).values_list(
            "state", flat=True
        )
    ) == {TicketState.LIVE}
