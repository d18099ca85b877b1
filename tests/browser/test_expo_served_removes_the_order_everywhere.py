"""Front of house marks an order served: it leaves the tablet, the expo screen and pick-up."""

from __future__ import annotations

from orders.models import Order, OrderStatus
from tests.browser.conftest import Pass
from tests.factories import order_body


def test_it_removes_a_served_order_from_every_screen(at_pass: Pass) -> None:
    expo = at_pass.expo().page
    foh = at_pass.foh()
    pickup = at_pass.pickup()
    wok = at_pass.wok()
    at_pass.post(order_body("o-1", number="71", channel="takeout"))
    wok.click("#board .ticket:has-text('#71') .ticket-head")
    order = Order.objects.get(external_id="o-1")

    expo.wait_for_selector("#ready .xticket:has-text('#71')")
    foh.wait_for_selector(f"#f{order.pk}")
    pickup.wait_for_selector("[data-ready] li:has-text('71')")

    foh.click(f"#f{order.pk} .foh-all")

    foh.wait_for_selector(f"#f{order.pk}", state="detached")
    expo.wait_for_selector(f"#x{order.pk}", state="detached")
    pickup.wait_for_selector("[data-ready] li:has-text('71')", state="detached")
    assert foh.locator("#undo").is_visible()  # undo is offered for a few seconds
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
