"""Expo's flag for a station without a live screen, readable from across the pass, and
the admin's screen health list; screenshots in docs/ with KDS_WRITE_DOCS=1."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from orders.actions.presence import stations_presence_check
from orders.models import Announce, Screen
from tests.browser.conftest import Kitchen2, Post, off_the_loop
from tests.browser.expo_support import ONLINE, new_page
from tests.browser.pairing import pair_in_browser
from tests.browser.server import KdsServer
from tests.factories import order_body

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("viewport", [(1920, 1080), (1024, 768)])
def test_expo_flags_the_station_in_large_type(
    kitchen2: Kitchen2,
    server: KdsServer,
    browser: Any,
    request: pytest.FixtureRequest,
    post: Post,
    language: str,
    viewport: tuple[int, int],
) -> None:
    restaurant = kitchen2.k.restaurant
    restaurant.language = language
    restaurant.save()
    post(order_body("o-1", number="42", table="A12"))
    off_the_loop(stations_presence_check)  # neither the kitchen nor the fryer has a screen
    screen = Screen.objects.create(
        restaurant=restaurant, station=kitchen2.k.expo, name="Pass", announce=Announce.OFF
    )
    page = new_page(browser, request=request, viewport=viewport)
    pair_in_browser(page, server.url, str(screen.pairing_token))
    page.wait_for_selector(ONLINE)
    flags = page.locator(".xsum-unseen")
    assert flags.count() == 2
    text = flags.first.inner_text()
    assert ("no screen since" if language == "en" else "起无屏幕") in text
    box = flags.first.bounding_box()
    assert box is not None and box["height"] >= 24  # big enough to read at two metres
    assert box["x"] + box["width"] <= viewport[0]  # on the screen, not cut off
    if os.environ.get("KDS_WRITE_DOCS"):
        suffix = "-zh" if language != "en" else ""
        page.screenshot(path=str(DOCS / f"expo-station-offline-{viewport[0]}{suffix}.png"))
