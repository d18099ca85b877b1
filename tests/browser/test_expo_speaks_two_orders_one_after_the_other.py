"""Two orders ready together are spoken one after the other, never over each other."""

from __future__ import annotations

from tests.browser.conftest import Pass
from tests.browser.expo_support import wait_until
from tests.factories import order_body


def test_it_queues_the_second_order_until_the_first_is_said(at_pass: Pass) -> None:
    expo = at_pass.expo()
    wok = at_pass.wok()
    at_pass.post(order_body("o-1", number="51", table="5"))
    at_pass.post(order_body("o-2", number="52", table="6"))
    wok.wait_for_selector("#board .ticket:has-text('#52')")

    # Both headers in quick succession: both orders become ready within a few ms.
    wok.click("#board .ticket:has-text('#51') .ticket-head")
    wok.click("#board .ticket:has-text('#52') .ticket-head")

    wait_until(expo.page, "window.__spoken.filter(u => u.end > 0).length >= 2")
    expo.page.wait_for_timeout(500)
    spoken = expo.spoken()
    assert [u["text"] for u in spoken] == [
        "Table 5, order 51: one mapo tofu, ready",
        "Table 6, order 52: one mapo tofu, ready",
    ]
    first, second = spoken
    assert not first["overlap"] and not second["overlap"]
    assert second["start"] >= first["end"]
