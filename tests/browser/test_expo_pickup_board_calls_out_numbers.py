"""The pick-up board moves a number from preparing to ready and calls it out, as configured."""

from __future__ import annotations

from tests.browser.conftest import Pass
from tests.browser.expo_support import wait_until
from tests.factories import order_body


def test_it_moves_the_number_to_ready_and_calls_it_twice(at_pass: Pass) -> None:
    pickup = at_pass.pickup(query="?lang=zh-hans&repeat=2")
    wok = at_pass.wok()
    at_pass.post(order_body("o-1", number="42", channel="takeout", customer_name="Wang Fang"))

    pickup.wait_for_selector("[data-preparing] li:has-text('42')")
    assert pickup.evaluate("window.__spoken.length") == 0
    assert "Wang" not in pickup.inner_text("body")

    wok.click("#board .ticket:has-text('#42') .ticket-head")

    pickup.wait_for_selector("[data-ready] li:has-text('42')")
    assert pickup.locator("[data-preparing] li:has-text('42')").count() == 0
    wait_until(pickup, "window.__spoken.filter(u => u.end > 0).length >= 2")
    pickup.wait_for_timeout(300)
    spoken = pickup.evaluate("window.__spoken")
    assert [(u["text"], u["lang"]) for u in spoken] == [("请42号取餐", "zh-CN")] * 2
