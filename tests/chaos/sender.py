"""A sender that behaves like a real ordering system and keeps a ledger of what the
server acknowledged.

Each order is a script: created, a few updates (lines added, dropped, quantities
lowered or raised), sometimes a cancel; every message carries a timestamp later than
the one before. About 10% of updates are delivered out of order (the newer one first),
about 20% of messages are delivered twice, and every delivery is retried with the same
webhook-id on any non-2xx answer or timeout, against whichever server answers.

Every 2xx answer is booked in the ledger (tests/chaos/ledger.py) with the message as
sent; what the answer says (stale, cancelled) is never used: what the database must
hold follows from what was sent and acknowledged alone.
"""

from __future__ import annotations

import asyncio
import copy
import json
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from orders.ops.signing import signed_headers
from tests.chaos.ledger import Ledger


class Stalled(RuntimeError):
    """No server accepted anything for a long while: faults ended long ago, so it is a bug."""


@dataclass
class Message:
    order_id: str
    kind: str  # order.created | order.updated | order.cancelled
    timestamp: datetime
    data: dict[str, Any]
    webhook_id: str = field(default_factory=lambda: f"msg_{uuid.uuid4().hex}")

    @property
    def raw(self) -> bytes:
        body = {"type": self.kind, "timestamp": self.timestamp.isoformat(), "data": self.data}
        return json.dumps(body, ensure_ascii=False).encode()


@dataclass
class Tally:
    messages: Counter[str] = field(default_factory=Counter)
    answers: Counter[str] = field(default_factory=Counter)
    duplicates_sent: int = 0
    out_of_order: int = 0
    retries: int = 0
    gave_up: int = 0

    def summary(self) -> str:
        sent = ", ".join(f"{n} {k}" for k, n in sorted(self.messages.items()))
        answers = ", ".join(f"{n}× {k}" for k, n in sorted(self.answers.items()))
        return (
            f"messages: {sent}; delivered twice: {self.duplicates_sent}; "
            f"updates out of order: {self.out_of_order}\n"
            f"answers: {answers}\nretries: {self.retries}, gave up: {self.gave_up}"
        )


