"""One listener per restaurant, list and language in each process: the front-of-house and
pick-up lists are rendered once per change and the same text written to every socket.

Before, each socket joined the restaurant's groups and rendered the whole list itself
on every change of every station: a thousand sockets on the pick-up board's public
link were a thousand renders per bump, queued on the one database thread the station
screens' renders need too, and a thousand channel-layer messages per broadcast. Now
the feed joins the groups once (one message per broadcast and process), renders once
and sends one encoded text to all its sockets, as a station's feed does for its
screens (orders/screens/feed.py).

Coalescing: a change during a render marks the list dirty and one more render follows,
which reads the newest state (the broadcast comes after the commit). A socket that
connects gets the latest render at once, and whatever a change in flight brings next.
A page's periodic {"action": "refresh"} (the safety net for a lost broadcast, and what
lets "served in the last hour" age) renders again at most every REFRESH_SECONDS,
however many pages ask.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from channels.db import database_sync_to_async
from channels.layers import BaseChannelLayer

from ..live.messages import RESTAURANT_LANGUAGE_CHANGED
from ..live.sockets import JOIN_TIMEOUT_SECONDS, LAYER_ERRORS

log = logging.getLogger(__name__)

REFRESH_SECONDS = 2.0
RETRY_AFTER_LAYER_ERROR_SECONDS = 1.0
RENEW_EVERY_SECONDS = 3600.0


class Member(Protocol):
    async def base_send(self, message: dict[str, Any]) -> None: ...

    async def list_closed(self) -> None: ...

    async def list_reload(self) -> None: ...


class ListFeed:
    """A restaurant's list (front of house or pick-up) in one language, in this process."""

    def __init__(
        self,
        *,
        layer: BaseChannelLayer,
        groups: list[str],
        render: Callable[[], dict[str, Any]],
        closes_on: str,
        on_empty: Callable[[], None],
    ) -> None:
        self.layer = layer
        self.groups = groups
        self.render = render  # runs on the database thread; returns the message to send
        self.closes_on = closes_on  # a message type that ends every socket of the list
        self.members: set[Member] = set()
        self.latest: str | None = None
        self.renders = 0
        self._on_empty = on_empty
        self._channel: str | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._dirty = False
        self._rendering: asyncio.Task[None] | None = None
        self._started_at = 0.0
        self._first = asyncio.get_running_loop().create_future()

    async def join(self, member: Member) -> None:
        """Adds a socket and sends it the list; raises LAYER_ERRORS when the layer is down."""
        if self._channel is None:
            self._channel = await self.layer.new_channel()
        await self._group_add()
        self.members.add(member)
        if not self._tasks:
            self._tasks = [
                asyncio.ensure_future(self._listen()),
                asyncio.ensure_future(self._renew()),
            ]
        if self.latest is None:
            self.changed()
            await asyncio.shield(self._first)
        elif self._rendering is None:
            await member.base_send({"type": "websocket.send", "text": self.latest})
        # While a render is under way the member gets its result with the others.

    async def leave(self, member: Member) -> None:
        self.members.discard(member)
        if self.members:
            return
        self._on_empty()
        for task in self._tasks:
            task.cancel()
        if self._channel is not None:
            for group in self.groups:
                try:
                    await asyncio.wait_for(
                        self.layer.group_discard(group, self._channel), JOIN_TIMEOUT_SECONDS
                    )
                except LAYER_ERRORS:
                    return  # the membership expires by itself

    async def refresh(self, member: Member) -> None:
        """A page's periodic ask: a new render unless one began very recently, which every
        socket then gets; else the latest list, to this socket only."""
        if time.monotonic() - self._started_at >= REFRESH_SECONDS:
            self.changed()
        elif self._rendering is None and self.latest is not None:
            await member.base_send({"type": "websocket.send", "text": self.latest})

    def changed(self) -> None:
        self._dirty = True
        if self._rendering is None:
            self._rendering = asyncio.ensure_future(self._render_loop())

    async def _group_add(self) -> None:
        assert self._channel is not None
        for group in self.groups:
            await asyncio.wait_for(self.layer.group_add(group, self._channel), JOIN_TIMEOUT_SECONDS)

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY_SECONDS)
            try:
                await self._group_add()
            except LAYER_ERRORS:
                log.warning("list feed: could not renew its group memberships")

    async def _listen(self) -> None:
        assert self._channel is not None
        while True:
            try:
                message = await self.layer.receive(self._channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("list feed: channel layer receive failed")
                await asyncio.sleep(RETRY_AFTER_LAYER_ERROR_SECONDS)
                try:
                    await self._group_add()
                except LAYER_ERRORS:
                    pass
                continue
            if message.get("type") == self.closes_on:
                for member in list(self.members):
                    _spawn(member.list_closed())
            elif message.get("type") == RESTAURANT_LANGUAGE_CHANGED:
                # This feed renders in the old language: its pages load again.
                for member in list(self.members):
                    _spawn(member.list_reload())
            elif message.get("type") in ("station.changed", "restaurant.changed"):
                self.changed()

    async def _render_loop(self) -> None:
        try:
            while self._dirty:
                self._dirty = False
                self._started_at = time.monotonic()
                try:
                    message = await database_sync_to_async(self.render)()
                except Exception:
                    log.warning("list feed: render failed", exc_info=True)
                    if not self._first.done():
                        self._first.set_result(None)
                    return
                self.renders += 1
                self.latest = json.dumps(message)
                await self._deliver(self.latest)
                if not self._first.done():
                    self._first.set_result(None)
        finally:
            self._rendering = None

    async def _deliver(self, text: str) -> None:
        for member in list(self.members):
            try:
                await member.base_send({"type": "websocket.send", "text": text})
            except Exception:  # one broken socket must not stop the others' lists
                log.warning("list feed: a socket's send failed", exc_info=True)


def _spawn(coroutine: Awaitable[None]) -> None:
    task = asyncio.ensure_future(coroutine)
    _background.add(task)
    task.add_done_callback(_background.discard)


_background: set[asyncio.Future[None]] = set()

_feeds: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[Any, ...], ListFeed]] = (
    weakref.WeakKeyDictionary()
)


def list_feed(
    *,
    layer: BaseChannelLayer,
    key: tuple[Any, ...],
    groups: list[str],
    render: Callable[[], dict[str, Any]],
    closes_on: str = "",
) -> ListFeed:
    """This process's feed of a list (made on first use): `key` names the list, restaurant
    and languages; sockets with the same key share it."""
    feeds = _feeds.setdefault(asyncio.get_running_loop(), {})
    full_key = (id(layer), *key)
    feed = feeds.get(full_key)
    if feed is None:

        def forget() -> None:
            if feeds.get(full_key) is feed:
                del feeds[full_key]

        feed = ListFeed(
            layer=layer, groups=groups, render=render, closes_on=closes_on, on_empty=forget
        )
        feeds[full_key] = feed
    return feed
