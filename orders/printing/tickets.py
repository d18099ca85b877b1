"""A ticket as it is at the moment of a change: the payload of a print job.

The payload is plain JSON, written with the job in the transaction of the change, so
the slip says what changed then, whatever happens to the order before it prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..kitchen.allergies import is_allergy_note
from ..models import Line, Order, PrintKind, Station

PAYLOAD_VERSION = 1


def ticket_line(line: Line, *, quantity: int | None = None) -> dict[str, Any]:
    """One line of a slip: how many (the voided quantity on a void slip), name, the rest."""
    item = line.menu_item
    return {
        "qty": line.quantity if quantity is None else quantity,
        "name": line.name,
        "name_zh": item.name_zh if item else "",
        "modifiers": [str(m) for m in (line.modifiers or [])],
        "notes": line.notes,
        "allergy_note": bool(line.notes) and is_allergy_note(line.notes),
        "allergens": item.allergens if item else "",
        "course": line.course,
        "seat": line.seat,
    }


def ticket_payload(
    *,
    order: Order,
    station: Station,
    kind: PrintKind,
    lines: Iterable[dict[str, Any]],
    at: datetime,
) -> dict[str, Any]:
    """The slip for `station`: the order's header and `lines` (from `ticket_line`)."""
    return {
        "v": PAYLOAD_VERSION,
        "kind": str(kind),
        "order_id": order.pk,
        "number": order.display_number,
        "table": order.table,
        "customer": order.customer_name,
        "channel": order.channel,
        "priority": order.priority,
        "notes": order.notes,
        "notes_allergy": bool(order.notes) and is_allergy_note(order.notes),
        "placed_at": order.placed_at.isoformat(),
        "at": at.isoformat(),
        "station": station.name,
        "lines": sorted(lines, key=lambda li: li["course"]),
    }
