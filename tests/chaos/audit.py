"""Compares the sender's ledger with what the database holds: lost, doubled, diverged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.chaos.sender import Entry


@dataclass
class Audit:
    orders: int = 0
    lost: list[str] = field(default_factory=list)
    doubled: dict[str, int] = field(default_factory=dict)
    diverged: list[str] = field(default_factory=list)

    @property
    def doubled_count(self) -> int:
        return sum(self.doubled.values())

    def line(self) -> str:
        return (
            f"orders acknowledged: {self.orders}; lost: {len(self.lost)}, "
            f"doubled: {self.doubled_count}, diverged: {len(self.diverged)}"
        )


def audit(ledger: dict[str, Entry], snapshot: dict[str, Any]) -> Audit:
    result = Audit(doubled=dict(snapshot["doubled"]))
    stored = snapshot["orders"]
    for order_id, entry in sorted(ledger.items()):
        if not entry.acknowledged:
            continue
        result.orders += 1
        row = stored.get(order_id)
        if row is None:
            result.lost.append(order_id)
            continue
        if entry.cancelled:
            if row["status"] != "cancelled":
                result.diverged.append(f"{order_id}: cancelled, database says {row['status']}")
            continue
        if row["status"] == "cancelled":
            result.diverged.append(f"{order_id}: never cancelled, database says cancelled")
            continue
        active = {
            line_id: line["quantity"]
            for line_id, line in row["lines"].items()
            if line["status"] == "active"
        }
        stray = [
            line_id
            for line_id, line in row["lines"].items()
            if line["status"] != "active" and line_id in entry.items
        ]
        state_at = datetime.fromisoformat(row["state_at"]) if row["state_at"] else None
        if active != entry.items or stray or state_at != entry.applied_at:
            result.diverged.append(
                f"{order_id}: ledger {entry.items} at {entry.applied_at}, "
                f"database {active} at {state_at}"
            )
    return result
