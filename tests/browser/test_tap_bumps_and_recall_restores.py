"""Tapping bumps, with no dialog; the other screen of the station follows; recall restores."""

from __future__ import annotations

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

    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    assert "Bump the selected ticket" in page.locator("#help").inner_text()
