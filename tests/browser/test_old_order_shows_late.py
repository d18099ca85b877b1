"""An old order shows as late, by colour and by word; crossing into late chimes once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.browser.conftest import Kitchen2, OpenScreen, Post
from tests.factories import order_body


def _ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def test_it_shows_an_old_order_as_late(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    post(order_body("o-late", number="801", placed_at=_ago(minutes=12)))
    post(order_body("o-warn", number="802", placed_at=_ago(minutes=6)))
    post(order_body("o-new", number="803"))
    page = open_screen(kitchen2.a).page

    late = page.locator(".ticket:has-text('#801')")
    page.wait_for_selector(".ticket.state-late:has-text('#801')")
    assert "LATE" in late.locator("[data-cue]").inner_text()
    age = late.locator("[data-age]").inner_text()
    assert age.startswith("12:") or age.startswith("11:5"), age
    assert page.locator(".ticket.state-warning:has-text('#802')").count() == 1
    assert "HURRY" in page.locator(".ticket:has-text('#802') [data-cue]").inner_text()
    assert page.locator(".ticket.state-ok:has-text('#803')").count() == 1
    assert page.locator("[data-late-count]").inner_text() == "1"
    assert page.locator("[data-late-count-box]").is_visible()
    # Already late when the page loaded: no chime for that.
    assert page.locator("body").get_attribute("data-chimes") is None


def test_it_chimes_once_when_a_ticket_crosses_into_late(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    page = open_screen(kitchen2.a).page
    # Late after 8 minutes: this order crosses four seconds from now, on the open screen.
    post(order_body("o-1", number="811", placed_at=_ago(minutes=8, seconds=-4)))
    page.wait_for_selector(".ticket:has-text('#811')")
    assert page.locator(".ticket.state-late").count() == 0

    page.wait_for_selector(".ticket.state-late:has-text('#811')", timeout=8000)
    page.wait_for_timeout(1500)
    assert page.locator("body").get_attribute("data-chimes") == "1"
    assert page.locator("[data-late-count]").inner_text() == "1"
