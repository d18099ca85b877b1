"""When the browser refuses speech, a one-tap overlay appears; the tap says what was waiting."""

from __future__ import annotations

from tests.browser.conftest import Pass
from tests.browser.expo_support import wait_until
from tests.factories import order_body


def test_it_shows_the_overlay_and_speaks_after_the_tap(at_pass: Pass) -> None:
    expo = at_pass.expo(refuse=True)
    wok = at_pass.wok()
    assert expo.page.locator("#sound-overlay").is_hidden()
    at_pass.post(order_body("o-1", number="61", table="9"))

    wok.click("#board .ticket:has-text('#61') .ticket-head")

    expo.page.wait_for_selector("#sound-overlay", state="visible")
    assert expo.spoken() == []
    assert "enable sound" in expo.page.locator("#sound-overlay").inner_text()

    # Someone taps; the browser now allows speech, and nothing was lost.
    expo.page.evaluate("window.__speechMode = 'ok'")
    expo.page.click("#sound-overlay button")
    expo.page.wait_for_selector("#sound-overlay", state="hidden")
    wait_until(expo.page, "window.__spoken.length > 0")
    assert expo.texts() == [("Table 9, order 61: one mapo tofu, ready", "en-US")]
