"""Sending messages to groups, only ever after commit.

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

from .messages import Message

log = logging.getLogger(__name__)

# A broadcast must not hold up the webhook answer when Redis is slow or down.
SEND_TIMEOUT_SECONDS = 1.0

Outgoing = list[tuple[str, Message]]


async def _send_all(messages: Outgoing) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    for group, message in messages:
        try:
            await asyncio.wait_for(layer.group_send(group, message), SEND_TIMEOUT_SECONDS)
        except Exception:
            log.warning("broadcast to %s failed; screens will resync", group, exc_info=True)


def send_now(messages: Outgoing) -> None:
    """Sends at once; `on_commit_send` is what writers call."""
    if messages:
        async_to_sync(_send_all)(messages)


def on_commit_send(messages: Iterable[tuple[str, Message]]) -> None:
    """Sends each (group, message) once the current transaction commits."""
    batch = list(messages)
    transaction.on_commit(lambda: send_now(batch))
