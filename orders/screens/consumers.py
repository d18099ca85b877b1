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

from ..actions.screens import screen_connected, screen_disconnected, screen_heartbeat
from ..boards.render import RenderedBoard, board_render
from ..boards.station import recall_render
from ..kitchen.language import page_language
from ..live.groups import screen_group, station_group
from ..live.messages import (
    CLOSE_RELOAD,
    CLOSE_REVOKED,
    CLOSE_TRY_AGAIN,
    CLOSE_UNPAIRED,
)
from ..live.sockets import LayerAwareConsumer
from ..models import Screen, Station
from .commands import EXPO_ACTIONS, SCREEN_ACTIONS, expo_perform, perform
from .pairing import screen_active, screen_from_cookie
from .protocol import (
    CLOSE_BINARY,
    CLOSE_TOO_BIG,
    MAX_MESSAGE_CHARS,
    MESSAGE_BUDGET,
    board_parts,
    now_ms,
    parse_action,
    screen_cookie,
)

log = logging.getLogger(__name__)

# In-flight board renders, shared by the sockets of a station in this process.
_renders: dict[tuple[int, str], asyncio.Future[RenderedBoard]] = {}

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
    screen: Screen | None = None
    station_id: int = 0
    language: str = "en"
    sent_seq: int = -1
    sent: dict[str, str]

    async def connect(self) -> None:
        self.sent = {}
        self.screen = await database_sync_to_async(screen_from_cookie)(screen_cookie(self.scope))
        await self.accept()
        if self.screen is None:
            # Accept, then close with a code of ours: a refused handshake looks like a
            # network error to a browser, which would retry forever instead of pairing.
            await self.send_json({"type": "unpaired"})
            await self.close(code=CLOSE_UNPAIRED)
            _log_connection("refused", self.scope, None, code=CLOSE_UNPAIRED)
            return
        self.station_id = self.screen.station_id
        self.language = page_language(restaurant=self.screen.restaurant, screen=self.screen)
        groups = [station_group(self.station_id), screen_group(self.screen.pk)]
        if not await self.groups_join(groups):
            _log_connection("refused", self.scope, self.screen, code=CLOSE_TRY_AGAIN)
            self.screen = None
            return
        _log_connection("connected", self.scope, self.screen)
        await database_sync_to_async(screen_connected)(screen=self.screen)
        await self._send_board()

    async def disconnect(self, code: int) -> None:
        if self.screen is not None:
            _log_connection("disconnected", self.scope, self.screen, code=code)
            await database_sync_to_async(screen_disconnected)(screen=self.screen)
            await self.groups_leave([station_group(self.station_id), screen_group(self.screen.pk)])

    # -------------------------------------------------------------- sending boards

    async def _render(self, min_seq: int = 0) -> RenderedBoard:
        """The station's board, rendered once for every socket of it in this process.

        A broadcast reaches every screen of a station at once; they share one render
        rather than queueing one each on the database thread. A shared render that
        began before the change a socket was told about (seq below `min_seq`) is not
        good enough for it: it renders again.
        """
        key = (self.station_id, self.language)
        task = _renders.get(key)
        if task is None:
            task = asyncio.ensure_future(
                database_sync_to_async(board_render)(self.station_id, language=self.language)
            )
            _renders[key] = task
            task.add_done_callback(
                lambda done: _renders.pop(key, None) if _renders.get(key) is done else None
            )
        # Shielded: one socket closing mid-render must not cancel it for the others.
        rendered = await asyncio.shield(task)
        if rendered.seq < min_seq:
            rendered = await database_sync_to_async(board_render)(
                self.station_id, language=self.language
            )
        return rendered

    async def _send_board(self) -> None:
        rendered = await self._render()
        self.sent = rendered.ticket_hashes()
        self.sent_seq = rendered.seq
        message = {
            "type": "board",
            "seq": rendered.seq,
            "now": now_ms(),
            "tickets": [list(t) for t in rendered.tickets],
            "all_day": rendered.all_day,
            "settings": rendered.settings,
            "screen": self._screen_options(),
        }
        for part in board_parts(message):
            await self.send_json(part)

    def _screen_options(self) -> dict[str, Any]:
        """This screen's display options from the admin, applied by the page as they change."""
        if self.screen is None:
            return {}
        return {"font_size": self.screen.font_size, "show_all_day": self.screen.show_all_day}

    async def _send_patch(self, min_seq: int = 0) -> None:
        try:
            rendered = await self._render(min_seq)
        except Station.DoesNotExist:
            # The station was deleted under its screens: nothing left to show.
            await self.screen_revoked({})
            return
        if rendered.seq == self.sent_seq:
            return
        hashes = rendered.ticket_hashes()
        upsert = [
            [key, html] for key, html in rendered.tickets if self.sent.get(key) != hashes[key]
        ]
        if sum(len(html) for _, html in upsert) > MESSAGE_BUDGET:
            # Too much changed for one message: the whole board, in parts.
            await self._send_board()
            return
        base = self.sent_seq
        self.sent = hashes
        self.sent_seq = rendered.seq
        await self.send_json(
            {
                "type": "patch",
                "seq": rendered.seq,
                "base": base,
                "now": now_ms(),
                "order": [key for key, _ in rendered.tickets],
                "upsert": upsert,
                "all_day": rendered.all_day,
                "settings": rendered.settings,
                "screen": self._screen_options(),
            }
        )

    # -------------------------------------------------------------- channel layer

    async def station_changed(self, message: dict[str, Any]) -> None:
        seq = int(message.get("seq", 0))
        if seq <= self.sent_seq:
            return
        # Screen settings saves touch the station too: pick up this screen's new options,
        # and if it was moved to another station, have the page load that one. Only those
        # saves can change a screen; revocation has its own message, and the screen's
        # periodic sync re-checks it anyway.
        assert self.screen is not None
        if message.get("reason") == "settings":
            fresh = await database_sync_to_async(screen_active)(screen_id=self.screen.pk)
            if fresh is None:
                await self.screen_revoked({})
                return
            if fresh.station_id != self.station_id:
                await self.send_json({"type": "reload"})
                await self.close(code=CLOSE_RELOAD)
                return
            self.screen = fresh
        await self._send_patch(seq)

    async def screen_revoked(self, message: dict[str, Any]) -> None:
        await self.send_json({"type": "unpaired"})
        await self.close(code=CLOSE_REVOKED)

    # -------------------------------------------------------------- bad input
    # A binary or oversized frame closes the socket; text that is not a screen message
    # is answered "malformed". Either costs the sender only.

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None:
            await self.close(code=CLOSE_BINARY)
            return
        if len(text_data) > MAX_MESSAGE_CHARS:
            await self.close(code=CLOSE_TOO_BIG)
            return
        content = parse_action(text_data)
        if content is None:
            await self.send_json({"type": "error", "error": "malformed"})
            return
        await self.receive_json(content, **kwargs)

    # -------------------------------------------------------------- from the screen

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self.screen is None or not isinstance(content, dict):
            return
        action = content.get("action")
        if action == "resync":
            await self._send_board()
        elif action == "sync":
            if not await database_sync_to_async(self._still_paired)():
                await self.screen_revoked({})
                return
            await self._send_patch()
            await self.send_json(
                {"type": "pong", "seq": self.sent_seq, "now": now_ms(), "t": content.get("t")}
            )
        elif action == "recall_list":
            html = await database_sync_to_async(self._recall_html)()
            await self.send_json({"type": "recall", "html": html})
        elif action in SCREEN_ACTIONS:
            ok = await database_sync_to_async(self._act)(action, content)
            await self.send_json({"type": "result", "ok": ok, "action": action})
            # Our own change: answer at once rather than wait for the broadcast.
            await self._send_patch()

    def _still_paired(self) -> bool:
        """True while the screen is paired; also its heartbeat ("last seen")."""
        assert self.screen is not None
        screen_heartbeat(screen=self.screen)
        return Screen.objects.filter(
            pk=self.screen.pk, revoked_at__isnull=True, paired_at__isnull=False
        ).exists()

    def _recall_html(self) -> str:
        station = Station.objects.select_related("restaurant").get(pk=self.station_id)
        return recall_render(station, language=self.language)

    def _act(self, action: str, content: dict[str, Any]) -> bool:
        screen = (
            Screen.objects.select_related("station")
            .filter(pk=self.screen.pk if self.screen else 0)
            .first()
        )
        if screen is None or not screen.is_active:
            return False
        return perform(screen=screen, action=action, content=content)


class ExpoConsumer(StationConsumer):
    """An expo station's screen: the station protocol plus expo's actions.

    Each expo action is answered {"type": "result", "ok", "action", "order"} and a patch.
    What to say is in the fragments (`data-say`, `data-ready-key`): a screen speaks a
    ready key it has not heard before, so a resync never repeats one and a board
    received after a reconnect catches up on what was missed.
    """

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self.screen is not None and isinstance(content, dict):
            action = content.get("action")
            if action in EXPO_ACTIONS:
                ok, order_id = await database_sync_to_async(expo_perform)(
                    screen_id=self.screen.pk, action=str(action), content=content
                )
                await self.send_json(
                    {"type": "result", "ok": ok, "action": action, "order": order_id}
                )
                await self._send_patch()
                return
        await super().receive_json(content, **kwargs)
