"""Front of house, its socket, the reports and the start page of a user of store A:
store B is not there, whatever slug or id is typed."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from kds.asgi import application
from orders.live.messages import CLOSE_FORBIDDEN
from orders.models import Order, OrderStatus
from tests.chain import MARK, Chain, make_chain

HEADERS = [(b"origin", b"http://testserver"), (b"host", b"testserver")]


@pytest.fixture
def chain(db: None) -> Chain:
    return make_chain()


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_front_of_house_shows_only_their_restaurant(chain: Chain) -> None:
    runner = _client(chain.runner_a)
    page = runner.get("/foh/")
    assert page.status_code == 200
    assert chain.a.name in page.text and MARK not in page.text
    assert runner.get(f"/foh/?r={chain.b.slug}").status_code == 404


def test_front_of_house_cannot_serve_the_other_restaurants_order(chain: Chain) -> None:
    runner = _client(chain.runner_a)
    for r in (chain.b.slug, chain.a.slug):
        response = runner.post(
            "/foh/action/", {"action": "serve_order", "order": chain.order_b.pk, "r": r}
        )
        assert response.status_code == 409
    chain.order_b.refresh_from_db()
    assert chain.order_b.status != OrderStatus.SERVED
    # Their own is served (the refusal above is not a broken action).
    response = runner.post(
        "/foh/action/", {"action": "serve_order", "order": chain.order_a.pk, "r": chain.a.slug}
    )
    assert response.status_code == 200
    assert Order.objects.get(pk=chain.order_a.pk).status == OrderStatus.SERVED


@pytest.mark.django_db(transaction=True)
def test_the_front_of_house_socket_refuses_the_other_restaurant() -> None:
    chain = make_chain()
    session = _client(chain.runner_a).cookies[settings.SESSION_COOKIE_NAME].value
    cookie = (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode())

    async def opened(slug: str) -> dict[str, object]:
        comm = WebsocketCommunicator(application, f"/ws/foh/?r={slug}", headers=[*HEADERS, cookie])
        assert (await comm.connect())[0]
        first = await comm.receive_output(timeout=5)
        await comm.disconnect()
        return first

    theirs = async_to_sync(opened)(chain.b.slug)
    assert theirs == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}
    mine = async_to_sync(opened)(chain.a.slug)
    assert mine["type"] == "websocket.send"


def test_the_reports_show_only_their_restaurant(chain: Chain) -> None:
    manager = _client(chain.manager_a)
    for query in ({}, {"restaurant": chain.b.slug}):
        page = manager.get("/reports/", query)
        assert page.status_code == 200
        assert page.context["form"].fields["restaurant"].choices == [(chain.a.slug, chain.a.name)]
        assert MARK not in page.text  # (the address typed is echoed in the language form)
    csv = manager.get("/reports/", {"restaurant": chain.b.slug, "csv": "stations"})
    assert MARK not in csv.content.decode()
    assert f"speed-of-service-{chain.a.slug}-" in csv["Content-Disposition"]


def test_the_start_page_lists_only_their_restaurant_and_pick_up_link(chain: Chain) -> None:
    for user in (chain.manager_a, chain.runner_a):
        page = _client(user).get("/").text
        assert chain.a.name in page
        assert MARK not in page
        assert chain.b.pickup_token and chain.b.pickup_token not in page
        assert chain.a.pickup_token and chain.a.pickup_token in page
