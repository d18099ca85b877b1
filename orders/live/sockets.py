"""What every socket consumer does about the channel layer (Redis) failing under it.

While Redis is down or restarting, a socket cannot join its groups and its pending
receive fails. Left to Channels, the exception is logged as a crash and, worse, when
Redis restarts channels-redis can leave that receive unable to finish its
cancellation, so Channels waits for it forever and never closes the socket: a screen
would sit on an open socket that hears nothing (seen in tests/chaos:
test_it_keeps_taking_orders_while_redis_is_down.py). So the socket is closed by us,
with CLOSE_TRY_AGAIN, and the page reconnects with back-off until the layer is back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .frames import MALFORMED, MAX_MESSAGE_CHARS, parse_action
from .messages import CLOSE_BINARY, CLOSE_TOO_BIG, CLOSE_TRY_AGAIN

log = logging.getLogger(__name__)

JOIN_TIMEOUT_SECONDS = 5.0
LAYER_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError, asyncio.TimeoutError)


class LayerAwareConsumer(AsyncJsonWebsocketConsumer):
    _closed = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        except LAYER_ERRORS as exc:
            log.warning("channel layer lost (%s); the socket is closed to retry", exc)
            if not self._closed:
                self._closed = True
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN})

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        self._closed = True
        await super().close(code=code, reason=reason)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        """Bad input costs its sender only (frames.py): closed, or answered "malformed"."""
        if text_data is None:
            await self.close(code=CLOSE_BINARY)
            return
        if len(text_data) > MAX_MESSAGE_CHARS:
            await self.close(code=CLOSE_TOO_BIG)
            return
        content = parse_action(text_data)
        if content is None:
            await self.send_json(MALFORMED)
            return
        await self.receive_json(content, **kwargs)

    async def groups_join(self, groups: Iterable[str]) -> bool:
        """Adds this socket to its groups; False after closing it if the layer is down."""
        try:
            for group in groups:
                await asyncio.wait_for(
                    self.channel_layer.group_add(group, self.channel_name), JOIN_TIMEOUT_SECONDS
                )
        except LAYER_ERRORS as exc:
            log.warning("channel layer unavailable (%s); closing the socket to retry", exc)
            await self.close(code=CLOSE_TRY_AGAIN)
            return False
        return True

    async def groups_leave(self, groups: Iterable[str]) -> None:
        """Best effort: a membership the layer cannot drop now expires by itself."""
        for group in groups:
            try:
                await asyncio.wait_for(
                    self.channel_layer.group_discard(group, self.channel_name),
                    JOIN_TIMEOUT_SECONDS,
                )
            except LAYER_ERRORS:
                return
