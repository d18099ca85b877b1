"""A report filter changed in Chromium swaps the report in place (htmx): no page load, the
address follows, Back shows the report before, and the page's policy blocks nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from orders.models import Channel
from tests.browser.expo_support import new_page, wait_until
from tests.browser.server import KdsServer
from tests.reports.history import make_history
from tests.reports.users import kitchen_manager

DAY = "period=custom&start=2026-03-10&end=2026-03-10"
ORDERS = (
    "[...document.querySelectorAll('.figure')]"
    ".find(f => f.querySelector('.what').textContent === 'Orders')"
    ".querySelector('.value').textContent"
)


def _manager_page(browser: Any, base_url: str, request: pytest.FixtureRequest) -> Any:
    client = Client()
    client.force_login(kitchen_manager())
    page = new_page(browser, request=request, viewport=(1280, 900))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return page


def _once_loaded(page: Any, expression: str, *, timeout: float = 10) -> Any:
    """The expression's value once a page load under way (if any) has finished."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while True:
        try:
            page.wait_for_load_state("load")
            if page.evaluate("window.__sameDocument") is None:
                return page.evaluate(expression)
        except Error:  # the page went away mid-question: ask the new one
            pass
        assert time.monotonic() < deadline, "the page did not load again"
        page.wait_for_timeout(50)


def test_it_swaps_the_report_when_a_filter_changes(
    transactional_db: None, server: KdsServer, browser: Any, request: pytest.FixtureRequest
) -> None:
    h = make_history()
    h.ticket(h.order(h.at("12:00"), channel=Channel.DINE_IN), minutes=2, station=h.grill)
    h.ticket(
        h.order(h.at("12:10"), channel=Channel.TAKEOUT), minutes=6, station=h.wok, item=h.noodles
    )
    page = _manager_page(browser, server.url, request)
    page.goto(f"{server.url}/reports/?{DAY}")
    assert page.evaluate(ORDERS) == "2"
    # Survives a swap, not a page load.
    page.evaluate("window.__sameDocument = true")

    page.select_option("#id_channel", "takeout")

    wait_until(page, f"{ORDERS} === '1'")
    assert page.evaluate("window.__sameDocument") is True
    assert "channel=takeout" in page.url
    assert page.locator("#id_channel").input_value() == "takeout"

    # Back: htmx keeps no snapshot (historyCacheSize 0), so the earlier address loads.
    page.go_back()

    assert _once_loaded(page, ORDERS) == "2"
    assert "channel=takeout" not in page.url
    assert page.evaluate("window.__sameDocument") is None  # loaded afresh