class LedgerSender:
    def __init__(
        self,
        *,
        urls: list[str],
        source: str,
        secret: str,
        dishes: list[dict[str, str]],
        orders: int,
        seed: int = 9,
        concurrency: int = 10,
        duplicate_share: float = 0.2,
        reorder_share: float = 0.1,
        cancel_share: float = 0.1,
        timeout: float = 5.0,
        max_attempts: int = 200,
    ) -> None:
        self.urls = urls
        self.source = source
        self.secret = secret
        self.dishes = dishes
        self.rng = random.Random(seed)
        self.orders = orders
        self.concurrency = concurrency
        self.duplicate_share = duplicate_share
        self.reorder_share = reorder_share
        self.cancel_share = cancel_share
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.ledger = Ledger()
        self.tally = Tally()
        self.done = 0  # orders whose script is delivered
        self.redeliveries: list[Message] = []
        self.last_success = time.monotonic()
        self.stall_seconds = 60.0  # no 2xx from any server for this long: the run is broken

    # ------------------------------------------------------------ scripts

    def _item(self, line_id: str) -> dict[str, Any]:
        dish = self.rng.choice(self.dishes)
        return {
            "id": line_id,
            "sku": dish["sku"],
            "name": dish["name"],
            "quantity": self.rng.choice([1, 1, 1, 2, 2, 3]),
        }

    def script(self, index: int, start: datetime) -> list[Message]:
        """One order's messages, in the order they are delivered."""
        order_id = f"chaos-{index}"
        at = start
        data: dict[str, Any] = {
            "id": order_id,
            "number": str(1000 + index),
            "channel": self.rng.choice(["dine_in", "takeout", "delivery"]),
            "items": [self._item(f"l{n}") for n in range(self.rng.randint(1, 4))],
        }
        messages = [Message(order_id, "order.created", at, copy.deepcopy(data))]
        for n in range(self.rng.choice([0, 0, 1, 1, 2, 3])):
            at += timedelta(milliseconds=1)
            items = data["items"]
            roll = self.rng.random()
            if roll < 0.35 or len(items) == 1:
                items.append(self._item(f"u{n}"))  # a line added
            elif roll < 0.6:
                items.pop(self.rng.randrange(len(items)))  # a line voided
            else:
                line = self.rng.choice(items)
                line["quantity"] = line["quantity"] - 1 if line["quantity"] > 1 else 3
            messages.append(Message(order_id, "order.updated", at, copy.deepcopy(data)))
        updates = [i for i, m in enumerate(messages) if m.kind == "order.updated"]
        for i in updates:
            if i + 1 < len(messages) and self.rng.random() < self.reorder_share:
                messages[i], messages[i + 1] = messages[i + 1], messages[i]
                self.tally.out_of_order += 1
        if self.rng.random() < self.cancel_share:
            at += timedelta(milliseconds=1)
            cancel = Message(order_id, "order.cancelled", at, {"id": order_id})
            messages.insert(self.rng.randint(1, len(messages)), cancel)
        return messages

    # ------------------------------------------------------------ sending

    def _headers(self, message: Message) -> dict[str, str]:
        return signed_headers(secret=self.secret, body=message.raw, msg_id=message.webhook_id)

    async def deliver(self, client: httpx.AsyncClient, message: Message) -> None:
        """Posts until a 2xx answer, with the same webhook-id each time, then books it."""
        raw = message.raw
        for attempt in range(self.max_attempts):
            if time.monotonic() - self.last_success > self.stall_seconds:
                raise Stalled(f"no 2xx answer for {self.stall_seconds:.0f} s: {self.tally.answers}")
            if attempt:
                self.tally.retries += 1
            url = f"{self.rng.choice(self.urls)}/webhooks/{self.source}/"
            try:
                response = await client.post(url, content=raw, headers=self._headers(message))
            except httpx.HTTPError as exc:
                self.tally.answers[type(exc).__name__] += 1
                await asyncio.sleep(min(0.05 * 2**attempt, 1.0))
                continue
            self.tally.answers[str(response.status_code)] += 1
            if response.is_success:
                self.last_success = time.monotonic()
                self.book(message)
                return
            if response.status_code in (400, 401, 404, 413, 415):
                raise AssertionError(f"refused: {response.status_code} {response.text}")
            wait = float(response.headers.get("retry-after", 0.2))
            await asyncio.sleep(min(wait, 1.0))
        self.tally.gave_up += 1

    def book(self, message: Message) -> None:
        self.ledger.acknowledge(
            order_id=message.order_id,
            kind=message.kind,
            timestamp=message.timestamp,
            data=message.data,
            webhook_id=message.webhook_id,
        )

    async def _worker(self, client: httpx.AsyncClient, queue: asyncio.Queue[list[Message]]) -> None:
        while True:
            try:
                script = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            for message in script:
                self.tally.messages[message.kind] += 1
                await self.deliver(client, message)
                if self.rng.random() < self.duplicate_share:
                    self.redeliveries.append(message)
                # A duplicate from earlier in the run, delivered again now.
                if self.redeliveries and self.rng.random() < 0.5:
                    again = self.redeliveries.pop(self.rng.randrange(len(self.redeliveries)))
                    self.tally.duplicates_sent += 1
                    await self.deliver(client, again)
            self.done += 1

    async def run(self) -> None:
        start = datetime.now(UTC)
        queue: asyncio.Queue[list[Message]] = asyncio.Queue()
        for index in range(self.orders):
            queue.put_nowait(self.script(index, start + timedelta(seconds=index)))
        limits = httpx.Limits(max_connections=self.concurrency * 2)
        async with httpx.AsyncClient(
            timeout=self.timeout, limits=limits, trust_env=False
        ) as client:
            await asyncio.gather(*(self._worker(client, queue) for _ in range(self.concurrency)))
            while self.redeliveries:
                self.tally.duplicates_sent += 1
                await self.deliver(client, self.redeliveries.pop())
