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

`audit_taps` does the same for the screens' taps, from the screens' own ledger (every
tap made, when, and the answer that reached the screen) against the action records
and the events screens wrote:

- lost: a tap never answered, a tap the database has no record of, a tap answered
  done whose event (bumped, recalled, void acknowledged) is missing;
- doubled: a tap recorded more than once, an event written more often than the tap's
  effect writes it;
- diverged: a tap whose answer is not the recorded one (or a copy sent again got
  another), a tap dated outside the time it can have been made at, a record or an
  event no tap of the ledger explains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.chaos.ledger import Ledger, OrderLedger, Taps

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


# A ticket bump writes a bump and, for voids it acknowledges, a void acknowledged (at
# least one of them); a recall a recall; a void acknowledgement one. A refusal nothing.
TAP_EFFECTS: dict[str, dict[str, tuple[int, int]]] = {
    "ticket_bump": {"bumped": (0, 1), "void_acknowledged": (0, 1)},
    "recall": {"recalled": (1, 1)},
    "void_ack": {"void_acknowledged": (1, 1)},
}
# Milliseconds are what a screen sends: a time can be that much off either way.
CLOCK_SLACK = 0.002


def audit_taps(taps: Taps, snapshot: dict[str, Any]) -> Audit:
    result = Audit(orders=len(taps.taps))
    recorded = snapshot["taps"]
    actor_of = {name: actor for actor, name in recorded["screens"].items()}
    records: dict[tuple[str, str], list[list[Any]]] = {}
    for row in recorded["records"]:
        records.setdefault((row[0], row[1]), []).append(row)
    events: Counter[tuple[str, int, str, str]] = Counter(map(tuple, recorded["events"]))
    explained: set[tuple[str, int, str]] = set()

    for tap in taps.taps:
        actor = actor_of[tap.screen]
        what = f"tap {tap.screen} {tap.action} #{tap.order} ({tap.during}) {tap.id}"
        if tap.answer is None:
            result.lost.append(f"{what}: never answered")
        rows = records.get((actor, tap.id), [])
        if not rows:
            if tap.answer is not None:
                result.lost.append(f"{what}: answered {tap.answer}, no record")
            continue
        if len(rows) > 1:
            result.doubled.append(f"{what}: recorded {len(rows)} times")
        _actor, _id, action, answer, made_at = rows[0]
        if action != tap.action:
            result.diverged.append(f"{what}: recorded as {action}")
        if tap.answer is not None and tap.answer != answer:
            result.diverged.append(f"{what}: answered {tap.answer}, recorded {answer}")
        for again in tap.repeats:
            if again != answer:
                result.diverged.append(f"{what}: sent again, answered {again}, recorded {answer}")
        at = datetime.fromisoformat(made_at).timestamp()
        # Dated when made: the server takes the copy's age (sent - made) from when it got
        # it, so the date lies between the tap and the tap plus the longest any copy took.
        latest = tap.made + (tap.answered or tap.made) - (tap.first_sent or tap.made)
        if not tap.made - CLOCK_SLACK <= at <= latest + CLOCK_SLACK:
            result.diverged.append(
                f"{what}: dated {at - tap.made:+.3f} s from when it was made "
                f"(at most {latest - tap.made:+.3f} s)"
            )
        key = (actor, tap.order, made_at)
        explained.add(key)
        written = {kind: events[(*key[:2], kind, made_at)] for kind in TAP_EFFECTS[tap.action]}
        if not (answer or {}).get("ok"):
            for kind, n in written.items():
                if n:
                    result.diverged.append(f"{what}: refused ({answer}), yet {n} {kind}")
            continue
        for kind, n in written.items():
            low, high = TAP_EFFECTS[tap.action][kind]
            if n < low:
                result.lost.append(f"{what}: done, no {kind} event")
            elif n > high:
                result.doubled.append(f"{what}: {n} {kind} events")
        if not any(written.values()):
            result.lost.append(f"{what}: done, no event")

    tapped = {(actor_of[t.screen], t.id) for t in taps.taps}
    for actor, action_id in records:
        if actor in recorded["screens"] and (actor, action_id) not in tapped:
            result.diverged.append(f"record {actor} {action_id}: no tap made it")
    for (actor, order, kind, when), n in sorted(events.items()):
        if (actor, order, when) not in explained:
            result.diverged.append(
                f"event {actor} #{order} {kind} at {when} (×{n}): no tap made it"
            )
    return result
