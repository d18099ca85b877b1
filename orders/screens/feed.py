"""One listener per station and process: a change is rendered once, encoded once, and the
same text written to every screen of the station that this process serves.

A screen's socket does not join its station's group itself. The station's feed in
this process does, once, and its screens register with it. On "station S changed,
seq N" the feed renders the board (one `board_render` on the database thread, shared
by every socket), builds the patch from the board each socket was last sent (they are
nearly always at the same one, so that is one patch, one `json.dumps`) and writes
that text to each socket.

Coalescing: while a render is under way, further changes only raise the seq wanted;
when the render finishes one more starts, reading the newest state. However fast
changes arrive, a station has at most one render running and one to come, and its
screens are never more than one board behind the database; the patch's `base` and
`seq` say how many changes it folds together.

The sockets' guarantees are the consumer's: every message carries the seq, a patch
names the board it builds on, a screen that is not at that board asks for the whole
one. A member busy sending something of its own (a board in parts, the answer to a
settings change) is skipped and catches up when it is done.
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

from ..boards.render import RenderedBoard, board_render
from ..live.groups import station_group
from ..live.messages import DISHES_CHANGED
from ..live.sockets import JOIN_TIMEOUT_SECONDS, LAYER_ERRORS
from ..models import Station
from .protocol import MESSAGE_BUDGET, now_ms

log = logging.getLogger(__name__)

# Group memberships expire in channels-redis (a day by default); the feed renews its own.
RENEW_EVERY_SECONDS = 3600.0
RETRY_AFTER_LAYER_ERROR_SECONDS = 1.0


class Member(Protocol):
    """What the feed needs of a screen's consumer."""

    sent: RenderedBoard | None  # the board this socket holds (None: none sent yet)
    holding: bool  # sending something of its own: the feed skips it

    async def base_send(self, message: dict[str, Any]) -> None: ...

    async def board_too_big_for_a_patch(self) -> None: ...

    async def settings_changed(self, seq: int) -> None: ...

    async def station_gone(self) -> None: ...

    async def dishes_changed(self) -> None: ...


def patch_message(
    base: RenderedBoard, new: RenderedBoard, *, now: int | None = None
) -> dict[str, Any] | None:
    """The patch from `base` to `new`, or None when its tickets exceed one message."""
    had = base.ticket_hashes()
    hashes = new.ticket_hashes()
    upsert = [[key, html] for key, html in new.tickets if had.get(key) != hashes[key]]
    if sum(len(html) for _, html in upsert) > MESSAGE_BUDGET:
        return None
    return {
        "type": "patch",
        "seq": new.seq,
        "base": base.seq,
        "now": now_ms() if now is None else now,
        "order": [key for key, _ in new.tickets],
        "upsert": upsert,
        "all_day": new.all_day,
        "settings": new.settings,
    }


