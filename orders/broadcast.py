"""Telling screens that their station changed.

Only ever called from `transaction.on_commit`, so a screen never hears of a change
the database does not hold. The channel layer may drop a message or be down:
screens notice the gap in sequence numbers and reload their board, so a failure
here is logged and swallowed, never allowed to fail an order that is stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

# A broadcast must not hold up the webhook answer when Redis is slow or down.
SEND_TIMEOUT_SECONDS = 1.0


def station_group(station_id: int) -> str:
    return f"station-{station_id}"


RESTAURANT_GROUP = "restaurant-{}"


def restaurant_group(restaurant_id: int) -> str:
    return RESTAURANT_GROUP.format(restaurant_id)


async def _send_all(messages: list[tuple[str, dict[str, object]]]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group, message in messages:
        try:
            await asyncio.wait_for(layer.group_send(group, message), SEND_TIMEOUT_SECONDS)
        except Exception:
            log.warning("broadcast to %s failed; screens will resync", group, exc_info=True)


def send_now(messages: list[tuple[str, dict[str, object]]]) -> None:
    if messages:
        async_to_sync(_send_all)(messages)


def station_changed_message(seq: int, reason: str) -> dict[str, object]:
    return {"type": "station.changed", "seq": seq, "reason": reason}


def on_commit_stations_changed(seqs: dict[int, int], *, reason: str) -> None:
    """After commit, tell each station's group its new sequence number."""
    messages: list[tuple[str, dict[str, object]]] = [
        (station_group(sid), station_changed_message(seq, reason)) for sid, seq in seqs.items()
    ]
    transaction.on_commit(lambda: send_now(messages))


def on_commit_send(messages: Iterable[tuple[str, dict[str, object]]]) -> None:
    batch = list(messages)
    transaction.on_commit(lambda: send_now(batch))
