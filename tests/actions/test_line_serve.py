"""Front of house serves dish by dish; the order is served with its last dish."""

from __future__ import annotations

from orders.actions import serving
from orders.models import EventKind, OrderEvent, OrderStatus
from tests.hotpot import Kitchen, bump_all, foh_user, place, placement


def test_it_serves_one_dish_and_then_the_order_with_the_last(kitchen: Kitchen) -> None:
    order = place(kitchen, table="5")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    runner = foh_user()
    beef = placement(order, kitchen.cold, "l-1").line

    assert serving.line_serve(line=beef, user=runner) is True
    order.refresh_from_db()
    assert order.status == OrderStatus.READY  # tofu and mapo tofu are still at the pass
    event = OrderEvent.objects.get(order=order, kind=EventKind.SERVED)
    assert (event.line_id, event.user_id) == (beef.pk, runner.pk)
    assert serving.line_serve(line=beef, user=runner) is False  # already served

    assert serving.order_serve(order=order, user=runner) is True
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED


def test_it_refuses_a_dish_that_is_not_ready(kitchen: Kitchen) -> None:
    order = place(kitchen)
    mapo = placement(order, kitchen.wok, "l-3").line
    assert serving.line_serve(line=mapo, user=foh_user()) is False
