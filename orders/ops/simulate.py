"""A realistic order feed, signed with the Standard Webhooks reference library.

Used by `manage.py kds_simulate` (and `make run`) so a newcomer sees orders flow,
and by load and chaos tests as a sender that behaves like a real ordering system:
it retries on any non-2xx answer or timeout with the same webhook-id, and it
deliberately delivers some messages twice.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from .signing import signed_headers

CHANNEL_WEIGHTS = {"dine_in": 6, "takeout": 2, "delivery": 2, "drive_thru": 1}
PRIORITY_WEIGHTS = {"normal": 16, "rush": 3, "vip": 1}
NAMES = ["Mia", "Chen", "Li Wei", "Sam", "王芳", "Noah", "Aiko", "张伟", "Olivia", "Ravi"]
MODIFIERS = [
    "no cilantro",
    "extra spicy",
    "mild",
    "no peanuts",
    "少辣",
    "不要葱",
    "sauce on the side",
]
ALLERGY_NOTES = ["ALLERGY: peanut", "ALLERGY: shellfish", "花生过敏", "ALLERGY: sesame"]


@dataclass(frozen=True)
class Dish:
    sku: str
    name: str


@dataclass
class SentOrder:
    order_id: str
    body: dict[str, Any]
    cancelled: bool = False


@dataclass
class Delivery:
    webhook_id: str
    raw: bytes
    kind: str
    number: str


@dataclass
class Tally:
    sent: Counter[str] = field(default_factory=Counter)
    answers: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    failures: int = 0
    # Still being retried when the run's time was up: perhaps stored, never confirmed.
    cut_short: int = 0

    def summary(self) -> str:
        sent = ", ".join(f"{n} {k}" for k, n in sorted(self.sent.items()))
        answers = ", ".join(f"{n}× {k}" for k, n in sorted(self.answers.items()))
        return (
            f"sent: {sent or 'nothing'}\nanswers: {answers or 'none'}\n"
            f"retries: {self.retries}, gave up: {self.failures}, "
            f"cut short by the end of the run: {self.cut_short}"
        )


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _pick(weights: dict[str, int], rng: random.Random) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class Simulator:
    def __init__(
        self,
        *,
        url: str,
        secret: str,
        dishes: list[Dish],
        seed: int | None = None,
        client: httpx.Client | None = None,
        duplicate_share: float = 0.1,
        max_attempts: int = 4,
        on_result: Callable[[Delivery, str], None] | None = None,
        deadline: float | None = None,
    ) -> None:
        if not dishes:
            raise ValueError("the simulator needs at least one dish on the menu")
        self.url = url
        self.secret = secret
        self.dishes = dishes
        self.rng = random.Random(seed)
        self.client = client or httpx.Client(timeout=10)
        self.duplicate_share = duplicate_share
        self.max_attempts = max_attempts
        self.on_result = on_result
        # time.monotonic() after which nothing is sent or retried; None: no end.
        self.deadline = deadline
        # time.monotonic() since which every attempt found nothing listening; None: reached.
        self.unreachable_since: float | None = None
        self.orders: list[SentOrder] = []
        self.delivered: list[Delivery] = []
        self.tally = Tally()
        self.number = self.rng.randint(100, 899)

    # Building messages.

    def _items(self, count: int, prefix: str = "") -> list[dict[str, Any]]:
        items = []
        for index, dish in enumerate(self.rng.sample(self.dishes, min(count, len(self.dishes)))):
            item: dict[str, Any] = {
                "id": f"{prefix}{index + 1}",
                "sku": dish.sku,
                "name": dish.name,
                "quantity": self.rng.choices([1, 2, 3, 4], weights=[8, 4, 1, 1])[0],
            }
            if self.rng.random() < 0.25:
                item["modifiers"] = self.rng.sample(MODIFIERS, self.rng.randint(1, 2))
            if self.rng.random() < 0.06:
                item["notes"] = self.rng.choice(ALLERGY_NOTES)
            items.append(item)
        return items

    def new_order(self) -> dict[str, Any]:
        self.number += 1
        channel = _pick(CHANNEL_WEIGHTS, self.rng)
        data: dict[str, Any] = {
            "id": f"sim-{uuid.uuid4().hex[:12]}",
            "number": str(self.number),
            "channel": channel,
            "priority": _pick(PRIORITY_WEIGHTS, self.rng),
            "placed_at": _now(),
            "items": self._items(self.rng.randint(1, 6)),
        }
        if channel == "dine_in":
            data["table"] = f"{self.rng.choice('ABC')}{self.rng.randint(1, 20)}"
            data["guests"] = self.rng.randint(1, 8)
        else:
            data["customer_name"] = self.rng.choice(NAMES)
        body = {"type": "order.created", "timestamp": _now(), "data": data}
        self.orders.append(SentOrder(order_id=data["id"], body=body))
        return body

    def update(self, order: SentOrder) -> dict[str, Any]:
        data = json.loads(json.dumps(order.body["data"]))
        items: list[dict[str, Any]] = data["items"]
        choice = self.rng.random()
        if choice < 0.4 or len(items) == 1:
            items.extend(self._items(1, prefix=f"u{len(items)}-"))
        elif choice < 0.7:
            items.pop(self.rng.randrange(len(items)))
        else:
            target = self.rng.choice(items)
            target["quantity"] = max(1, target["quantity"] - 1) if target["quantity"] > 1 else 2
        body = {"type": "order.updated", "timestamp": _now(), "data": data}
        order.body = body
        return body

    def cancel(self, order: SentOrder) -> dict[str, Any]:
        order.cancelled = True
        return {"type": "order.cancelled", "timestamp": _now(), "data": {"id": order.order_id}}

    def next_message(self) -> dict[str, Any]:
        live = [o for o in self.orders[-30:] if not o.cancelled]
        roll = self.rng.random()
        if live and roll < 0.15:
            return self.update(self.rng.choice(live))
        if live and roll < 0.19:
            return self.cancel(self.rng.choice(live))
        return self.new_order()

    # Sending.

    def sign(self, body: dict[str, Any]) -> Delivery:
        raw = json.dumps(body, ensure_ascii=False)
        webhook_id = f"msg_{uuid.uuid4().hex}"
        number = body["data"].get("number") or body["data"]["id"]
        return Delivery(webhook_id=webhook_id, raw=raw.encode(), kind=body["type"], number=number)

    def deliver(self, delivery: Delivery) -> str:
        """Posts until a 2xx answer, as a real sender would; returns a short outcome."""
        outcome = "gave up"
        accepted = False
        for attempt in range(self.max_attempts):
            if attempt:
                pause = min(0.2 * 2**attempt, 2.0)
                if self._left() < pause:
                    self.tally.cut_short += 1
                    outcome = "cut short"
                    break
                self.tally.retries += 1
                time.sleep(pause)
            # Signed afresh each attempt: a retry hours later must not be stale.
            headers = signed_headers(
                secret=self.secret, body=delivery.raw, msg_id=delivery.webhook_id
            )
            try:
                response = self.client.post(
                    self.url,
                    content=delivery.raw,
                    headers=headers,
                    timeout=max(0.5, min(10.0, self._left())),
                )
            except httpx.HTTPError as exc:
                if isinstance(exc, httpx.ConnectError) and self.unreachable_since is None:
                    self.unreachable_since = time.monotonic()
                outcome = f"error {type(exc).__name__}"
                continue
            self.unreachable_since = None
            outcome = _describe(response)
            accepted = response.is_success
            if accepted or response.status_code in (400, 401, 404, 413, 415):
                break  # done, or retrying cannot help
        if not accepted and outcome != "cut short":
            self.tally.failures += 1
        self.tally.answers[outcome] += 1
        if self.on_result:
            self.on_result(delivery, outcome)
        return outcome

    def _left(self) -> float:
        """Seconds until the deadline (a day when there is none)."""
        return 86400.0 if self.deadline is None else self.deadline - time.monotonic()

    def step(self) -> None:
        if self.delivered and self.rng.random() < self.duplicate_share:
            delivery = self.rng.choice(self.delivered[-50:])
            self.tally.sent["duplicate"] += 1
        else:
            delivery = self.sign(self.next_message())
            self.delivered.append(delivery)
            self.tally.sent[delivery.kind] += 1
        self.deliver(delivery)


def _describe(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"{response.status_code}"
    if "error" in body:
        return f"{response.status_code} {body['error']}"
    flags = [name for name in ("duplicate", "stale") if body.get(name)]
    return " ".join([str(response.status_code), body.get("status", ""), *flags]).strip()
