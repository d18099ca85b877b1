"""The tablet's taps carry ids too: one serve per id over HTTP and over the socket; the
page's forms also work without JavaScript (post, then back to the page)."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from kds.asgi import application
from orders.models import ActionRecord, EventKind, Order, OrderEvent, OrderStatus
from tests.at_once import Poster, at_once
from tests.hotpot import Kitchen, bump_all, foh_user, place, placement
from tests.screens.conftest import next_of, sync

pytestmark = pytest.mark.django_db(transaction=True)


def _ready(kitchen: Kitchen, number: str = "42") -> Order:
    order = place(kitchen, f"o-{number}", number=number, table="A12")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    return order


def _signed_in() -> Client:
    client = Client()
    client.force_login(foh_user())
    return client


def test_it_serves_a_dish_once_for_one_id_posted_twice(kitchen: Kitchen) -> None:
    order = _ready(kitchen)
    beef = placement(order, kitchen.cold, "l-1").line
    client = _signed_in()
    tap = {"action": "serve_line", "order": order.pk, "line": beef.pk, "id": str(uuid.uuid4())}

    first = client.post("/foh/action/", tap)
    second = client.post("/foh/action/", tap)

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"ok": True, "id": tap["id"], "action": "serve_line"}
    assert OrderEvent.objects.filter(order=order, kind=EventKind.SERVED).count() == 1


def test_it_dates_a_serve_made_offline_when_it_was_made(kitchen: Kitchen) -> None:
    order = _ready(kitchen)
    order.ready_at = timezone.now() - timedelta(minutes=5)
    order.save(update_fields=["ready_at"])
    now = int(time.time() * 1000)
    before = timezone.now()

    response = _signed_in().post(
        "/foh/action/",
        {
            "action": "serve_order",
            "order": order.pk,
            "id": str(uuid.uuid4()),
            "made_at": str(now - 90_000),
            "sent_at": str(now),
        },
    )

    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
    assert order.served_at is not None
    assert (
        before - timedelta(seconds=91) <= order.served_at <= timezone.now() - timedelta(seconds=89)
    )


def test_it_says_why_a_serve_was_refused(kitchen: Kitchen) -> None:
    order = _ready(kitchen)
    client = _signed_in()
    client.post("/foh/action/", {"action": "serve_order", "order": order.pk})

    again = client.post(
        "/foh/action/", {"action": "serve_order", "order": order.pk, "id": str(uuid.uuid4())}
    )

    assert again.status_code == 409 and again.json()["reason"] == "handed_over"


def test_it_serves_from_the_form_without_javascript(kitchen: Kitchen) -> None:
    order = _ready(kitchen)
    client = Client(enforce_csrf_checks=True)
    client.force_login(foh_user())
    page = client.get("/foh/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page and 'value="serve_order"' in page
    token = client.cookies["csrftoken"].value
    form = {"csrfmiddlewaretoken": token, "r": "demo", "order": order.pk, "action": "serve_order"}

    done = client.post("/foh/action/", form, headers={"Accept": "text/html,*/*;q=0.8"})
    refused = client.post("/foh/action/", form, headers={"Accept": "text/html,*/*;q=0.8"})

    assert done.status_code == 302 and done["Location"] == "/foh/?r=demo"
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
    assert refused.status_code == 302
    assert "Not done — the order changed" in client.get("/foh/").content.decode()


async def test_it_serves_over_the_tablets_socket_once_per_id(kitchen: Kitchen) -> None:
    from channels.testing import WebsocketCommunicator

    order = await sync(_ready)(kitchen)
    client = await sync(_signed_in)()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    comm = WebsocketCommunicator(
        application,
        "/ws/foh/?r=demo",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()),
        ],
    )
    assert (await comm.connect())[0]
    await next_of(comm, "foh")
    tap = {"action": "serve_order", "order": order.pk, "id": str(uuid.uuid4())}

    await comm.send_json_to(tap)
    first = await next_of(comm, "result")
    await comm.send_json_to(tap)
    second = await next_of(comm, "result")
    await comm.send_json_to({"action": "sync", "t": 123})
    pong = await next_of(comm, "pong")

    assert (
        first == second == {"type": "result", "action": "serve_order", "ok": True, "id": tap["id"]}
    )
    assert pong["t"] == 123 and isinstance(pong["now"], int)
    served = await sync(OrderEvent.objects.filter(order=order, kind=EventKind.SERVED).count)()
    assert served == 1
    await comm.disconnect()


def test_it_serves_once_for_one_id_posted_four_times_at_the_same_instant(
    kitchen: Kitchen, live_server: Any
) -> None:
    """A tablet back on the network retries while its first posts are still out."""
    order = _ready(kitchen)
    session = _signed_in().cookies[settings.SESSION_COOKIE_NAME].value
    cookies = {settings.SESSION_COOKIE_NAME: session}
    tap = {"action": "serve_order", "order": str(order.pk), "id": str(uuid.uuid4())}
    poster = Poster(live_server.url, page="/foh/", cookies=cookies)

    responses = at_once(*[poster.post("/foh/action/", tap)] * 4)

    assert [r.status_code for r in responses] == [200] * 4, [r.text for r in responses]
    expected = {"ok": True, "id": tap["id"], "action": "serve_order"}
    assert [r.json() for r in responses] == [expected] * 4
    assert OrderEvent.objects.filter(order=order, kind=EventKind.SERVED).count() == 1
    assert ActionRecord.objects.count() == 1
