"""Station screens over real WebSockets that keep their board from the messages, as
static/kds/station.js does: a board replaces everything, a patch applies only on top
of the seq it names (otherwise: resync), a pong with another seq asks for a resync, a
socket that has said nothing for DEAD_AFTER seconds is dropped, and a lost socket
reconnects, to either server."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

DEAD_AFTER = 12.0  # static/kds/station.js: DEAD_AFTER_MS


class Screen:
    def __init__(self, *, name: str, station: int, cookie: str, ports: list[int]) -> None:
        self.name = name
        self.station = station
        self.cookie = cookie
        self.ports = ports
        self.seq = -1
        self.tickets: list[tuple[str, str]] = []
        self.socket: ClientConnection | None = None
        self.connects = 0
        self.resyncs = 0
        self.cuts = 0
        self.dead = 0  # sockets dropped for saying nothing
        self.heard_at = 0.0
        self.unpaired = False
        self.cook = False  # bumps the oldest tickets when the board grows long
        self.most_tickets = 0
        self.rng = random.Random(name)
        # A board arriving in parts: (tickets so far, seq, next part, parts).
        self.partial: tuple[list[tuple[str, str]], int, int, int] | None = None

    # ------------------------------------------------------------ messages

    async def _send(self, message: dict[str, Any]) -> None:
        if self.socket is not None:
            try:
                await self.socket.send(json.dumps(message))
            except (WebSocketException, OSError):
                pass

    async def on_message(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        if kind == "board" and msg.get("parts", 1) > 1:
            # A board too big for one message: the rest follows in board_part messages.
            self.partial = ([(k, h) for k, h in msg["tickets"]], msg["seq"], 1, msg["parts"])
            return
        if kind == "board_part":
            if self.partial is None or (msg["seq"], msg["part"]) != self.partial[1:3]:
                return
            tickets, seq, part, parts = self.partial
            tickets += [(k, h) for k, h in msg["tickets"]]
            if part + 1 < parts:
                self.partial = (tickets, seq, part + 1, parts)
                return
            self.partial = None
            msg, kind = {"type": "board", "seq": seq, "tickets": tickets}, "board"
        if kind == "board":
            self.tickets = [(k, h) for k, h in msg["tickets"]]
            self.seq = msg["seq"]
        elif kind == "patch":
            if msg["base"] != self.seq:
                self.resyncs += 1
                await self._send({"action": "resync"})
                return
            existing = dict(self.tickets)
            existing.update({k: h for k, h in msg["upsert"]})
            self.tickets = [(k, existing[k]) for k in msg["order"] if k in existing]
            self.seq = msg["seq"]
        elif kind == "pong":
            if msg["seq"] != self.seq:
                self.resyncs += 1
                await self._send({"action": "resync"})
        elif kind == "unpaired":
            self.unpaired = True
        self.most_tickets = max(self.most_tickets, len(self.tickets))
        if self.cook and kind in ("board", "patch"):
            await self._bump_oldest()

    async def _bump_oldest(self) -> None:
        """Clears up to ten of the oldest tickets past twelve (a cancelled one needs
        void_ack), so the boards stay the size a kitchen works with."""
        if len(self.tickets) <= 12:
            return
        for key, _html in self.tickets[: min(10, len(self.tickets) - 12)]:
            order = int(key.removeprefix("t"))
            await self._send({"action": "ticket_bump", "order": order})
            await self._send({"action": "void_ack", "order": order})

    # ------------------------------------------------------------ the connection

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            port = self.rng.choice(self.ports)
            try:
                async with connect(
                    f"ws://127.0.0.1:{port}/ws/screen/",
                    origin=f"http://127.0.0.1:{port}",  # type: ignore[arg-type]
                    additional_headers={"Cookie": f"kds_screen={self.cookie}"},
                    proxy=None,
                    open_timeout=3,
                    max_size=None,
                    ping_interval=None,
                ) as socket:
                    self.socket = socket
                    self.connects += 1
                    self.heard_at = asyncio.get_running_loop().time()
                    syncing = asyncio.create_task(self._sync_every(socket, stop))
                    try:
                        async for raw in socket:
                            self.heard_at = asyncio.get_running_loop().time()
                            await self.on_message(json.loads(raw))
                    finally:
                        syncing.cancel()
            except (OSError, WebSocketException, TimeoutError):
                pass
            finally:
                self.socket = None
            await asyncio.sleep(self.rng.uniform(0.1, 0.4))

    async def _sync_every(self, socket: ClientConnection, stop: asyncio.Event) -> None:
        ticks = 0
        while not stop.is_set():
            await asyncio.sleep(0.5)
            ticks += 1
            if self.cook:
                await self._bump_oldest()  # a cook keeps going between messages too
            if ticks % 4 == 0:
                if asyncio.get_running_loop().time() - self.heard_at > DEAD_AFTER:
                    self.dead += 1  # open, but the server has stopped answering
                    socket.transport.abort()
                    return
                await self._send({"action": "sync", "seq": self.seq, "t": 0})

    def cut(self) -> None:
        """Drops the connection without a close handshake, as a lost network does."""
        if self.socket is not None:
            self.cuts += 1
            self.socket.transport.abort()

    async def sync(self) -> None:
        await self._send({"action": "sync", "seq": self.seq, "t": 0})

    @property
    def connected(self) -> bool:
        return self.socket is not None


def board_differences(screens: list[Screen], boards: dict[str, Any]) -> list[str]:
    """Screens whose board is not what the database says their station shows."""
    out = []
    for screen in screens:
        expected = boards[str(screen.station)]
        if screen.seq != expected["seq"]:
            out.append(f"{screen.name}: seq {screen.seq}, database {expected['seq']}")
        elif [list(t) for t in screen.tickets] != expected["tickets"]:
            mine = [k for k, _ in screen.tickets]
            theirs = [k for k, _ in expected["tickets"]]
            out.append(f"{screen.name}: tickets {mine[:8]}… database {theirs[:8]}…")
    return out
