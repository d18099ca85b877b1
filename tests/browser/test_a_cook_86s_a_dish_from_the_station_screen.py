"""86 from the line, in a real browser against a real Daphne: the fryer's cook taps 86,
the dish, and yes; every screen flags the dish on its tickets, those there and those
that come later; the admin's menu shows it; the outgoing event is queued. The bump bar
brings it back (S, its number, Enter). Made while the network is cut, it waits on the
device, marked, and arrives once, dated when it was tapped."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from orders.models import ActionRecord, MenuItem, OutboxMessage, WebhookEndpoint
from tests.browser.conftest import Kitchen2, OpenScreen, Post
from tests.browser.offline_support import SLACK, Network, open_through, pause_offline, waiting
from tests.screens.test_eighty_six import fries_and_rice


def test_a_cook_86s_a_dish_in_two_taps_and_a_confirmation(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    WebhookEndpoint.objects.create(
        restaurant=kitchen2.k.restaurant, name="Ops", url="http://127.0.0.1:9/"
    )
    post(fries_and_rice("o-1", "701"))
    fryer = open_screen(kitchen2.b, "Fryer").page
    expo = open_screen(kitchen2.k.expo, "Expo").page
    fryer.wait_for_selector("#board .ticket:has-text('#701')")
    assert fryer.locator(".tag-86").count() == 0

    fryer.click("[data-ui='dishes']")
    fryer.click("#dishes .dish:has-text('Fries')")
    # The tap on the dish only asks.
    assert fryer.locator("[data-dishes-question]").inner_text() == "86 Fries?"
    assert MenuItem.objects.get(sku="FRIES").is_available
    fryer.click("[data-dishes-yes]")

    fryer.wait_for_selector("#board .ticket:has-text('#701') .tag-86")
    expo.wait_for_selector(".xticket:has-text('#701') .tag-86")
    assert "Fries: 86, sold out" in fryer.locator("#toast").inner_text()
    assert fryer.locator("#dishes").is_hidden()
    assert not MenuItem.objects.get(sku="FRIES").is_available
    assert OutboxMessage.objects.filter(event_type="menu_item.unavailable").count() == 1

    # The admin's menu says so.
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("boss", "b@example.com", "pw"))
    menu = admin.get("/admin/orders/menuitem/").content.decode()
    assert "86 — sold out since" in menu

    # A later order with the dish is flagged where it shows, and only on that dish.
    post(fries_and_rice("o-2", "702"))
    fryer.wait_for_selector("#board .ticket:has-text('#702') .tag-86")
    expo.wait_for_selector(".xticket:has-text('#702')")
    assert expo.locator(".xticket:has-text('#702') .tag-86").count() == 1

    # Back on from the bump bar: S opens the list (sold out first), 1 chooses, Enter confirms.
    fryer.keyboard.press("s")
    fryer.wait_for_selector("#dishes .dish.is-86:has-text('Fries')")
    fryer.keyboard.press("1")
    assert fryer.locator("[data-dishes-question]").inner_text() == "Bring Fries back?"
    fryer.keyboard.press("Enter")
    fryer.wait_for_selector("#board .tag-86", state="detached")
    expo.wait_for_selector(".tag-86", state="detached")
    assert MenuItem.objects.get(sku="FRIES").is_available


def test_an_86_made_offline_waits_on_the_device_and_arrives_once(
    kitchen2: Kitchen2, post: Post, network: Network, browser: Any, request: pytest.FixtureRequest
) -> None:
    post(fries_and_rice("o-1", "711"))
    page, screen = open_through(network, browser, request, kitchen2.b, "Fryer")
    page.click("[data-ui='dishes']")
    page.wait_for_selector("#dishes .dish:has-text('Fries')")  # the list, kept on the device
    page.keyboard.press("Escape")

    network.cut()
    page.locator("#offline").wait_for(state="visible", timeout=20000)
    cut_at = timezone.now()
    page.click("[data-ui='dishes']")
    page.click("#dishes .dish:has-text('Fries')")
    page.click("[data-dishes-yes]")
    made_until = timezone.now()

    # At once: said waiting; the list shows it sold out, not sent yet; nothing stored.
    assert "Fries 86'd" in waiting(page)
    page.click("[data-ui='dishes']")
    page.wait_for_selector("#dishes .dish.is-86.is-pending:has-text('Fries') .pending-mark")
    page.keyboard.press("Escape")
    assert MenuItem.objects.get(sku="FRIES").is_available

    pause_offline(page)
    network.restore()
    page.locator("#offline").wait_for(state="hidden", timeout=30000)
    page.wait_for_selector("#board .ticket:has-text('#711') .tag-86", timeout=15000)

    fries = MenuItem.objects.get(sku="FRIES")
    assert not fries.is_available
    assert ActionRecord.objects.filter(action="dish_86").count() == 1
    # Dated when it was tapped, not when the network came back.
    assert fries.unavailable_since is not None
    assert cut_at - SLACK <= fries.unavailable_since <= made_until + SLACK
    page.click("[data-ui='dishes']")
    page.wait_for_selector("#dishes .dish.is-86:has-text('Fries')")
    assert page.locator("#dishes .dish.is-pending").count() == 0
    assert ActionRecord.objects.get(action="dish_86").actor == f"screen:{screen.pk}"
