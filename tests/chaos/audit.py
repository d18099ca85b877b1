"""Compares the sender's ledger (tests/chaos/ledger.py) with the rows the database holds.

Three figures, each a list of findings, every one of which names an order:

- lost: an acknowledged order, one of its lines, a placement routing gives that line,
  or an event its history writes, missing from the database;
- doubled: a row that is there more often than the ledger says, counted per thing a
  double delivery would double: orders per external id, lines per (order, line id),
  placements per (line, station), and received, updated, cancelled, line-added and
  line-voided events per order and line;
- diverged: an order whose status, live lines, quantities or state time differ from
  the newest acknowledged message (cancelled only if a cancel was acknowledged); a line,
  placement or event the ledger has no reason for.

Nothing here reads the server's answers, and nothing is grouped by the columns of a
unique constraint only: the rows are counted as they come.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.chaos.ledger import Ledger, OrderLedger

# The events the sender's messages write; screens' actions write others.
AUDITED_EVENTS = ("received", "updated", "cancelled", "line_added", "line_voided")

Stations = Callable[[str], set[str]]  # a dish's sku -> the station slugs routing gives it


@dataclass
class Audit:
    orders: int = 0
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    diverged: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"orders acknowledged: {self.orders}; lost: {len(self.lost)}, "
            f"doubled: {len(self.doubled)}, diverged: {len(self.diverged)}"
        )

    def count(self, expected: Counter[Any], actual: Counter[Any], what: str) -> None:
        """Files each key of `actual` against `expected`: missing, extra, or unexpected."""
        for key in sorted(set(expected) | set(actual), key=str):
            want, have = expected[key], actual[key]
            if have < want:
                self.lost.append(f"{what} {key}: {have} of {want}")
            elif have > want and want:
                self.doubled.append(f"{what} {key}: {have}, expected {want}")
            elif have > want:
                self.diverged.append(f"{what} {key}: {have}, expected none")


def audit(ledger: Ledger, snapshot: dict[str, Any], *, stations: Stations) -> Audit:
    result = Audit()
    rows = snapshot["rows"]
    stored = snapshot["orders"]
    acknowledged = {o: entry for o, entry in ledger.orders.items() if entry.acks}
    result.orders = len(acknowledged)

    expected_lines: Counter[tuple[str, str]] = Counter()
    expected_placements: Counter[tuple[str, str, str]] = Counter()
    expected_events: Counter[tuple[str, str, str]] = Counter()
    for order_id, entry in sorted(acknowledged.items()):
        history = entry.replay()
        for line_id, line in history.lines.items():
            expected_lines[order_id, line_id] += 1
            for station in stations(line.sku):
                expected_placements[order_id, line_id, station] += 1
        for (line_id, kind), n in history.events.items():
            expected_events[order_id, line_id, kind] += n
        row = stored.get(order_id)
        if row is not None:
            _compare_state(result, order_id, entry, row)

    orders = Counter(rows["orders"])
    result.count(Counter(acknowledged.keys()), orders, "order")
    result.count(expected_lines, Counter(map(tuple, rows["lines"])), "line")
    result.count(expected_placements, Counter(map(tuple, rows["placements"])), "placement")
    events = Counter(
        {
            (order_id, line_id or "", kind): n
            for order_id, line_id, kind, n in rows["events"]
            if kind in AUDITED_EVENTS
        }
    )
    result.count(expected_events, events, "event")
    return result


def _compare_state(result: Audit, order_id: str, entry: OrderLedger, row: dict[str, Any]) -> None:
    if entry.cancelled:
        if row["status"] != "cancelled":
            result.diverged.append(f"{order_id}: cancelled, database says {row['status']}")
        return
    if row["status"] == "cancelled":
        result.diverged.append(f"{order_id}: never cancelled, database says cancelled")
        return
    newest = entry.newest()
    assert newest is not None  # acknowledged, not cancelled: at least one order message
    want = {line_id: line.quantity for line_id, line in newest.lines.items()}
    active = {
        line_id: line["quantity"]
        for line_id, line in row["lines"].items()
        if line["status"] == "active"
    }
    state_at = datetime.fromisoformat(row["state_at"]) if row["state_at"] else None
    if active != want or state_at != newest.timestamp:
        result.diverged.append(
            f"{order_id}: ledger {want} at {newest.timestamp}, database {active} at {state_at}"
        )
