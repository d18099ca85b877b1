"""The station screen's WebSocket. Thin: authenticate, send boards, call services.

Protocol (JSON both ways):

server → screen
  {"type": "board", "seq": N, "now": ms, "tickets": [[key, html], …], "all_day": html,
   "settings": {…}}                      the whole board; sent on connect and on "resync"
  {"type": "board_part", "seq": N, "part": i, "parts": n, "tickets": […]}
                                          the rest of a board sent in parts (over 1 MiB)
  {"type": "patch", "seq": N, "base": M, "now": ms, "order": [keys], "upsert": [[key, html]],
   "all_day": html|null, "settings": {…}}  changes since the board/patch at seq M
  {"type": "pong", "seq": N, "now": ms, "t": client ms}
  {"type": "recall", "html": html}        the recall list
  {"type": "result", "ok": bool, "action": name}
  {"type": "unpaired"}                    then close 4001: show the pairing page
  {"type": "error", "error": "malformed"}  not a JSON object with an "action"; a binary or
                                         oversized (> 8 KiB) frame closes with 1003/1009

screen → server
  {"action": "resync"} | {"action": "sync", "seq": N, "t": ms}
  {"action": "line_bump", "placement": id} | {"action": "ticket_bump", "order": id}
  {"action": "void_ack", "order": id} | {"action": "recall", "order": id}
  {"action": "recall_list"}

A screen whose last seen seq is not a patch's base asks for the whole board again.
The server diffs against what it last sent on this socket, so a dropped channel-layer
message costs nothing but a later, larger patch; "sync" every few seconds catches
the last one being dropped.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import timedelta
from http.cookies import SimpleCookie
from typing import Any

from channels.db import database_sync_to_async
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import services
from .board import TEMPLATE, RenderedBoard, board_render, recall_list
from .broadcast import station_group
from .models import LineStation, Order, Screen, Station
from .screens import SCREEN_COOKIE, screen_from_cookie, screen_group, screen_seen
from .sockets import CLOSE_TRY_AGAIN, LayerAwareConsumer

log = logging.getLogger(__name__)

# Daphne refuses to send a WebSocket message over 1 MiB (its default limit), and a busy
# station's board can be larger: a board whose tickets exceed this budget goes out as a
# "board" message holding the first tickets and "parts": N, then N - 1 "board_part"
# messages {"type": "board_part", "seq", "part", "parts", "tickets"}; the screen applies
# it once it has every part. A patch over the budget is replaced by a board in parts.
# Characters of ticket HTML; JSON escapes non-ASCII as \uXXXX (six bytes), so even an
# all-Chinese part stays under the limit.
MESSAGE_BUDGET = 128 * 1024


def board_parts(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Splits a board message so no part's tickets exceed MESSAGE_BUDGET characters."""
    chunks: list[list[list[str]]] = [[]]
    size = 0
    for ticket in message["tickets"]:
        if chunks[-1] and size + len(ticket[1]) > MESSAGE_BUDGET:
            chunks.append([])
            size = 0
        chunks[-1].append(ticket)
        size += len(ticket[1])
    if len(chunks) == 1:
        return [message]
    first = {**message, "tickets": chunks[0], "parts": len(chunks)}
    rest = [
        {
            "type": "board_part",
            "seq": message["seq"],
            "part": n,
            "parts": len(chunks),
            "tickets": chunk,
        }
        for n, chunk in enumerate(chunks[1:], start=1)
    ]
    return [first, *rest]


# In-flight board renders, shared by the sockets of a station in this process.
_renders: dict[tuple[int, str], asyncio.Future[RenderedBoard]] = {}

CLOSE_UNPAIRED = 4001
MAX_MESSAGE_CHARS = 8 * 1024  # issue 9: far above any screen message
CLOSE_REVOKED = 4003
CLOSE_RELOAD = 4002
LAST_SEEN_EVERY_SECONDS = 60


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _now_ms() -> int:
    return int(time.time() * 1000)


def _cookie(scope: dict[str, Any]) -> str | None:
    cookies = scope.get("cookies")
    if cookies is None:
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                parsed = SimpleCookie(value.decode("latin-1"))
                cookies = {k: m.value for k, m in parsed.items()}
                break
    return (cookies or {}).get(SCREEN_COOKIE)


# ---------------------------------------------------------------- connection log (issue 8)
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


# ---------------------------------------------------------------- end connection log


def _language(scope: dict[str, Any], screen: Screen) -> str:
    return screen.restaurant.language or translation.get_language() or "en"


