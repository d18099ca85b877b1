"""A tap carries an id the screen made: the same id again (a retry, a replay after a
reconnect, a double tap, the socket and HTTP both) changes nothing twice and gets the
first answer."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from django.test import Client

from orders.models import ActionRecord, EventKind, Order, OrderEvent, OrderStatus
from tests.at_once import Go, Poster, at_once
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, connect, next_of, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)


def _events(order: Order, kind: str) -> int:
    return OrderEvent.objects.filter(order=order, kind=kind).count()


def _http(cookie: str, data: dict[str, Any]) -> Any:
    client = Client()
    client.cookies["kds_screen"] = cookie
    return client.post("/screen/action/", data)


async def test_it_bumps_once_for_one_id_sent_twice_and_answers_the_same(
    kitchen2: Kitchen2,
) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    order = await sync(Order.objects.get)(external_id="o-1")
    _screen, cookie = await sync(pair)(kitchen2.a)
    comm, _ = await connect(cookie)
    tap = {"action": "ticket_bump", "order": order.pk, "id": str(uuid.uuid4())}

    await comm.send_json_to(tap)
    first = await next_of(comm, "result")
    await comm.send_json_to(tap)
    second = await next_of(comm, "result")
    over_http = await sync(_http)(cookie, tap)

    assert (
        first == second == {"type": "result", "action": "ticket_bump", "ok": True, "id": tap["id"]}
    )
    assert over_http.status_code == 200 and over_http.json() == {"ok": True, "id": tap["id"]}
    assert await sync(_events)(order, EventKind.BUMPED) == 1
    # A new id for the same tap is a new action: there is nothing left to bump.
    await comm.send_json_to({**tap, "id": str(uuid.uuid4())})
    again = await next_of(comm, "result")
    assert again["ok"] is False and again["reason"] == "already"
    await comm.disconnect()


async def test_it_answers_a_refusal_again_with_the_same_refusal(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    order = await sync(Order.objects.get)(external_id="o-1")
    _screen, cookie = await sync(pair)(kitchen2.a)
    comm, _ = await connect(cookie)
    recall = {"action": "recall", "order": order.pk, "id": str(uuid.uuid4())}

    await comm.send_json_to(recall)  # nothing was bumped: nothing to recall
    first = await next_of(comm, "result")
    await comm.send_json_to({"action": "ticket_bump", "order": order.pk, "id": str(uuid.uuid4())})
    assert (await next_of(comm, "result"))["ok"] is True
    await comm.send_json_to(recall)  # now it could recall, but this id was answered already

    assert await next_of(comm, "result") == first
    assert first["ok"] is False and first["reason"] == "already"
    assert await sync(_events)(order, EventKind.RECALLED) == 0
    await comm.disconnect()


async def test_it_answers_an_id_sent_again_after_a_reconnect(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    order = await sync(Order.objects.get)(external_id="o-1")
    _screen, cookie = await sync(pair)(kitchen2.a)
    tap = {"action": "ticket_bump", "order": order.pk, "id": str(uuid.uuid4())}

    comm, _ = await connect(cookie)
    await comm.send_json_to(tap)
    await next_of(comm, "result")  # the answer a dropped socket would have lost
    await comm.disconnect()
    comm, board = await connect(cookie)
    assert board["tickets"] == []
    await comm.send_json_to(tap)

    assert await next_of(comm, "result") == {
        "type": "result",
        "action": "ticket_bump",
        "ok": True,
        "id": tap["id"],
    }
    assert await sync(_events)(order, EventKind.BUMPED) == 1
    await comm.disconnect()


async def test_it_keeps_ids_apart_per_screen(kitchen2: Kitchen2) -> None:
    """Another screen sending the same id gets its own answer, not the first screen's."""
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    order = await sync(Order.objects.get)(external_id="o-1")
    _left, left_cookie = await sync(pair)(kitchen2.a, "Left")
    _right, right_cookie = await sync(pair)(kitchen2.a, "Right")
    tap = {"action": "ticket_bump", "order": order.pk, "id": str(uuid.uuid4())}

    left, _ = await connect(left_cookie)
    await left.send_json_to(tap)
    assert (await next_of(left, "result"))["ok"] is True
    right, _ = await connect(right_cookie)
    await right.send_json_to(tap)

    answer = await next_of(right, "result")
    assert answer["ok"] is False and answer["reason"] == "already"
    assert await sync(ActionRecord.objects.count)() == 2
    await left.disconnect()
    await right.disconnect()


def test_it_bumps_once_for_one_id_sent_eight_times_at_the_same_instant(
    kitchen2: Kitchen2, live_server: Any
) -> None:
    post_order(kitchen2, order_body("o-1", number="1"))
    order = Order.objects.get(external_id="o-1")
    _screen, cookie = pair(kitchen2.a)
    tap = {"action": "ticket_bump", "order": order.pk, "id": str(uuid.uuid4())}
    poster = Poster(live_server.url, page="/screen/", cookies={"kds_screen": cookie})

    responses = at_once(*[poster.post("/screen/action/", tap)] * 8)

    assert [r.status_code for r in responses] == [200] * 8, [r.text for r in responses]
    assert all(r.json() == {"ok": True, "id": tap["id"]} for r in responses)
    assert _events(order, EventKind.BUMPED) == 1
    assert ActionRecord.objects.get().answer == {"ok": True, "id": tap["id"]}
    order.refresh_from_db()
    assert order.status == OrderStatus.READY


def test_it_answers_one_id_sent_over_the_socket_and_http_at_the_same_instant(
    kitchen2: Kitchen2, live_server: Any
) -> None:
    """A screen whose socket came back while its HTTP retries are still out: the same tap
    arrives both ways at once (on PostgreSQL in CI's second pass, truly concurrently)."""
    post_order(kitchen2, order_body("o-1", number="1"))
    order = Order.objects.get(external_id="o-1")
    _screen, cookie = pair(kitchen2.a)
    tap = {"action": "ticket_bump", "order": order.pk, "id": str(uuid.uuid4())}
    poster = Poster(live_server.url, page="/screen/", cookies={"kds_screen": cookie})

    def over_socket(go: Go) -> Any:
        async def send() -> Any:
            comm, _board = await connect(cookie)
            await asyncio.to_thread(go)
            await comm.send_json_to(tap)
            answer = await next_of(comm, "result", timeout=60)
            await comm.disconnect()
            return {k: v for k, v in answer.items() if k not in ("type", "action")}

        return asyncio.run(send())

    over_http = at_once(over_socket, *[poster.post("/screen/action/", tap)] * 4)
    results = [over_http[0]] + [r.json() for r in over_http[1:]]

    assert results == [{"ok": True, "id": tap["id"]}] * 5, results
    assert _events(order, EventKind.BUMPED) == 1
    assert ActionRecord.objects.count() == 1
