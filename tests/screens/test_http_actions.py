"""The same actions over HTTP, for a screen whose socket is reconnecting."""

from __future__ import annotations

import pytest
from django.test import Client

from orders.models import EventKind, Order, OrderEvent, OrderStatus
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, pair, post_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_bumps_over_http_with_the_csrf_token_of_the_page(kitchen2: Kitchen2) -> None:
    post_order(kitchen2, order_body("o-1", number="1"))
    screen, cookie = pair(kitchen2.a)
    order = Order.objects.get(external_id="o-1")
    client = Client(enforce_csrf_checks=True)
    client.cookies["kds_screen"] = cookie
    page = client.get("/screen/")
    token = page.cookies["csrftoken"].value

    refused = client.post("/screen/action/", {"action": "ticket_bump", "order": order.pk})
    assert refused.status_code == 403  # no CSRF token
    done = client.post(
        "/screen/action/",
        {"action": "ticket_bump", "order": order.pk},
        headers={"X-CSRFToken": token},
    )

    assert done.status_code == 200 and done.json() == {"ok": True}
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    assert OrderEvent.objects.get(order=order, kind=EventKind.BUMPED).screen_id == screen.pk


def test_it_refuses_http_actions_without_a_paired_screen(kitchen2: Kitchen2) -> None:
    post_order(kitchen2, order_body("o-1", number="1"))
    order = Order.objects.get(external_id="o-1")
    response = Client().post("/screen/action/", {"action": "ticket_bump", "order": order.pk})
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == OrderStatus.OPEN