class StationFeed:
    """A station's board for the screens of one language in this process."""

    def __init__(
        self,
        *,
        layer: BaseChannelLayer,
        station_id: int,
        language: str,
        on_empty: Callable[[], None],
    ) -> None:
        self.layer = layer
        self.station_id = station_id
        self.language = language
        self.members: set[Member] = set()
        self.latest: RenderedBoard | None = None
        self.latest_read_at = 0.0  # monotonic time the latest render began reading
        self.coalesced = 0  # changes folded into a later render instead of one each
        self.renders = 0
        self._on_empty = on_empty
        self._channel: str | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._wanted = 0  # the highest seq announced
        self._started = 0  # renders begun; a fresh read wants one begun after it asked
        self._finished = 0
        self._rendering: asyncio.Task[None] | None = None
        self._waiters: list[tuple[int, int, asyncio.Future[RenderedBoard]]] = []

    # ------------------------------------------------------------ membership

    async def join(self, member: Member) -> None:
        """Adds a screen; raises one of LAYER_ERRORS when the channel layer is down."""
        if self._channel is None:
            self._channel = await self.layer.new_channel()
        # Every join renews the membership; an idle feed renews it by itself.
        await asyncio.wait_for(
            self.layer.group_add(station_group(self.station_id), self._channel),
            JOIN_TIMEOUT_SECONDS,
        )
        self.members.add(member)
        if not self._tasks:
            self._tasks = [
                asyncio.ensure_future(self._listen()),
                asyncio.ensure_future(self._renew()),
            ]

    async def leave(self, member: Member) -> None:
        self.members.discard(member)
        if self.members:
            return
        self._on_empty()  # a screen that connects from now on gets a new feed
        for task in self._tasks:
            task.cancel()
        if self._channel is not None:
            try:
                await asyncio.wait_for(
                    self.layer.group_discard(station_group(self.station_id), self._channel),
                    JOIN_TIMEOUT_SECONDS,
                )
            except LAYER_ERRORS:
                pass  # the membership expires by itself

    async def _renew(self) -> None:
        while True:
            await asyncio.sleep(RENEW_EVERY_SECONDS)
            try:
                assert self._channel is not None
                await self.layer.group_add(station_group(self.station_id), self._channel)
            except LAYER_ERRORS:
                log.warning("station %s: could not renew the group membership", self.station_id)

    async def _listen(self) -> None:
        assert self._channel is not None
        while True:
            try:
                message = await self.layer.receive(self._channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The layer is down: its screens' own receives fail too and close them
                # (they reconnect); this keeps trying for whoever stays.
                log.warning("station %s: channel layer receive failed", self.station_id)
                await asyncio.sleep(RETRY_AFTER_LAYER_ERROR_SECONDS)
                try:
                    await self.layer.group_add(station_group(self.station_id), self._channel)
                except LAYER_ERRORS:
                    pass
                continue
            if message.get("type") != "station.changed":
                continue
            seq = int(message.get("seq", 0))
            if message.get("reason") == "settings":
                # Each screen re-checks its own options and station before it is sent
                # the board (a moved screen must reload, not get the old station's patch).
                for member in list(self.members):
                    member.holding = True
                    _spawn(member.settings_changed(seq))
                continue
            if message.get("reason") == DISHES_CHANGED:
                # A dish 86'd or back, from any screen or the admin: an open 86 list
                # shows it now, not at its next opening (the board follows as a patch).
                for member in list(self.members):
                    _spawn(member.dishes_changed())
            self.want(seq)

    # ------------------------------------------------------------ rendering

    def want(self, seq: int) -> None:
        """A change to seq was announced: render it, or fold it into the next render."""
        if seq <= self._wanted or (self.latest is not None and seq <= self.latest.seq):
            return
        self._wanted = seq
        if self._rendering is not None:
            self.coalesced += 1
        self._ensure_rendering()

    async def board(self, *, min_seq: int = 0, fresh_within: float | None = None) -> RenderedBoard:
        """A render at `min_seq` or later. With `fresh_within` (seconds), one that began
        reading the database at most that long ago; 0 means after this call (a screen
        that connects, or asks after its own change)."""
        latest = self.latest
        if latest is not None and latest.seq >= min_seq:
            if fresh_within is None or (
                fresh_within > 0 and time.monotonic() - self.latest_read_at <= fresh_within
            ):
                return latest
        start = self._started + 1 if fresh_within is not None else 0
        future: asyncio.Future[RenderedBoard] = asyncio.get_running_loop().create_future()
        self._waiters.append((min_seq, start, future))
        self._ensure_rendering()
        # Shielded: one socket closing must not cancel the render the others wait for.
        rendered = await asyncio.shield(future)
        newest = self.latest
        return newest if newest is not None and newest.seq > rendered.seq else rendered

    def _ensure_rendering(self) -> None:
        if self._rendering is None:
            self._rendering = asyncio.ensure_future(self._render_loop())

    def _satisfied(self) -> bool:
        if self.latest is None:
            return not self._waiters  # nobody has a board yet: nothing to bring up to date
        if self.latest.seq < self._wanted:
            return False
        return all(
            self.latest.seq >= seq and start <= self._finished for seq, start, _f in self._waiters
        )

    async def _render_loop(self) -> None:
        try:
            while not self._satisfied():
                self._started += 1
                began = time.monotonic()
                announced = max(self._wanted, *(seq for seq, _s, _f in self._waiters), 0)
                try:
                    rendered = await database_sync_to_async(board_render)(
                        self.station_id, language=self.language
                    )
                except Exception as exc:
                    self._fail(exc)
                    return
                self._finished = self._started
                self.renders += 1
                if self.latest is None or rendered.seq >= self.latest.seq:
                    self.latest, self.latest_read_at = rendered, began
                try:
                    await self._deliver(self.latest)
                except Exception:  # the render is good: the screens waiting for it get it
                    log.exception("station %s: delivering a patch failed", self.station_id)
                if self.latest.seq < announced:
                    # This read began after the change was announced (announcements come
                    # after commit) and still does not see it: no such seq will come (a
                    # message about a deleted and re-made station, a forged seq). Do not
                    # spin on it.
                    self._wanted = self.latest.seq
                    self._waiters = [
                        (min(seq, self.latest.seq), start, f) for seq, start, f in self._waiters
                    ]
                self._wake()
        finally:
            self._rendering = None

    def _wake(self) -> None:
        assert self.latest is not None
        pending = []
        for seq, start, future in self._waiters:
            if future.done():
                continue
            if self.latest.seq >= seq and start <= self._finished:
                future.set_result(self.latest)
            else:
                pending.append((seq, start, future))
        self._waiters = pending

    def _fail(self, exc: BaseException) -> None:
        waiters, self._waiters = self._waiters, []
        self._wanted = 0
        for _seq, _start, future in waiters:
            if not future.done():
                future.set_exception(exc)
        if isinstance(exc, Station.DoesNotExist):
            # The station was deleted under its screens: nothing left to show.
            for member in list(self.members):
                _spawn(member.station_gone())
        elif not waiters:
            log.warning("station %s: board render failed (%s)", self.station_id, exc)

    async def _deliver(self, rendered: RenderedBoard) -> None:
        """Writes the patch to `rendered` to every member behind it: one text per base."""
        texts: dict[int, str | None] = {}
        now = now_ms()
        for member in list(self.members):
            base = member.sent
            if base is None or member.holding or base.seq >= rendered.seq:
                continue
            key = id(base)
            if key not in texts:
                message = patch_message(base, rendered, now=now)
                texts[key] = None if message is None else json.dumps(message)
            text = texts[key]
            if text is None:
                _spawn(member.board_too_big_for_a_patch())
                continue
            member.sent = rendered
            try:
                await member.base_send({"type": "websocket.send", "text": text})
            except Exception:  # one broken socket must not stop the others' patches
                log.warning("station %s: a screen's send failed", self.station_id, exc_info=True)


def _spawn(coroutine: Awaitable[None]) -> None:
    task = asyncio.ensure_future(coroutine)
    _background.add(task)
    task.add_done_callback(_background.discard)


_background: set[asyncio.Future[None]] = set()

# The feeds of each event loop (tests run one loop per test; Daphne has one).
_feeds: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[int, int, str], StationFeed]
] = weakref.WeakKeyDictionary()


def station_feed(*, layer: BaseChannelLayer, station_id: int, language: str) -> StationFeed:
    """This process's feed of a station's board in a language (made on first use)."""
    feeds = _feeds.setdefault(asyncio.get_running_loop(), {})
    key = (id(layer), station_id, language)
    feed = feeds.get(key)
    if feed is None:

        def forget() -> None:
            if feeds.get(key) is feed:
                del feeds[key]

        feed = StationFeed(layer=layer, station_id=station_id, language=language, on_empty=forget)
        feeds[key] = feed
    return feed
