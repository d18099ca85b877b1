"""Station screens over real WebSockets that keep their board from the messages, as
static/kds/station.js does: a board replaces everything, a patch applies only on top
of the seq it names (otherwise: resync), a pong with another seq asks for a resync, a
socket that has said nothing for DEAD_AFTER seconds is dropped, and a lost socket
reconnects, to either server.

Their taps go as static/kds/actions.js sends them: each with an id of its own and the
time it was made, kept until an answer names that id, over the socket, else over HTTP
to either server, else waiting; one at a time, in the order they were made. A screen
can be cut off (`cut`): no socket, no HTTP, while its cook goes on tapping. Every tap
is booked in the run's `Taps` ledger with the answer it got; some are sent once more
after their answer, as a screen whose answer was lost in a drop does.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections import Counter
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from tests.chaos.ledger import Tap, Taps

DEAD_AFTER = 12.0  # static/kds/station.js: DEAD_AFTER_MS
ANSWER_TIMEOUT = 8.0  # static/kds/actions.js: ANSWER_TIMEOUT_MS
HTTP_TIMEOUT = 6.0  # static/kds/actions.js: HTTP_TIMEOUT_MS
SEND_AGAIN_SHARE = 0.25  # taps sent once more after their answer, with the same id
TRIES_PER_TICKET = 3  # a cook taps a ticket that stays on the board again, up to this
# With this many taps marked waiting a cook (online) finishes the dish before tapping on.
COOK_WAITS_AT = 3


def _plain(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as the server recorded it: the socket's envelope taken off."""
    return {k: v for k, v in answer.items() if k not in ("type", "action")}


