"""Expo cut off from the server: a hand-over takes the order off at once and says it is
not sent yet (never "done"); after a reload it is still off and still waiting; when the
network is back it reaches the database once, dated when it was made."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from orders.actions.cooking import ticket_bump
from orders.models import ActionRecord, EventKind, Order, OrderEvent, OrderStatus, Screen
from tests.browser.conftest import Kitchen2, Post, off_the_loop
from tests.browser.offline_support import (
    Network,
    all_sent,
    made_between,
    open_through,
    pause_offline,
    waiting,
)
from tests.factories import order_body


def test_it_hands_over_offline_and_sends_it_once(
    kitchen2: Kitchen2, post: Post, network: Network, browser: Any, request: pytest.FixtureRequest
) -> None:
    post(order_body("o-1", number="42", table="A12"))
    order = Order.objects.get(external_id="o-1")
    page, screen = open_through(network, browser, request, kitchen2.k.expo, "Pass")
    wok, _ = open_through(network, browser, request, kitchen2.a, "Wok")
    wok.click(f"#t{order.pk} .ticket-head")
    page.wait_for_selector(f"#ready #x{order.pk}", timeout=5000)

    network.cut()
    page.locator("#offline").wait_for(state="visible", timeout=20000)
    cut_at = timezone.now()
    page.click(f"#x{order.pk} [data-action='handover']")
    made_until = timezone.now()

    page.wait_for_selector(f"#x{order.pk}", state="detached", timeout=5000)
    toast = page.locator("#undo")
    assert "not sent yet" in toast.inner_text() and "✓" not in toast.inner_text()
    assert "1 action waiting to send: #42 handed over" in waiting(page)
    page.reload()
    page.locator("#offline").wait_for(state="visible", timeout=20000)
    assert page.locator(f"#x{order.pk}").count() == 0
    assert "#42 handed over" in waiting(page)
    order.refresh_from_db()
    assert order.status == OrderStatus.READY

    pause_offline(page)
    restored_at = timezone.now()
    network.restore()
    page.locator("#offline").wait_for(state="hidden", timeout=30000)
    page.wait_for_selector(".is-pending", state="detached", timeout=15000)
    all_sent(page)

    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
    served = list(OrderEvent.objects.filter(order=order, kind=EventKind.SERVED))
    assert [e.screen_id for e in served] == [screen.pk]
    made_between(served, cut_at, made_until)
    assert served[0].at < restored_at
    assert ActionRecord.objects.filter(actor=f"screen:{screen.pk}").count() == 1
    assert page.locator(f"#x{order.pk}").count() == 0


def test_it_does_not_say_handed_over_while_the_server_is_down(
    kitchen2: Kitchen2, post: Post, network: Network, browser: Any, request: pytest.FixtureRequest
) -> None:
    """The defect: a tap while the server was down showed "Handed over ↶ Undo" and was lost."""
    post(order_body("o-1", number="43", table="B2"))
    order = Order.objects.get(external_id="o-1")
    wok = Screen.objects.create(restaurant=kitchen2.k.restaurant, station=kitchen2.a, name="Wok")
    off_the_loop(ticket_bump, order=order, station=kitchen2.a, screen=wok)
    page, _ = open_through(network, browser, request, kitchen2.k.expo, "Pass")
    page.wait_for_selector(f"#ready #x{order.pk}", timeout=5000)

    network.cut()
    page.locator("#offline").wait_for(state="visible", timeout=20000)
    page.click(f"#x{order.pk} [data-action='handover']")

    text = page.locator("#undo").inner_text()
    assert "not sent yet" in text and not text.startswith("✓")
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
