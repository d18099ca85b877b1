"""The sender's ledger: what was sent and acknowledged, and nothing the server said.

Each order keeps the messages the server acknowledged (a 2xx answer), once each, in
the order they were acknowledged. The sender sends an order's messages one after the
other and waits for each 2xx, so that is also the order the server applied them in.
Everything the audit expects is derived from these alone, by the contract's rules
(docs/spec/order-webhook.md), never from the answers' `stale` or `status`: a server
that wrongly calls an update stale, or cancels an order nobody cancelled, is caught.

- the state: the newest acknowledged order message by the sender's own timestamp;
- cancelled: only if a cancel was acknowledged;
- the history (`replay`): the acknowledged messages in order, each applied only if it
  is newer than the last applied one and no cancel came before it. It says which
  lines the order must have, and how many events each kind of change writes.

The screens' taps have a ledger of their own (`Taps`): every action a screen made,
when it made it, whether it was cut off then, and the answer it got, booked by the
screen itself (tests/chaos/screens.py), never read back from the server.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CREATED, UPDATED, CANCELLED = "order.created", "order.updated", "order.cancelled"


@dataclass(frozen=True)
class Line:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Ack:
    """One acknowledged message, as the sender sent it."""

    kind: str
    timestamp: datetime
    lines: dict[str, Line]  # line id -> dish and quantity; empty for a cancel
    webhook_id: str


@dataclass
class History:
    """What the acknowledged messages, applied by the contract's rules, must have written."""

    cancelled: bool = False
    state_at: datetime | None = None
    active: dict[str, Line] = field(default_factory=dict)  # lines live after the last state
    lines: dict[str, Line] = field(default_factory=dict)  # every line ever stored
    # (line id or "" for the order, event kind) -> how many OrderEvent rows.
    events: Counter[tuple[str, str]] = field(default_factory=Counter)


@dataclass
class OrderLedger:
    acks: list[Ack] = field(default_factory=list)

    @property
    def cancelled(self) -> bool:
        return any(a.kind == CANCELLED for a in self.acks)

    def newest(self) -> Ack | None:
        """The newest acknowledged order message by the sender's timestamp."""
        states = [a for a in self.acks if a.kind != CANCELLED]
        return max(states, key=lambda a: a.timestamp, default=None)

    def replay(self) -> History:
        h = History()
        for ack in self.acks:
            if ack.kind == CANCELLED:
                if not h.cancelled:
                    h.cancelled = True
                    h.events["", "cancelled"] += 1
                continue
            if h.cancelled:
                continue  # a cancel wins over anything after it
            if h.state_at is None:
                # The first state creates the order (whatever its type says).
                h.events["", "received"] += 1
            elif ack.timestamp < h.state_at:
                continue  # stale: older than the state applied
            else:
                _apply(h, ack)
            h.state_at = ack.timestamp
            h.active = dict(ack.lines)
            h.lines.update(ack.lines)
        return h


def _apply(h: History, ack: Ack) -> None:
    """An update over the state in `h`: the events it writes."""
    h.events["", "updated"] += 1
    for line_id, before in h.active.items():
        after = ack.lines.get(line_id)
        if after is None or after.quantity < before.quantity:
            h.events[line_id, "line_voided"] += 1
    for line_id in ack.lines:
        if line_id not in h.active:
            h.events[line_id, "line_added"] += 1  # new, or back after a void


class Ledger:
    def __init__(self) -> None:
        self.orders: dict[str, OrderLedger] = {}
        self._seen: set[str] = set()

    def acknowledge(
        self,
        *,
        order_id: str,
        kind: str,
        timestamp: datetime,
        data: dict[str, Any],
        webhook_id: str,
    ) -> None:
        """Books a 2xx answer; a redelivery of a message already booked adds nothing."""
        order = self.orders.setdefault(order_id, OrderLedger())
        if webhook_id in self._seen:
            return
        self._seen.add(webhook_id)
        lines = {
            item["id"]: Line(sku=item.get("sku") or "", quantity=item["quantity"])
            for item in data.get("items", [])
        }
        order.acks.append(Ack(kind, timestamp, lines, webhook_id))


@dataclass
class Tap:
    """One action a screen made, as it made it, and what it was answered."""

    screen: str
    id: str  # the UUID the screen made for it
    action: str  # ticket_bump | recall | void_ack
    order: int  # the order's pk, as the screen's board names it
    made: float  # time.time() when the cook tapped
    during: str  # what was going on: "online", "cut off", "redis down", "server killed"
    first_sent: float | None = None  # when a copy first left the screen
    answer: dict[str, Any] | None = None  # the first answer that reached the screen
    answered: float | None = None
    deliveries: int = 0  # copies sent, answered or not
    repeats: list[dict[str, Any]] = field(default_factory=list)  # answers to copies sent again

    @property
    def ok(self) -> bool:
        return bool(self.answer and self.answer.get("ok"))


class Taps:
    """Every tap of every screen of a run, in the order they were made."""

    def __init__(self) -> None:
        self.taps: list[Tap] = []

    def made(self, tap: Tap) -> None:
        self.taps.append(tap)

    def summary(self) -> str:
        during = Counter(t.during for t in self.taps)
        answers = Counter(
            "never" if t.answer is None else "ok" if t.ok else str(t.answer.get("reason"))
            for t in self.taps
        )
        waits = sorted(t.answered - t.made for t in self.taps if t.answered is not None)
        sent = sorted(
            t.answered - t.first_sent
            for t in self.taps
            if t.answered is not None and t.first_sent is not None
        )
        waited = (
            f"made to answered: median {waits[len(waits) // 2]:.2f} s, longest {waits[-1]:.1f} s; "
            f"first sent to answered: median {sent[len(sent) // 2]:.2f} s, "
            f"longest {sent[-1]:.1f} s; "
            if waits and sent
            else ""
        )
        return (
            f"{waited}taps: {len(self.taps)} ({', '.join(f'{n} {k}' for k, n in sorted(during.items()))}); "
            f"answers {', '.join(f'{n}×{k}' for k, n in sorted(answers.items()))}; "
            f"{sum(len(t.repeats) for t in self.taps)} sent again after their answer, "
            f"{sum(t.deliveries for t in self.taps)} copies in all"
        )
