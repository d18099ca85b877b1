"""What every socket consumer shares: bad frames, floods, caps, slow readers, a failing layer.

Every kind (station, expo, front of house, pick-up) builds on `LayerAwareConsumer`:

- A binary frame closes the socket (CLOSE_BINARY), as does one over MAX_MESSAGE_CHARS
  (CLOSE_TOO_BIG): codes Daphne lets an application send. Text that is not a message
  (`frames.parse_action`) is answered {"type": "error", "error": "malformed"}.
- Messages beyond MESSAGE_BURST at once (refilled at MESSAGES_PER_SECOND) close the
  socket (CLOSE_TOO_MANY); a screen sends a sync every few seconds and a tap now and
  then. Whole boards on request (`board_request_allowed`) are rarer still.
- At most settings.KDS_SOCKETS_PER_TOKEN sockets per screen, signed-in user or pick-up
  link, and KDS_SOCKETS_PER_ADDRESS per client address, in this process.
- A socket whose client stops reading while the server still writes to it (Daphne
  buffers without bound) is dropped once more than KDS_SOCKET_SEND_BUFFER_BYTES wait.

The channel layer failing: while Redis is down or restarting, a socket cannot join its
groups and its pending receive fails. Left to Channels, the exception is logged as a
crash and, worse, when Redis restarts channels-redis can leave that receive unable to
finish its cancellation, so Channels waits for it forever and never closes the socket:
a screen would sit on an open socket that hears nothing (seen in tests/chaos:
test_it_keeps_taking_orders_while_redis_is_down.py). So the socket is closed by us,
with CLOSE_TRY_AGAIN, and the page reconnects with back-off until the layer is back.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .frames import MALFORMED, MAX_MESSAGE_CHARS, parse_action
from .messages import CLOSE_BINARY, CLOSE_TOO_BIG, CLOSE_TOO_MANY, CLOSE_TRY_AGAIN

log = logging.getLogger(__name__)

JOIN_TIMEOUT_SECONDS = 5.0
LAYER_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError, asyncio.TimeoutError)

MESSAGE_BURST, MESSAGES_PER_SECOND = 100, 20.0
BOARD_BURST, BOARDS_PER_SECOND = 5, 0.5


class RateLimit:
    """A token bucket: `burst` at once, refilled at `per_second`."""

    def __init__(self, burst: float, per_second: float) -> None:
        self.burst, self.per_second = burst, per_second
        self.tokens, self.at = burst, time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


# Open sockets of this process by what they are counted under ("address:…", "token:…").
_open: Counter[str] = Counter()


def _buffered(transport: Any) -> int:
    """Bytes a Twisted transport holds for a client that has not read them yet."""
    try:
        waiting = len(transport.dataBuffer) - transport.offset + transport._tempDataLen
    except (AttributeError, TypeError):
        return 0
    return int(waiting)


def _transport(send: Any) -> Any:
    """Daphne hands each application `partial(server.handle_reply, protocol)`: the protocol's
    transport is where unread bytes pile up. Under any other server there is none."""
    args = getattr(send, "args", ())
    return getattr(args[0], "transport", None) if args else None


class BoundedSends:
    """ASGI middleware, outermost (it needs Daphne's own `send`): drops a socket whose
    client has not read more than settings.KDS_SOCKET_SEND_BUFFER_BYTES.

    A close frame would only wait behind the rest, so the connection is aborted, which
    frees what waits; the consumer hears a disconnect as from any lost client.
    """

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        transport = _transport(send)
        if scope["type"] == "websocket" and transport is not None:
            send = self._bounded(send, transport, settings.KDS_SOCKET_SEND_BUFFER_BYTES)
        return await self.application(scope, receive, send)

    @staticmethod
    def _bounded(send: Callable[[Any], Awaitable[None]], transport: Any, limit: int) -> Any:
        dropped = False

        async def bounded_send(message: dict[str, Any]) -> None:
            nonlocal dropped
            if message.get("type") == "websocket.send":
                if dropped:
                    return
                waiting = _buffered(transport)
                if waiting > limit:
                    dropped = True
                    log.warning(
                        "socket dropped: its client is not reading (%d bytes waiting)",
                        waiting,
                        extra={"event": "socket_not_reading", "waiting": waiting},
                    )
                    transport.abortConnection()
                    return
            await send(message)

        return bounded_send


class LayerAwareConsumer(AsyncJsonWebsocketConsumer):
    _closed = False
    _claims: tuple[str, ...] = ()
    messages: RateLimit
    boards: RateLimit

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.messages = RateLimit(MESSAGE_BURST, MESSAGES_PER_SECOND)
        self.boards = RateLimit(BOARD_BURST, BOARDS_PER_SECOND)
        try:
            await super().__call__(scope, receive, send)
        except LAYER_ERRORS as exc:
            log.warning("channel layer lost (%s); the socket is closed to retry", exc)
            if not self._closed:
                self._closed = True
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN})
        finally:
            self._release()

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        self._closed = True
        await super().close(code=code, reason=reason)

    # -------------------------------------------------------------- caps

    async def admit(self, token: str) -> bool:
        """Counts this socket under its token (screen, user, pick-up link) and its client's
        address; closes it (CLOSE_TOO_MANY) and returns False when either is full."""
        claims = {f"token:{token}": settings.KDS_SOCKETS_PER_TOKEN}
        client = self.scope.get("client")
        if client and client[0]:
            claims[f"address:{client[0]}"] = settings.KDS_SOCKETS_PER_ADDRESS
        full = [key for key, limit in claims.items() if _open[key] >= limit]
        if full:
            log.warning(
                "socket refused: too many open under %s",
                ", ".join(full),
                extra={"event": "socket_too_many", "claims": full},
            )
            await self.close(code=CLOSE_TOO_MANY)
            return False
        self._claims = tuple(claims)
        _open.update(self._claims)
        return True

    def _release(self) -> None:
        claims, self._claims = self._claims, ()
        _open.subtract(claims)
        for key in claims:
            if _open[key] <= 0:
                del _open[key]

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        self._release()
        await super().websocket_disconnect(message)

    # -------------------------------------------------------------- bad input
    # Each costs its sender only: a close for a frame no page sends, "malformed" for
    # text no page sends.

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None:
            await self.close(code=CLOSE_BINARY)
            return
        if len(text_data) > MAX_MESSAGE_CHARS:
            await self.close(code=CLOSE_TOO_BIG)
            return
        if not self.messages.take():
            log.warning("socket closed: messages faster than a screen sends")
            await self.close(code=CLOSE_TOO_MANY)
            return
        content = parse_action(text_data)
        if content is None:
            await self.send_json(MALFORMED)
            return
        await self.receive_json(content, **kwargs)

    async def board_request_allowed(self) -> bool:
        """Whether to answer a request for a whole board now; if not, says so."""
        if self.boards.take():
            return True
        await self.send_json({"type": "error", "error": "rate_limited"})
        return False

    # -------------------------------------------------------------- the channel layer

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
