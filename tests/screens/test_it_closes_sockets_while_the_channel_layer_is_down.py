"""With the channel layer down (Redis not answering), a socket that cannot join its
groups is closed at once with "try again later" (4013), rather than left open and deaf,
and the same screen connects normally once the layer is back. Real Redis layers: one
pointed at a port nobody listens on, then the real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator

from kds.asgi import application
from orders.live.sockets import CLOSE_TRY_AGAIN
from tests.browser.server import free_port
from tests.factories import pickup_cookie
from tests.screens.conftest import Kitchen2, communicator, pair, sync

pytestmark = pytest.mark.django_db(transaction=True)


def use_layer(settings: object, url: str) -> None:
    settings.CHANNEL_LAYERS = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": url, "socket_timeout": 15}]},
        }
    }
    channel_layers.backends.clear()


@pytest.fixture
def layer_down(settings: object) -> Iterator[None]:
    use_layer(settings, f"redis://127.0.0.1:{free_port()}/0")
    yield
    channel_layers.backends.clear()


async def closed_with(comm: WebsocketCommunicator) -> int | None:
    connected, code = await comm.connect(timeout=10)
    if not connected:
        return code
    message = await comm.receive_output(timeout=10)
    while message["type"] == "websocket.send":  # nothing is expected before the close
        message = await comm.receive_output(timeout=10)
    assert message["type"] == "websocket.close", message
    code = message.get("code")
    assert code == 1000 or 3000 <= code <= 4999, "Daphne refuses to send other codes"
    return code


async def test_it_closes_a_screen_socket_with_try_again_later(
    kitchen2: Kitchen2, layer_down: None
) -> None:
    _, cookie = await sync(pair)(kitchen2.a)
    comm = communicator(cookie)
    assert await closed_with(comm) == CLOSE_TRY_AGAIN
    await comm.wait(timeout=10)


async def test_it_closes_a_pickup_board_socket_with_try_again_later(
    kitchen2: Kitchen2, layer_down: None
) -> None:
    cookie = await sync(pickup_cookie)(kitchen2.k.restaurant)
    comm = WebsocketCommunicator(
        application,
        "/ws/pickup/",
        headers=[
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", cookie.encode()),
        ],
    )
    assert await closed_with(comm) == CLOSE_TRY_AGAIN
    await comm.wait(timeout=10)


async def test_it_serves_the_screen_again_when_the_layer_is_back(
    kitchen2: Kitchen2, settings: object, redis_url: str
) -> None:
    _, cookie = await sync(pair)(kitchen2.a)
    use_layer(settings, f"redis://127.0.0.1:{free_port()}/0")
    refused = communicator(cookie)
    assert await closed_with(refused) == CLOSE_TRY_AGAIN
    await refused.wait(timeout=10)

    use_layer(settings, redis_url)
    try:
        comm = communicator(cookie)
        connected, _ = await comm.connect(timeout=10)
        assert connected
        assert (await comm.receive_json_from(timeout=10))["type"] == "board"
        await comm.disconnect()
    finally:
        channel_layers.backends.clear()
