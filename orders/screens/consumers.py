"""The station and expo screens' WebSocket. Thin: authenticate, send boards, run commands.

The messages are `orders.screens.protocol`'s. The server diffs against what it last
sent on this socket, so a dropped channel-layer message costs nothing but a later,
larger patch.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from channels.db import database_sync_to_async
from django.db import DatabaseError

from ..actions.screens import screen_connected, screen_disconnected, screen_heartbeat
from ..boards.dishes import station_dishes
from ..boards.recall import recall_render
from ..boards.render import RenderedBoard
from ..kitchen.language import page_language
from ..live.groups import screen_group
from ..live.messages import (
    CLOSE_RELOAD,
    CLOSE_REVOKED,
    CLOSE_TOO_MANY,
    CLOSE_TRY_AGAIN,
    CLOSE_UNPAIRED,
)
from ..live.sockets import LAYER_ERRORS, LayerAwareConsumer
from ..models import Screen, Station
from .commands import ACTIONS, DISH_ACTIONS, EXPO_ACTIONS, screen_command
from .feed import StationFeed, patch_message, station_feed
from .pairing import screen_active, screen_from_cookie, screen_still_paired
from .protocol import board_parts, now_ms, screen_cookie

log = logging.getLogger(__name__)


# One structured line per connect, refusal and disconnect (KDS_LOG_FORMAT=json).
screen_log = logging.getLogger("kds.screen")


def _log_connection(event: str, scope: dict[str, Any], screen: Screen | None, **extra: Any) -> None:
    client = scope.get("client") or ("", 0)
    screen_log.info(
        "screen %s",
        event,
        extra={
            "event": f"screen_{event}",
            "screen_id": screen.pk if screen else None,
            "station_id": screen.station_id if screen else None,
            "client": client[0],
            **extra,
        },
    )


class StationConsumer(LayerAwareConsumer):
    """A station screen's socket. Its board comes from the station's feed in this process
    (`feed.py`): one render and one encoded patch per change for all of its sockets."""

    screen: Screen | None = None
    station_id: int = 0
    language: str  # set in connect() (orders.kitchen.language)
    feed: StationFeed | None = None
    sent: RenderedBoard | None = None  # the board this socket holds
    holding = False  # sending a board or a settings answer: the feed waits for us
    _settings_lock: asyncio.Lock | None = None
    paired = 0  # the pairing this socket was opened with (`pairing_stamp`)

    @property
    def sent_seq(self) -> int:
        return self.sent.seq if self.sent is not None else -1

    async def connect(self) -> None:
        self.screen = await database_sync_to_async(screen_from_cookie)(screen_cookie(self.scope))
        await self.accept()
        if self.screen is None:
            # Accept, then close with a code of ours: a refused handshake looks like a
            # network error to a browser, which would retry forever instead of pairing.
            await self.send_json({"type": "unpaired"})
            await self.close(code=CLOSE_UNPAIRED)
            _log_connection("refused", self.scope, None, code=CLOSE_UNPAIRED)
            return
        if not await self.admit(f"screen:{self.screen.pk}"):
            _log_connection("refused", self.scope, self.screen, code=CLOSE_TOO_MANY)
            self.screen = None
            return
        # The pairing this socket was opened with: pairing the screen again (another
        # device) ends it, and every action checks it is still the one.
        self.paired = self.screen.pairing_stamp
        self.station_id = self.screen.station_id
        self.language = page_language(restaurant=self.screen.restaurant, screen=self.screen)
        feed = station_feed(
            layer=self.channel_layer, station_id=self.station_id, language=self.language
        )
        if not await self.groups_join([screen_group(self.screen.pk)]) or not await self._join(feed):
            _log_connection("refused", self.scope, self.screen, code=CLOSE_TRY_AGAIN)
            self.screen = None
            return
        _log_connection("connected", self.scope, self.screen)
        await database_sync_to_async(screen_connected)(screen=self.screen)
        await self._send_board(fresh=True)

    async def _join(self, feed: StationFeed) -> bool:
        try:
            await feed.join(self)
        except LAYER_ERRORS as exc:
            log.warning("channel layer unavailable (%s); closing the socket to retry", exc)
            await self.close(code=CLOSE_TRY_AGAIN)
            return False
        self.feed = feed
        return True

    async def disconnect(self, code: int) -> None:
        if self.screen is not None:
            _log_connection("disconnected", self.scope, self.screen, code=code)
            try:
                await database_sync_to_async(screen_disconnected)(screen=self.screen)
            except DatabaseError:
                # The database is down: the heartbeat goes stale and tells the same.
                log.warning("could not record screen %s disconnecting", self.screen.pk)
            await self.groups_leave([screen_group(self.screen.pk)])
        if self.feed is not None:
            await self.feed.leave(self)

    # -------------------------------------------------------------- sending boards

    async def _board(self, *, min_seq: int = 0, fresh_within: float | None = None) -> RenderedBoard:
        assert self.feed is not None
        return await self.feed.board(min_seq=min_seq, fresh_within=fresh_within)

    async def _send_board(self, *, fresh: bool = False) -> None:
        rendered = await self._board(fresh_within=0 if fresh else None)
        message = {
            "type": "board",
            "seq": rendered.seq,
            # The page checks it shows this station: a screen moved while its socket was
            # down reloads as the new one (a move while connected closes with 4002).
            "station": self.station_id,
            "now": now_ms(),
            "tickets": [list(t) for t in rendered.tickets],
            "all_day": rendered.all_day,
            "settings": rendered.settings,
            "screen": self._screen_options(),
        }
        self.sent = rendered
        self.holding = True  # a board in parts: no patch between its parts
        try:
            for part in board_parts(message):
                await self.send_json(part)
        finally:
            self.holding = False
        await self._catch_up()

    async def _catch_up(self, *, with_screen: bool = False) -> None:
        """Sends the patch from what this socket holds to the feed's newest board, if newer."""
        newest = self.feed.latest if self.feed is not None else None
        if newest is None or self.sent is None:
            return
        if newest.seq <= self.sent.seq and not with_screen:
            return
        message = patch_message(self.sent, newest)
        if message is None:
            # Too much changed for one message: the whole board, in parts.
            await self._send_board()
            return
        if with_screen:
            message["screen"] = self._screen_options()
        self.sent = newest
        await self.send_json(message)

    def _screen_options(self) -> dict[str, Any]:
        """This screen's display options from the admin, applied by the page as they change."""
        if self.screen is None:
            return {}
        return {"font_size": self.screen.font_size, "show_all_day": self.screen.show_all_day}

    async def _send_patch(self) -> None:
        """Brings this socket up to the database (the feed patches the station's others)."""
        try:
            await self._board(fresh_within=0)
        except Station.DoesNotExist:
            await self.station_gone()
            return
        await self._catch_up()

    # -------------------------------------------------------------- from the feed

    async def board_too_big_for_a_patch(self) -> None:
        await self._send_board()

    async def station_gone(self) -> None:
        # The station was deleted under its screens: nothing left to show.
        await self.screen_revoked({})

    async def settings_changed(self, seq: int) -> None:
        """Screen settings saves touch the station too: pick up this screen's new options,
        and if it was moved to another station or speaks another language now, have the
        page load again. Only those saves (and a restaurant's language) can change a
        screen; revocation has its own message, and the screen's periodic sync re-checks
        it anyway."""
        assert self.screen is not None
        if self._settings_lock is None:
            self._settings_lock = asyncio.Lock()
        async with self._settings_lock:
            self.holding = True
            try:
                fresh = await database_sync_to_async(screen_active)(screen_id=self.screen.pk)
                if fresh is None:
                    await self.screen_revoked({})
                    return
                # Moved to another station, or its language changed (the screen's own or
                # its restaurant's): the page loads again, every word in the new language.
                if fresh.station_id != self.station_id or self.language != page_language(
                    restaurant=fresh.restaurant, screen=fresh
                ):
                    await self.send_json({"type": "reload"})
                    await self.close(code=CLOSE_RELOAD)
                    return
                self.screen = fresh
                try:
                    await self._board(min_seq=seq)
                except Station.DoesNotExist:
                    await self.station_gone()
                    return
            finally:
                self.holding = False
            await self._catch_up(with_screen=True)

    async def dishes_changed(self) -> None:
        """A dish of the restaurant was 86'd or brought back: the page's 86 list follows."""
        try:
            dishes = await self._dishes_async()
        except Station.DoesNotExist:
            return  # the board's render says the station is gone
        await self.send_json({"type": "dishes", "dishes": dishes})

    async def screen_say(self, message: dict[str, Any]) -> None:
        """The admin's "test voice": the page says it through its own speech path."""
        await self.send_json({"type": "say", "text": message["text"], "lang": message["lang"]})

    async def screen_revoked(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "unpaired"})
        await self.close(code=CLOSE_REVOKED)

    async def screen_paired(self, message: dict[str, Any]) -> None:
        """The screen was paired again, on another device (or this one, anew): this socket
        belongs to the old pairing, which is over."""
        if message.get("paired") != self.paired:
            await self.screen_revoked({})

    def _pairing_current(self) -> bool:
        """The screen is still paired as it was when this socket opened, and not revoked."""
        return self.screen is not None and screen_still_paired(
            screen_id=self.screen.pk, paired=self.paired
        )

    # -------------------------------------------------------------- from the screen

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self.screen is None or not isinstance(content, dict):
            return
        action = content.get("action")
        if action in ("resync", "recall_list", "dishes"):
            if not await self.board_request_allowed():
                return
            if not await database_sync_to_async(self._pairing_current)():
                await self.screen_revoked({})
                return
        if action == "resync":
            await self._send_board(fresh=True)
        elif action == "sync":
            if not await database_sync_to_async(self._still_paired)():
                await self.screen_revoked({})
                return
            # The safety net for a lost broadcast. Syncs from a kitchen of screens that
            # arrive during one read of the station share the next.
            await self._send_patch()
            await self.send_json(
                {"type": "pong", "seq": self.sent_seq, "now": now_ms(), "t": content.get("t")}
            )
        elif action == "recall_list":
            html = await database_sync_to_async(self._recall_html)()
            # The page's time of asking, back: it knows the list was read after then.
            t = content.get("t")
            t = t if isinstance(t, int | float) and not isinstance(t, bool) else None
            await self.send_json({"type": "recall", "html": html, "t": t})
        elif action == "dishes":
            await self.send_json({"type": "dishes", "dishes": await self._dishes_async()})
        elif action in ACTIONS:
            if action in EXPO_ACTIONS and not await database_sync_to_async(self._pairing_current)():
                await self.screen_revoked({})
                return
            answer = await database_sync_to_async(screen_command)(
                screen_id=self.screen.pk, action=str(action), content=content, paired=self.paired
            )
            await self.send_json({"type": "result", "action": action, **answer})
            # Our own change: answer at once rather than wait for the broadcast.
            await self._send_patch()
            if action in DISH_ACTIONS:
                await self.send_json({"type": "dishes", "dishes": await self._dishes_async()})

    def _still_paired(self) -> bool:
        """True while the screen is paired as it was; also its heartbeat ("last seen")."""
        if not self._pairing_current():
            return False
        assert self.screen is not None
        screen_heartbeat(screen=self.screen)
        return True

    def _dishes(self) -> list[dict[str, object]]:
        station = Station.objects.get(pk=self.station_id)
        return [d.as_json() for d in station_dishes(station=station, language=self.language)]

    async def _dishes_async(self) -> list[dict[str, object]]:
        return await database_sync_to_async(self._dishes)()

    def _recall_html(self) -> str:
        station = Station.objects.select_related("restaurant").get(pk=self.station_id)
        return recall_render(station, language=self.language)


class ExpoConsumer(StationConsumer):
    """An expo station's screen: the station protocol; expo's actions are answered
    {"type": "result", "ok", "action", "order"} and a patch (`commands.screen_command`
    runs them for screens of expo stations only).

    What to say is in the fragments (`data-say`, `data-ready-key`): a screen speaks a
    ready key it has not heard before, so a resync never repeats one and a board
    received after a reconnect catches up on what was missed.
    """
