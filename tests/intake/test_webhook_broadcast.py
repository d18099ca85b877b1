"""After commit, each affected station's group hears of the change; a dead layer loses no order."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers, get_channel_layer

from orders.live.groups import station_group
from orders.models import Order
from tests import factories
from tests.intake.conftest import Post


async def _listen(groups: list[str]) -> tuple[Any, str]:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    for group in groups:
        await layer.group_add(group, channel)
    return layer, channel


async def _receive_all(layer: Any, channel: str, wait: float = 0.5) -> list[dict[str, Any]]:
    received = []
    while True:
        try:
            received.append(await asyncio.wait_for(layer.receive(channel), wait))
        except TimeoutError:
            return received


@pytest.fixture
def layer_settings(request: pytest.FixtureRequest, settings: Any) -> Iterator[None]:
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def test_it_tells_each_affected_station_once_after_commit(
    post: Post, kitchen: factories.Kitchen, layer_settings: None
) -> None:
    other = factories.make_kitchen("other")
    layer, kitchen_channel = async_to_sync(_listen)([station_group(kitchen.fallback.pk)])
    _, expo_channel = async_to_sync(_listen)([station_group(kitchen.expo.pk)])
    _, other_channel = async_to_sync(_listen)(
        [station_group(other.fallback.pk), station_group(other.expo.pk)]
    )

    assert post(factories.order_body("o-1")).status_code == 201
    assert post(factories.order_body("o-2")).status_code == 201

    kitchen_messages = async_to_sync(_receive_all)(layer, kitchen_channel)
    assert [(m["type"], m["seq"]) for m in kitchen_messages] == [
        ("station.changed", 1),
        ("station.changed", 2),
    ]
    assert [m["seq"] for m in async_to_sync(_receive_all)(layer, expo_channel)] == [1, 2]
    assert async_to_sync(_receive_all)(layer, other_channel, 0.2) == []


def test_it_says_nothing_for_a_duplicate_or_a_refused_message(
    post: Post, kitchen: factories.Kitchen, layer_settings: None
) -> None:
    post(factories.order_body("o-1"), msg_id="msg_1")
    layer, channel = async_to_sync(_listen)([station_group(kitchen.fallback.pk)])

    post(factories.order_body("o-1"), msg_id="msg_1")
    post(factories.order_body("o-2", items=[{"id": "1", "name": "x", "quantity": 0}]))

    assert async_to_sync(_receive_all)(layer, channel, 0.3) == []


def test_it_stores_and_acknowledges_when_the_channel_layer_is_down(
    post: Post, settings: Any, layer_settings: None, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on port 1: every group_send fails to connect.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    channel_layers.backends.clear()

    with caplog.at_level(logging.WARNING, logger="orders.live.broadcast"):
        response = post(factories.order_body("o-1"))

    assert response.status_code == 201
    assert Order.objects.count() == 1
    assert any("broadcast to station-" in r.getMessage() for r in caplog.records)


def test_it_broadcasts_through_redis(
    post: Post, kitchen: factories.Kitchen, settings: Any, redis_url: str, layer_settings: None
) -> None:
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url]},
        }
    }
    channel_layers.backends.clear()

    async def scenario() -> list[dict[str, Any]]:
        layer, channel = await _listen([station_group(kitchen.fallback.pk)])
        await asyncio.get_running_loop().run_in_executor(None, post, factories.order_body("o-1"))
        return await _receive_all(layer, channel)

    messages = async_to_sync(scenario)()
    assert [(m["type"], m["seq"]) for m in messages] == [("station.changed", 1)]