class Screen:
    def __init__(
        self,
        *,
        name: str,
        station: int,
        cookie: str,
        ports: list[int],
        csrf: str = "",
        taps: Taps | None = None,
    ) -> None:
        self.name = name
        self.station = station
        self.cookie = cookie
        self.csrf = csrf
        self.ports = ports
        self.taps = taps if taps is not None else Taps()
        self.queue: list[Tap] = []  # waiting, oldest first
        self.answers: dict[str, asyncio.Future[dict[str, Any] | None]] = {}
        self.offline_until = 0.0  # time.monotonic() until which the screen is cut off
        self.bumped: set[int] = set()  # orders with a bump waiting or done (not recalled)
        self.bumped_in_order: list[int] = []  # done bumps, newest last
        self.tries: Counter[int] = Counter()
        self.port = 0  # the server the socket is open to
        self.prefer_port = 0  # connect to this server only, while set
        self.during = "online"  # what the run is doing to the screen, for the ledger
        self.send_again = SEND_AGAIN_SHARE
        self.unanswered: Counter[str] = Counter()  # copies without an answer, by why
        self.delivering: asyncio.Task[None] | None = None
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
        elif kind == "result":
            waiting = self.answers.get(str(msg.get("id")))
            if waiting is not None and not waiting.done():
                waiting.set_result(_plain(msg))
        elif kind == "unpaired":
            self.unpaired = True
        self.most_tickets = max(self.most_tickets, len(self.tickets))
        if self.cook and kind in ("board", "patch"):
            self._bump_oldest()

    def _bump_oldest(self) -> None:
        """Clears the oldest tickets past twelve, so the boards stay the size a kitchen
        works with (a ticket tapped already waits for its answer or the next board)."""
        keep = 12
        if len(self.queue) >= COOK_WAITS_AT:
            return
        open_ = self._open_tickets()
        for order in open_[: min(10, max(0, len(open_) - keep))]:
            self.tap("ticket_bump", order)

    def _open_tickets(self) -> list[int]:
        orders = [int(key.removeprefix("t")) for key, _html in self.tickets]
        return [o for o in orders if o not in self.bumped and self.tries[o] < TRIES_PER_TICKET]

    # ------------------------------------------------------------ taps

    def tap(self, action: str, order: int) -> Tap:
        """A cook's tap: booked at once, sent when it can be."""
        tap = Tap(
            screen=self.name,
            id=str(uuid.uuid4()),
            action=action,
            order=order,
            made=time.time(),
            during="cut off" if self.offline else self.during,
        )
        self.taps.made(tap)
        self.queue.append(tap)
        if action == "ticket_bump":
            self.bumped.add(order)
            self.tries[order] += 1
        elif action == "recall":
            self.bumped.discard(order)
        return tap

    def bump_some(self, bumps: int, *, recall: bool = False, during: str = "") -> list[Tap]:
        """A cook bumps the oldest tickets on the board and, with `recall`, brings the
        newest bumped one back (maybe one whose bump is still waiting)."""
        made = []
        saved, self.during = self.during, during or self.during
        try:
            for order in self._open_tickets()[:bumps]:
                made.append(self.tap("ticket_bump", order))
            done = [o for o in self.bumped_in_order if o in self.bumped]
            target = made[-1].order if made else (done[-1] if done else None)
            if recall and target is not None:
                made.append(self.tap("recall", target))
        finally:
            self.during = saved
        return made

    async def deliver_taps(self, stop: asyncio.Event) -> None:
        """Sends the waiting taps one at a time, oldest first, each until it is answered."""
        delay = 0.2
        while not stop.is_set():
            if not self.queue or self.offline:
                await asyncio.sleep(0.05)
                continue
            tap = self.queue[0]
            answer = await self._deliver(tap)
            if answer is None:
                await asyncio.sleep(delay)
                delay = min(2.0, delay * 2)
                continue
            delay = 0.2
            tap.answer, tap.answered = answer, time.time()
            self.queue.pop(0)
            self._answered(tap)
            if self.rng.random() < self.send_again:
                again = await self._deliver(tap)
                if again is not None:
                    tap.repeats.append(again)

    def _answered(self, tap: Tap) -> None:
        if tap.action == "ticket_bump":
            if tap.ok:
                self.bumped_in_order.append(tap.order)
            elif (tap.answer or {}).get("reason") == "cancelled":
                self.tap("void_ack", tap.order)  # the cook taps the red cancel away
            else:
                self.bumped.discard(tap.order)  # tapped again if it stays on the board

    async def _deliver(self, tap: Tap) -> dict[str, Any] | None:
        """One copy of the tap: over the socket, else over HTTP; its answer or None."""
        if self.offline:
            return None
        tap.deliveries += 1
        tap.first_sent = tap.first_sent or time.time()
        socket = self.socket
        if socket is not None:
            waiting: asyncio.Future[dict[str, Any] | None] = (
                asyncio.get_running_loop().create_future()
            )
            self.answers[tap.id] = waiting
            try:
                await socket.send(json.dumps(self._message(tap)))
                answer = await asyncio.wait_for(waiting, ANSWER_TIMEOUT)
            except (WebSocketException, OSError, TimeoutError) as exc:
                self.unanswered[f"socket {type(exc).__name__}"] += 1
                answer = None
            finally:
                self.answers.pop(tap.id, None)
            if answer is not None:
                return answer
            if self.offline:
                return None
        return await self._post(tap)

    def _message(self, tap: Tap) -> dict[str, Any]:
        # Milliseconds, on the server's clock as the screen knows it: here the same clock.
        return {
            "action": tap.action,
            "order": tap.order,
            "id": tap.id,
            "made_at": int(tap.made * 1000),
            "sent_at": int(time.time() * 1000),
        }

    async def _post(self, tap: Tap) -> dict[str, Any] | None:
        port = self.rng.choice(self.ports)
        cookies = {"kds_screen": self.cookie, "csrftoken": self.csrf}
        try:
            async with httpx.AsyncClient(
                trust_env=False, timeout=HTTP_TIMEOUT, cookies=cookies
            ) as http:
                response = await http.post(
                    f"http://127.0.0.1:{port}/screen/action/",
                    data={k: str(v) for k, v in self._message(tap).items()},
                    headers={"X-CSRFToken": self.csrf},
                )
        except httpx.HTTPError as exc:
            self.unanswered[f"http {type(exc).__name__}"] += 1
            return None
        # 200 done, 409 refused: an answer; anything else (5xx, 403) is tried again.
        if response.status_code not in (200, 409):
            self.unanswered[f"http {response.status_code}"] += 1
            return None
        return _plain(response.json())

    @property
    def offline(self) -> bool:
        return time.monotonic() < self.offline_until

    # ------------------------------------------------------------ the connection

    async def run(self, stop: asyncio.Event) -> None:
        self.delivering = asyncio.create_task(self.deliver_taps(stop))
        try:
            await self._connect_forever(stop)
        finally:
            self.delivering.cancel()

    async def _connect_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            if self.offline:
                await asyncio.sleep(0.05)
                continue
            port = self.prefer_port or self.rng.choice(self.ports)
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
                    self.socket, self.port = socket, port
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
                self.socket, self.port = None, 0
                for waiting in self.answers.values():
                    if not waiting.done():
                        waiting.set_result(None)  # that copy's answer is lost with the socket
            await asyncio.sleep(self.rng.uniform(0.1, 0.4))

    async def _sync_every(self, socket: ClientConnection, stop: asyncio.Event) -> None:
        ticks = 0
        while not stop.is_set():
            await asyncio.sleep(0.5)
            ticks += 1
            if self.cook:
                self._bump_oldest()  # a cook keeps going between messages too
            if ticks % 4 == 0:
                if asyncio.get_running_loop().time() - self.heard_at > DEAD_AFTER:
                    self.dead += 1  # open, but the server has stopped answering
                    socket.transport.abort()
                    return
                await self._send({"action": "sync", "seq": self.seq, "t": 0})

    def cut(self, seconds: float = 0.0) -> None:
        """Drops the connection without a close handshake, as a lost network does, and
        keeps the screen off the network (socket and HTTP) for `seconds`."""
        self.offline_until = max(self.offline_until, time.monotonic() + seconds)
        if self.socket is not None:
            self.cuts += 1
            self.socket.transport.abort()

    async def sync(self) -> None:
        await self._send({"action": "sync", "seq": self.seq, "t": 0})

    @property
    def connected(self) -> bool:
        return self.socket is not None

    @property
    def settled(self) -> bool:
        """Connected, with no tap waiting."""
        return self.connected and not self.queue


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
