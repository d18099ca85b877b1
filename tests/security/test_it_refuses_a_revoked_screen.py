"""A revoked screen can do nothing, even when the news of the revoke never reached its
open socket (the channel layer is at-most-once)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from orders.models import LineStation, Screen
from tests.factories import order_body
from tests.screens.conftest import connect, next_of, post_order, sync
from tests.security.conftest import Site

pytestmark = pytest.mark.django_db(transaction=True)


def revoke_quietly(screen: Screen) -> None:
    """Revokes in the database only: no message to the screen's socket."""
    Screen.objects.filter(pk=screen.pk).update(revoked_at=timezone.now())


async def test_it_refuses_actions_on_an_open_socket_after_a_missed_revoke(site: Site) -> None:
    await sync(post_order)(site.kitchen, order_body("o-1"))
    placement = await sync(LineStation.objects.get)(
        station=site.kitchen.a, line__order__external_id="o-1"
    )
    comm, _ = await connect(site.cookie_a)

    await sync(revoke_quietly)(site.screen_a)
    await comm.send_json_to({"action": "line_bump", "placement": placement.pk})

    assert (await next_of(comm, "result"))["ok"] is False
    await sync(placement.refresh_from_db)()
    assert placement.state == "live"
    # Its next sync finds out and sends it back to pairing.
    await comm.send_json_to({"action": "sync", "seq": 0, "t": 0})
    assert await next_of(comm, "unpaired") == {"type": "unpaired"}
    assert (await comm.receive_output(timeout=5))["code"] == 4003


def test_it_refuses_a_revoked_screen_over_http(site: Site) -> None:
    post_order(site.kitchen, order_body("o-1"))
    placement = LineStation.objects.get(station=site.kitchen.a, line__order__external_id="o-1")
    revoke_quietly(site.screen_a)
    client = Client()
    client.cookies["kds_screen"] = site.cookie_a

    page = client.get("/screen/")
    action = client.post("/screen/action/", {"action": "line_bump", "placement": placement.pk})

    assert page.status_code == 403
    assert page.cookies["kds_screen"].value == ""  # the page tells the browser to drop it
    assert action.status_code == 403
    placement.refresh_from_db()
    assert placement.state == "live"


async def test_it_refuses_a_revoked_screen_on_a_new_socket(site: Site) -> None:
    await sync(revoke_quietly)(site.screen_a)

    comm, first = await connect(site.cookie_a)

    assert first == {"type": "unpaired"}
    assert (await comm.receive_output(timeout=5))["code"] == 4001
    await comm.disconnect()  # as a browser answers a close: the consumer ends here
