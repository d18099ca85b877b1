"""A screen's cookie opens its own station and nothing else: tampered, re-signed or stale
cookies are refused, and a valid one cannot act on another station's tickets."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.test import Client

from orders.models import LineStation, Order, OrderEvent
from tests.factories import order_body
from tests.screens.conftest import communicator, connect, post_order, sync
from tests.security.conftest import Site

pytestmark = pytest.mark.django_db(transaction=True)

FRIES = [{"id": "l-1", "name": "Fries", "sku": "FRIES", "quantity": 2}]
ACTIONS = ("line_bump", "line_unbump", "ticket_bump", "void_ack", "recall")


def forgeries(site: Site) -> dict[str, str]:
    """Cookies an attacker holding station A's could make to pass for station B's screen."""
    a_payload, a_stamp, a_sig = site.cookie_a.rsplit(":", 2)  # id:paired:time:signature
    a_paired = a_payload.split(":")[1]
    b_paired = int(site.screen_b.paired_at.timestamp() * 1_000_000)  # type: ignore[union-attr]
    return {
        "B's id with A's signature": f"{site.screen_b.pk}:{a_paired}:{a_stamp}:{a_sig}",
        "B's payload with A's signature": f"{site.screen_b.pk}:{b_paired}:{a_stamp}:{a_sig}",
        "B's payload, unsigned": f"{site.screen_b.pk}:{b_paired}",
        "B's payload signed for another purpose": signing.get_cookie_signer(salt="sessionid").sign(
            f"{site.screen_b.pk}:{b_paired}"
        ),
        "B's payload signed with another key": signing.TimestampSigner(
            key="x" * 50, salt="kds_screenkds.screen.v1"
        ).sign(f"{site.screen_b.pk}:{b_paired}"),
    }


def http(cookie: str) -> Client:
    client = Client()
    client.cookies["kds_screen"] = cookie
    return client


def test_it_refuses_forged_cookies_over_http(site: Site) -> None:
    post_order(site.kitchen, order_body("o-fries", number="201", items=FRIES))
    placement = LineStation.objects.get(station=site.kitchen.b)

    answers = {
        name: (
            http(cookie).get("/screen/").status_code,
            http(cookie)
            .post("/screen/action/", {"action": "line_bump", "placement": placement.pk})
            .status_code,
        )
        for name, cookie in forgeries(site).items()
    }

    assert answers == {name: (403, 403) for name in answers}
    assert http(site.cookie_b).get("/screen/").status_code == 200  # the real one works


async def test_it_refuses_forged_cookies_on_the_socket(site: Site) -> None:
    for name, cookie in (await sync(forgeries)(site)).items():
        comm = communicator(cookie)
        connected, _ = await comm.connect()
        assert connected, name
        assert await comm.receive_json_from(timeout=5) == {"type": "unpaired"}, name
        assert (await comm.receive_output(timeout=5))["code"] == 4001, name
        await comm.wait()


async def test_it_refuses_a_cookie_issued_before_the_screen_was_paired_again(
    site: Site,
) -> None:
    stolen = site.cookie_a
    await sync(site.screen_a.new_pairing_link)()
    _, fresh = await sync(pair_again)(site)

    comm = communicator(stolen)
    await comm.connect()
    assert await comm.receive_json_from(timeout=5) == {"type": "unpaired"}
    await comm.wait()
    assert await sync(lambda: http(stolen).get("/screen/").status_code)() == 403
    assert await sync(lambda: http(fresh).get("/screen/").status_code)() == 200


def pair_again(site: Site) -> tuple[Any, str]:
    site.screen_a.refresh_from_db()
    response = Client().post("/pair/", {"token": site.screen_a.pairing_token, "confirm": "1"})
    assert response.status_code == 302
    return site.screen_a, response.cookies["kds_screen"].value


async def test_it_refuses_every_action_on_another_stations_ticket(site: Site) -> None:
    await sync(post_order)(site.kitchen, order_body("o-fries", number="201", items=FRIES))
    order = await sync(Order.objects.get)(external_id="o-fries")
    placement = await sync(LineStation.objects.get)(station=site.kitchen.b)
    events = await sync(OrderEvent.objects.count)()
    comm, _ = await connect(site.cookie_a)
    target = {"placement": placement.pk, "order": order.pk}

    for action in ACTIONS:
        await comm.send_json_to({"action": action, **target})
        result = await comm.receive_json_from(timeout=5)
        assert result == {"type": "result", "ok": False, "action": action}
        status = await sync(
            lambda action=action: (
                http(site.cookie_a)
                .post("/screen/action/", {"action": action, **target})
                .status_code
            )
        )()
        assert status == 409, action
    await comm.disconnect()

    await sync(placement.refresh_from_db)()
    assert placement.state == "live"
    assert await sync(OrderEvent.objects.count)() == events
