"""Ages come from server timestamps, corrected for a screen whose own clock is wrong."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Kitchen2, OpenScreen, Post
from tests.factories import order_body


@pytest.mark.parametrize("wrong_by", [timedelta(hours=-1), timedelta(minutes=47)])
def test_it_shows_true_ages_on_a_screen_with_a_wrong_clock(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post, wrong_by: timedelta
) -> None:
    placed = (datetime.now(UTC) - timedelta(minutes=3)).isoformat()
    post(order_body("o-1", number="1001", placed_at=placed))
    page = open_screen(kitchen2.a, clock_wrong_by=wrong_by).page
    assert abs(page.evaluate("Date.now()") / 1000 - datetime.now(UTC).timestamp()) > 600

    age = page.locator(".ticket:has-text('#1001') [data-age]")
    expect(age).to_have_text(re.compile(r"^\d\d:\d\d$"))
    assert age.inner_text() in ("03:00", "03:01", "03:02", "03:03")
    assert page.locator(".ticket.state-ok:has-text('#1001')").count() == 1
