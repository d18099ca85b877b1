"""The screen protocol: the messages a station or expo screen and the server exchange.

JSON both ways:

server → screen
  {"type": "board", "seq": N, "now": ms, "tickets": [[key, html], …], "all_day": html,
   "settings": {…}}                      the whole board; sent on connect and on "resync"
  {"type": "board_part", "seq": N, "part": i, "parts": n, "tickets": […]}
                                          the rest of a board sent in parts (over 1 MiB)
  {"type": "patch", "seq": N, "base": M, "now": ms, "order": [keys], "upsert": [[key, html]],
   "all_day": html|null, "settings": {…}}  changes since the board/patch at seq M
  {"type": "pong", "seq": N, "now": ms, "t": client ms}
  {"type": "recall", "html": html, "t": t}  the recall list; t: the asking page's own t
  {"type": "dishes", "dishes": [{"id", "name", "available"}, …]}
                                          the dishes this screen can 86, sold out first;
                                          on request and after any dish of the
                                          restaurant is 86'd or back (any screen,
                                          the admin)
  {"type": "result", "ok": bool, "action": name}
  {"type": "unpaired"}                    then close 4001: show the pairing page
  {"type": "error", "error": "malformed"}  not a JSON object with an "action"; a binary or
                                         oversized (> 8 KiB) frame closes with 4415/4413
                                         (orders.live.frames, for every socket); a flood
                                         closes with 4429
  {"type": "error", "error": "rate_limited"}  a whole board asked for too often (resync,
                                         recall_list, dishes): the next sync catches up

screen → server
  {"action": "resync"} | {"action": "sync", "seq": N, "t": ms}
  {"action": "line_bump", "placement": id} | {"action": "ticket_bump", "order": id}
  {"action": "void_ack", "order": id} | {"action": "recall", "order": id}
  {"action": "recall_list", "t": ms} | {"action": "dishes"}
  {"action": "dish_86", "item": id} | {"action": "dish_back", "item": id}
                                          86 a dish its station lists, or bring it back
expo screens also (orders.screens.commands.EXPO_ACTIONS)
  {"action": "handover", "order": id}         every ready dish of the order goes out
  {"action": "send_back", "placement": id}    an expo placement's line goes back, flagged
  {"action": "unserve", "order": id}          undoes this screen's last handover (a few seconds)
  {"action": "fire_course", "order": id}      fires the order's next held course now

A screen whose last seen seq is not a patch's base asks for the whole board again.
The server diffs against what it last sent on this socket, so a dropped channel-layer
message costs nothing but a later, larger patch; "sync" every few seconds catches
the last one being dropped.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from ..live.messages import now_ms
from .pairing import SCREEN_COOKIE

__all__ = ["now_ms"]

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


def screen_cookie(scope: dict[str, Any]) -> str | None:
    """The screen cookie of a WebSocket handshake."""
    cookies = scope.get("cookies")
    if cookies is None:
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                parsed = SimpleCookie(value.decode("latin-1"))
                cookies = {k: m.value for k, m in parsed.items()}
                break
    return (cookies or {}).get(SCREEN_COOKIE)
