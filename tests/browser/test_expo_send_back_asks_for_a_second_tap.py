"""Expo's send back asks for a second tap, as hand over offers an undo: one slip of the
finger at the pass does not put a finished dish back on a station's board."""

from __future__ import annotations

from orders.models import LineStation, TicketState
from tests.browser.conftest import Kitchen2, Pass
from tests.factories import order_body


def _at_the_wok(kitchen2: Kitchen2) -> LineStation:
    return LineStation.objects.get(station=kitchen2.a, line__order__external_id="o-1")


def test_it_sends_back_only_on_a_second_tap(at_pass: Pass) -> None:
    expo = at_pass.expo().page
    wok = at_pass.wok()
    at_pass.post(order_body("o-1", number="81"))
    wok.click("#board .ticket:has-text('#81') .ticket-head")
    button = expo.locator("#ready .xticket:has-text('#81') .send-back")
    button.wait_for()

    button.click()
    expo.wait_for_selector(".send-back.is-armed")
    assert "Tap again" in button.inner_text()
    expo.wait_for_timeout(800)
    assert _at_the_wok(at_pass.kitchen2).state == TicketState.READY

    # Unarmed again after a few seconds: a later single tap sends nothing either.
    expo.wait_for_selector(".send-back.is-armed", state="detached", timeout=6000)
    assert _at_the_wok(at_pass.kitchen2).state == TicketState.READY

    button.click()
    button.click()
    wok.wait_for_selector("#board .ticket:has-text('#81') .line:not(.is-ready)")
    placement = _at_the_wok(at_pass.kitchen2)
    assert placement.state == TicketState.LIVE and placement.sent_back
