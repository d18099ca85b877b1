"""The benchmark's screens: real WebSocket clients that keep their own boards."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect

from .results import BenchError


class Deliveries:
    """Which screens have which ticket: a ticket is delivered when every screen of its
    station has it (all of them, or its store's with several restaurants)."""

    def __init__(self, screens: int) -> None:
        self.screens = screens
        self.counts: dict[str, int] = {}
        self.complete: dict[str, float] = {}
        self.waiters: dict[str, asyncio.Future[float]] = {}
        self.posted: set[str] = set()

    def arrived(self, key: str, at: float, screens: int | None = None) -> None:
        """A screen has the ticket; `screens`: how many show its station."""
        count = self.counts.get(key, 0) + 1
        self.counts[key] = count
        if count >= (screens or self.screens) and key not in self.complete:
            self.complete[key] = at
            waiter = self.waiters.pop(key, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(at)

    def wait(self, key: str) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if key in self.complete:
            future.set_result(self.complete[key])
        else:
            self.waiters[key] = future
        return future


class ScreenClient:
    def __init__(
        self, socket: ClientConnection, deliveries: Deliveries, station_screens: int | None = None
    ) -> None:
        self.socket = socket
        self.deliveries = deliveries
        self.station_screens = station_screens  # screens showing this one's station
        self.seen: set[str] = set()
        self.messages = 0
        self.task: asyncio.Task[None] | None = None
        # Boards and patches received, and changes a patch folded in with others.
        self.boards = 0
        self.patches = 0
        self.coalesced = 0

    def _keys(self, message: dict[str, Any]) -> Iterable[str]:
        kind = message.get("type")
        if kind == "board":
            return (key for key, _html in message.get("tickets") or [])
        if kind == "patch":
            return (key for key, _html in message.get("upsert") or [])
        return ()

    async def read(self) -> None:
        try:
            async for raw in self.socket:
                now = time.perf_counter()
                message = json.loads(raw)
                self.messages += 1
                kind = message.get("type")
                if kind == "board":
                    self.boards += 1
                elif kind == "patch":
                    self.patches += 1
                    self.coalesced += max(0, int(message["seq"]) - int(message["base"]) - 1)
                for key in self._keys(message):
                    if key not in self.seen:
                        self.seen.add(key)
                        self.deliveries.arrived(key, now, self.station_screens)
        except Exception:  # the socket closed: the run notices undelivered tickets
            return


def ws_url(base: str) -> str:
    parts = urlsplit(base)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/ws/screen/"


async def connect_screen(base: str, cookie: str) -> tuple[ClientConnection, dict[str, Any]]:
    socket = await connect(
        ws_url(base),
        origin=base.rstrip("/"),  # type: ignore[arg-type]
        additional_headers={"Cookie": f"kds_screen={cookie}"},
        compression=None,
        proxy=None,
        open_timeout=30,
        ping_interval=None,
        max_size=None,
        max_queue=None,
    )
    first = json.loads(await asyncio.wait_for(socket.recv(), 30))
    if first.get("type") != "board":
        await socket.close()
        raise BenchError(
            "the server did not accept a screen cookie (answer: "
            f"{first.get('type')!r}). Run kds_bench with the server's SECRET_KEY and "
            "DATABASE_URL, or pass --pairing-urls."
        )
    return socket, first