class StationConsumer(LayerAwareConsumer):
    screen: Screen | None = None
    station_id: int = 0
    language: str = "en"
    sent_seq: int = -1
    sent: dict[str, str]

    async def connect(self) -> None:
        self.sent = {}
        self.screen = await database_sync_to_async(screen_from_cookie)(_cookie(self.scope))
        await self.accept()
        if self.screen is None:
            # Accept, then close with a code of ours: a refused handshake looks like a
            # network error to a browser, which would retry forever instead of pairing.
            await self.send_json({"type": "unpaired"})
            await self.close(code=CLOSE_UNPAIRED)
            _log_connection("refused", self.scope, None, code=CLOSE_UNPAIRED)
            return
        self.station_id = self.screen.station_id
        self.language = _language(self.scope, self.screen)
        groups = [station_group(self.station_id), screen_group(self.screen.pk)]
        if not await self.groups_join(groups):
            _log_connection("refused", self.scope, self.screen, code=CLOSE_TRY_AGAIN)
            self.screen = None
            return
        _log_connection("connected", self.scope, self.screen)
        await database_sync_to_async(screen_seen)(screen=self.screen)
        await self._send_board()

    async def disconnect(self, code: int) -> None:
        if self.screen is not None:
            _log_connection("disconnected", self.scope, self.screen, code=code)
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
            "now": _now_ms(),
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
                "now": _now_ms(),
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

    # -------------------------------------------------------------- bad input (issue 9)
    # A screen's messages are a few dozen bytes of JSON. Anything else costs its sender
    # only: a binary or oversized frame closes that socket (1003, 1009), text that is not
    # a JSON object with a string "action" gets {"type": "error", "error": "malformed"}.

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None:
            await self.close(code=1003)
            return
        if len(text_data) > MAX_MESSAGE_CHARS:
            await self.close(code=1009)
            return
        try:
            content = json.loads(text_data, parse_constant=_reject_constant)
        except ValueError:
            content = None
        if not isinstance(content, dict) or not isinstance(content.get("action"), str):
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
                {"type": "pong", "seq": self.sent_seq, "now": _now_ms(), "t": content.get("t")}
            )
        elif action == "recall_list":
            html = await database_sync_to_async(self._recall_html)()
            await self.send_json({"type": "recall", "html": html})
        elif action in ("line_bump", "line_unbump", "ticket_bump", "void_ack", "recall"):
            ok = await database_sync_to_async(self._act)(action, content)
            await self.send_json({"type": "result", "ok": ok, "action": action})
            # Our own change: answer at once rather than wait for the broadcast.
            await self._send_patch()

    def _still_paired(self) -> bool:
        """True while the screen is paired; also keeps its "last seen" (once a minute)."""
        assert self.screen is not None
        now = timezone.now()
        Screen.objects.filter(
            pk=self.screen.pk, last_seen_at__lt=now - timedelta(seconds=LAST_SEEN_EVERY_SECONDS)
        ).update(last_seen_at=now)
        return Screen.objects.filter(
            pk=self.screen.pk, revoked_at__isnull=True, paired_at__isnull=False
        ).exists()

    def _recall_html(self) -> str:
        station = Station.objects.select_related("restaurant").get(pk=self.station_id)
        with translation.override(self.language), timezone.override(station.restaurant.time_zone):
            return render_to_string(f"{TEMPLATE}#recall", {"entries": recall_list(station)})

    def _act(self, action: str, content: dict[str, Any]) -> bool:
        screen = (
            Screen.objects.select_related("station")
            .filter(pk=self.screen.pk if self.screen else 0)
            .first()
        )
        if screen is None or not screen.is_active:
            return False
        return perform(screen=screen, action=action, content=content)


def screen_active(*, screen_id: int) -> Screen | None:
    screen = (
        Screen.objects.select_related("station", "restaurant")
        .filter(pk=screen_id, revoked_at__isnull=True, paired_at__isnull=False)
        .first()
    )
    return screen


def perform(*, screen: Screen, action: str, content: dict[str, Any]) -> bool:
    """Runs one screen action on the screen's own station. False when it does not apply."""
    station = screen.station
    try:
        if action in ("line_bump", "line_unbump"):
            placement = (
                LineStation.objects.select_related("line")
                .filter(pk=int(content.get("placement", 0)), station=station)
                .first()
            )
            if placement is None:
                return False
            fn = services.line_bump if action == "line_bump" else services.line_unbump
            return fn(placement=placement, screen=screen)
        order = (
            Order.objects.filter(
                pk=int(content.get("order", 0)),
                restaurant_id=station.restaurant_id,
                lines__placements__station=station,
            )
            .distinct()
            .first()
        )
        if order is None:
            return False
        if action == "ticket_bump":
            return services.ticket_bump(order=order, station=station, screen=screen)
        if action == "void_ack":
            return services.void_acknowledge(order=order, station=station, screen=screen)
        if action == "recall":
            return services.ticket_recall(order=order, station=station, screen=screen)
    except (services.ActionRefused, ValueError, TypeError):
        return False
    return False
