"""A tap on the tablet serves a dish or the whole order; undo puts it back."""

from __future__ import annotations

from django.test import Client

from orders.models import EventKind, OrderEvent, OrderStatus
from tests.hotpot import Kitchen, bump_all, foh_user, place, placement


def test_it_serves_a_dish_then_the_order_and_undoes_the_last(kitchen: Kitchen) -> None:
    order = place(kitchen, table="A12")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    runner = foh_user()
    client = Client()
    client.force_login(runner)
    beef = placement(order, kitchen.cold, "l-1").line

    served = client.post(
        "/foh/action/", {"action": "serve_line", "order": order.pk, "line": beef.pk}
    )
    assert served.json() == {"ok": True, "action": "serve_line"}
    assert client.post("/foh/action/", {"action": "serve_order", "order": order.pk}).json()["ok"]
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
    assert f'id="f{order.pk}"' not in client.get("/foh/").content.decode()

    assert client.post("/foh/action/", {"action": "undo", "order": order.pk}).json()["ok"]
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    kinds = list(OrderEvent.objects.filter(order=order, user=runner).values_list("kind", flat=True))
    assert kinds == [EventKind.SERVED, EventKind.SERVED, EventKind.UNSERVED]


def test_it_answers_409_when_there_is_nothing_to_serve(kitchen: Kitchen) -> None:
    order = place(kitchen)
    client = Client()
    client.force_login(foh_user())
    response = client.post("/foh/action/", {"action": "serve_order", "order": order.pk})
    assert response.status_code == 409 and response.json()["ok"] is False
