"""The socket tests run on the layer of the pass: in .ci/run's Redis pass, a screen that
connects joins its station's group in Redis (channels-redis' keys under the test's own
prefix, in the test Redis database), not in an in-memory layer that would hide how
channels-redis behaves."""

from __future__ import annotations

import os

import pytest
import redis

from orders.live.groups import station_group
from tests.conftest import SocketLayer
from tests.screens.conftest import Kitchen2, connect, pair, sync


async def test_it_joins_the_station_group_on_the_layer_of_the_pass(
    kitchen2: Kitchen2, socket_layer: SocketLayer, request: pytest.FixtureRequest
) -> None:
    if not os.environ.get("REDIS_URL"):
        assert socket_layer.backend == "InMemoryChannelLayer"
        return
    assert socket_layer.backend == "RedisChannelLayer", socket_layer  # the product's default
    group = f"{socket_layer.prefix}:group:{station_group(kitchen2.a.pk)}".encode()
    server = redis.Redis.from_url(request.getfixturevalue("redis_url"))
    _screen, cookie = await sync(pair)(kitchen2.a, "A")

    comm, board = await connect(cookie)
    joined = server.zrange(group, 0, -1)
    await comm.disconnect()

    assert board["type"] == "board"
    assert len(joined) == 1  # the station feed's channel in this process, in Redis
    assert server.zrange(group, 0, -1) == []  # and gone when it left
