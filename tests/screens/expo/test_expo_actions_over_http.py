"""Expo's taps over HTTP, for an expo screen whose socket is down: the same dispatcher,
the same answers, as over its socket."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from orders.models import ActionRecord, EventKind, OrderEvent, OrderStatus
from tests.at_once import Poster, at_once
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


def test_it_hands_over_once_for_one_id_posted_four_times_at_the_same_instant(
    kitchen: Kitchen, live_server: Any
) -> None:
    """Expo's hand-over retried while the first posts are still out changes nothing twice."""
    order = place(kitchen, number="42", table="A12")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    _screen, cookie = pair(kitchen.expo, "Pass")
    tap = {"action": "handover", "order": str(order.pk), "id": str(uuid.uuid4())}
    poster = Poster(live_server.url, page="/screen/", cookies={"kds_screen": cookie})

    responses = at_once(*[poster.post("/screen/action/", tap)] * 4)

    assert [r.status_code for r in responses] == [200] * 4, [r.text for r in responses]
    expected = {"ok": True, "order": order.pk, "id": tap["id"]}
    assert [r.json() for r in responses] == [expected] * 4
    assert OrderEvent.objects.filter(order=order, kind=EventKind.SERVED).count() == 1
    assert ActionRecord.objects.count() == 1
