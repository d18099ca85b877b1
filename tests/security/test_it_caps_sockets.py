"""Sockets are capped per token (a screen, a signed-in user, a pick-up link) and per client
address in each process: a thousand sockets on the pick-up board's public link cannot
crowd out the kitchen's screens. Over the cap a socket is closed with 4429 (the page
backs off and tries again); a socket that closes frees its place."""

from __future__ import annotations

from typing import Any

import pytest

from orders.live.messages import CLOSE_TOO_MANY
from tests.hotpot import Kitchen, _fresh_board_cache, kitchen
from tests.security.test_every_socket_kind import (
    KINDS,
    Sockets,
    _close_worker_connections,
    opened,
    sockets,
)

__all__ = ["_close_worker_connections", "_fresh_board_cache", "kitchen", "sockets"]


async def refused(sockets: Sockets, kind: str, **kwargs: Any) -> bool:
    comm = sockets.open(kind, **kwargs)
    assert (await comm.connect())[0]
    message = await comm.receive_output(timeout=5)
    if message["type"] == "websocket.close":
        assert message["code"] == CLOSE_TOO_MANY
        return True
    await comm.disconnect()
    return False


@pytest.mark.parametrize("kind", KINDS)
async def test_it_caps_the_sockets_of_one_token(sockets: Sockets, kind: str, settings: Any) -> None:
    settings.KDS_SOCKETS_PER_TOKEN = 3
    held = [await opened(sockets, kind) for _ in range(3)]

    assert await refused(sockets, kind)

    await held.pop().disconnect()
    held.append(await opened(sockets, kind))  # a closed socket frees its place
    for comm in held:
        await comm.disconnect()


async def test_it_caps_the_sockets_of_one_address_across_kinds(
    sockets: Sockets, kitchen: Kitchen, settings: Any
) -> None:
    settings.KDS_SOCKETS_PER_ADDRESS = 3
    address = ("203.0.113.7", 50000)
    held = [await opened(sockets, kind, client=address) for kind in ("pickup", "foh", "station")]

    assert await refused(sockets, "expo", client=address)
    # Another address is not affected.
    other = await opened(sockets, "expo", client=("203.0.113.8", 50000))
    for comm in [*held, other]:
        await comm.disconnect()
