"""A station screen cut off from the server keeps working: two bumps and a recall show at
once, marked as not sent; a reload still shows the last board with the marks; when the
network is back each tap reaches the database exactly once, dated when it was made, and
the screen ends on the server's board."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from orders.boards.station import board
from orders.models import ActionRecord, EventKind, Order, OrderEvent, Station
from tests.browser.conftest import Kitchen2, Post, board_keys
from tests.browser.offline_support import (
    Network,
    all_sent,
    made_between,
    open_through,
    pause_offline,
    waiting,
)
from tests.factories import order_body


def test_it_bumps_and_recalls_offline_and_sends_each_tap_once(
    kitchen2: Kitchen2, post: Post, network: Network, browser: Any, request: pytest.FixtureRequest
) -> None:
    for n in (1, 2, 3):
        post(order_body(f"o-{n}", number=f"80{n}"))
    one, two, three = (Order.objects.get(external_id=f"o-{n}") for n in (1, 2, 3))
    page, screen = open_through(network, browser, request, kitchen2.a)
    assert board_keys(page) == [f"t{one.pk}", f"t{two.pk}", f"t{three.pk}"]

    network.cut()
    page.locator("#offline").wait_for(state="visible", timeout=20000)
    cut_at = timezone.now()
    page.click(f"#t{one.pk} .ticket-head")
    page.click(f"#t{two.pk} .ticket-head")
    page.keyboard.press("r")
    page.click("#recall .recall-item:has-text('#801')")
    made_until = timezone.now()

    # At once: #802 is off, #801 is back, marked as not sent; the banner counts three.
    page.wait_for_selector(f"#t{one.pk}.is-pending .pending-mark", timeout=5000)
    assert board_keys(page) == [f"t{one.pk}", f"t{three.pk}"]
    assert "3 actions waiting to send" in waiting(page)
    assert "#802 bumped" in waiting(page) and "#801 recalled" in waiting(page)

    # A reload without the server: the kept page, the last board, the same marks.
    page.reload()
    page.locator("#offline").wait_for(state="visible", timeout=20000)
    page.wait_for_selector(f"#t{one.pk}.is-pending .pending-mark", timeout=5000)
    assert board_keys(page) == [f"t{one.pk}", f"t{three.pk}"]
    assert "3 actions waiting to send" in waiting(page)
    assert not OrderEvent.objects.filter(kind__in=[EventKind.BUMPED, EventKind.RECALLED]).exists()

    pause_offline(page)
    restored_at = timezone.now()
    network.restore()
    page.locator("#offline").wait_for(state="hidden", timeout=30000)
    page.wait_for_selector("#board .is-pending", state="detached", timeout=15000)
    all_sent(page)

    bumps = list(OrderEvent.objects.filter(kind=EventKind.BUMPED).order_by("pk"))
    recalls = list(OrderEvent.objects.filter(kind=EventKind.RECALLED))
    assert [e.order_id for e in bumps] == [one.pk, two.pk]
    assert [e.order_id for e in recalls] == [one.pk]
    assert {e.screen_id for e in bumps + recalls} == {screen.pk}
    made_between(bumps + recalls, cut_at, made_until)
    assert all(e.at < restored_at for e in bumps + recalls)
    assert ActionRecord.objects.count() == 3
    expected = [t.key for t in board(Station.objects.get(pk=kitchen2.a.pk)).tickets]
    assert board_keys(page) == expected == [f"t{one.pk}", f"t{three.pk}"]
