"""A screen revoked in the admin leaves its board for the pairing page."""

from __future__ import annotations

from orders.actions.screens import screen_revoke
from tests.browser.conftest import Kitchen2, OpenScreen, Post, off_the_loop
from tests.factories import order_body


def test_it_sends_a_revoked_screen_to_the_pairing_page(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    post(order_body("o-1", number="901"))
    opened = open_screen(kitchen2.a)
    page = opened.page
    page.wait_for_selector(".ticket:has-text('#901')")

    off_the_loop(screen_revoke, screen=opened.screen)

    # The revoke broadcast starts in this process, so the server only learns of it at the
    # screen's next sync; on a shared channel layer it arrives at once.
    page.wait_for_selector("[data-pair-state='unpaired']", timeout=10000)
    assert page.locator(".ticket").count() == 0
