"""Expo's taps over HTTP, for an expo screen whose socket is down: the same dispatcher,
the same answers, as over its socket."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from orders.models import EventKind, OrderEvent, OrderStatus
from tests.hotpot import Kitchen, bump_all, place
from tests.screens.conftest import pair

pytestmark = pytest.mark.django_db(transaction=True)


def _client(cookie: str) -> Client:
    client = Client()
    client.cookies["kds_screen"] = cookie
    return client


def test_it_hands_an_order_over_over_http(kitchen: Kitchen) -> None:
    order = place(kitchen, number="42", table="A12")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    screen, cookie = pair(kitchen.expo, "Pass")
    tap = {"action": "handover", "order": order.pk, "id": str(uuid.uuid4())}

    response = _client(cookie).post("/screen/action/", tap)
    again = _client(cookie).post("/screen/action/", tap)

    assert response.status_code == 200
    assert response.json() == again.json() == {"ok": True, "order": order.pk, "id": tap["id"]}
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
    event = OrderEvent.objects.get(order=order, kind=EventKind.SERVED)
    assert event.screen_id == screen.pk


def test_it_refuses_expo_actions_from_a_prep_screen_over_http(kitchen: Kitchen) -> None:
    order = place(kitchen, number="42")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    _screen, cookie = pair(kitchen.wok, "Wok")

    response = _client(cookie).post(
        "/screen/action/", {"action": "handover", "order": order.pk, "id": str(uuid.uuid4())}
    )

    assert response.status_code == 409 and response.json()["reason"] == "not_allowed"
    order.refresh_from_db()
    assert order.status == OrderStatus.READY
