"""The pick-up board with 150 numbers: they shrink to fit, then page, and the header
says how many the other pages hold; no number is cut silently, at 1920×1080 or at
1024×768. Customers never see a prompt about sound: a blocked board tells staff in
its footer."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from orders.models import Order, OrderStatus
from tests.browser.conftest import Kitchen2, Pass, Post
from tests.browser.expo_support import REFUSE, SPY, new_page
from tests.browser.server import KdsServer
from tests.factories import order_body, pickup_code

TOTAL = 150
READY = 70


def _numbers(page: Any, column: str) -> tuple[list[str], int, list[str]]:
    """(numbers shown, numbers in the column, the header's note) of a column."""
    shown = page.eval_on_selector_all(
        f"[data-{column}] li:not([hidden])", "els => els.map(e => e.textContent.trim())"
    )
    total = page.locator(f"[data-{column}] li").count()
    note = page.locator(f".pickup-{'ready' if column == 'ready' else 'preparing'} [data-more]")
    return shown, total, [note.inner_text()] if note.is_visible() else []


def _all_in_sight(page: Any, column: str) -> bool:
    box = page.locator(f"[data-{column}]").bounding_box()
    boxes = page.eval_on_selector_all(
        f"[data-{column}] li:not([hidden])",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })",
    )
    return all(
        top >= box["y"] - 1 and bottom <= box["y"] + box["height"] + 1 for top, bottom in boxes
    )


@pytest.mark.parametrize("viewport", [(1920, 1080), (1024, 768)], ids=lambda v: f"{v[0]}x{v[1]}")
def test_it_shrinks_then_pages_and_says_what_it_hides(
    kitchen2: Kitchen2,
    server: KdsServer,
    browser: Any,
    request: pytest.FixtureRequest,
    post: Post,
    viewport: tuple[int, int],
) -> None:
    for n in range(1, TOTAL + 1):
        post(order_body(f"o-{n}", number=str(100 + n), channel="takeout"))
    ready = Order.objects.filter(external_id__in=[f"o-{n}" for n in range(1, READY + 1)])
    ready.update(status=OrderStatus.READY, ready_at=timezone.now())
    page = new_page(browser, request=request, viewport=viewport, init=(REFUSE, SPY))
    page.goto(f"{server.url}/pickup/#{pickup_code(kitchen2.k.restaurant)}")
    page.wait_for_selector("[data-link-state].is-online")

    assert page.locator("#sound-overlay").count() == 0
    seen: dict[str, set[str]] = {"ready": set(), "preparing": set()}
    for column, expected in (("ready", READY), ("preparing", TOTAL - READY)):
        shown, total, note = _numbers(page, column)
        assert total == expected and shown
        assert _all_in_sight(page, column)
        if len(shown) < total:
            # Says how many are on the other pages, and which page this is.
            assert note and note[0].startswith(f"+{total - len(shown)} more · Page 1/")
        seen[column] |= set(shown)
    # Smaller than a board with few numbers (5.5rem at full size on a wall screen).
    size = float(
        page.eval_on_selector("[data-ready] li", "e => parseFloat(getComputedStyle(e).fontSize)")
    )
    assert size < 5.5 * 20

    # The pages turn by themselves: every number is shown on one of them.
    pages = max(int(page.eval_on_selector(f"[data-{c}]", "e => e.dataset.pages")) for c in seen)
    for _ in range(pages):
        page.wait_for_timeout(6200)
        for column in seen:
            shown, _, _ = _numbers(page, column)
            assert _all_in_sight(page, column)
            seen[column] |= set(shown)
    assert len(seen["ready"]) == READY and len(seen["preparing"]) == TOTAL - READY


def test_it_tells_staff_not_customers_when_sound_is_blocked(at_pass: Pass) -> None:
    page = new_page(
        at_pass.browser, request=at_pass.request, viewport=(1920, 1080), init=(REFUSE, SPY)
    )
    page.goto(f"{at_pass.server.url}/pickup/#{pickup_code(at_pass.kitchen2.k.restaurant)}")
    page.wait_for_selector("[data-link-state].is-online")
    wok = at_pass.wok()
    at_pass.post(order_body("o-1", number="88", channel="takeout"))
    assert not page.locator(".sound-off").is_visible()

    wok.click("#board .ticket:has-text('#88') .ticket-head")

    page.wait_for_selector("[data-ready] li:has-text('88')", timeout=3000)
    page.wait_for_selector(".sound-off", state="visible", timeout=3000)
    assert "staff" in page.locator(".sound-off").inner_text()
    assert page.locator("#sound-overlay, .sound-overlay").count() == 0
    # The big number is not covered: it is the topmost element where it is drawn.
    box = page.locator("[data-ready] li:has-text('88')").bounding_box()
    top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.textContent?.trim()",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert top == "88"
