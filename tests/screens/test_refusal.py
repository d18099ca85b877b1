"""Without a valid pairing cookie, or from a foreign page, the socket gets nothing."""

from __future__ import annotations

import pytest

from tests.factories import order_body
from tests.screens.conftest import Kitchen2, communicator, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("cookie", [None, "", "garbage", "1:123:forged-signature"])
async def test_it_closes_a_socket_without_a_valid_cookie(
    kitchen2: Kitchen2, cookie: str | None
) -> None:
    await sync(post_order)(kitchen2, order_body("o-1"))
    comm = communicator(cookie)
    connected, _ = await comm.connect()
    assert connected  # accepted only to say why, so the page can show pairing instead of retrying
    assert await comm.receive_json_from(timeout=5) == {"type": "unpaired"}
    closed = await comm.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4001}
    await comm.wait()


async def test_it_refuses_a_socket_from_a_foreign_origin(kitchen2: Kitchen2) -> None:
    _, cookie = await sync(pair)(kitchen2.a)
    comm = communicator(cookie, origin=b"https://evil.example")
    connected, _ = await comm.connect()
    assert not connected
    await comm.wait()
