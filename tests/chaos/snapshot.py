"""`python -m tests.chaos.snapshot`: the database's orders and every station's board, as JSON.

Run in the chaos cluster's environment (DATABASE_URL), in a process of its own, so the
boards are rendered from the database and nothing else: the same `board_render()` the
screens' consumers use.
"""

from __future__ import annotations

import json
import os
from typing import Any


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kds.settings")
    import django

    django.setup()
    from django.db.models import Count

    from orders.boards.render import board_render
    from orders.models import (
        ActionRecord,
        EventKind,
        Line,
        LineStation,
        Order,
        OrderEvent,
        Screen,
        Station,
        StationKind,
    )

    orders: dict[str, Any] = {}
    for order in Order.objects.prefetch_related("lines"):
        orders[order.external_id] = {
            "status": order.status,
            "state_at": order.state_at.isoformat() if order.state_at else None,
            "lines": {
                line.external_id: {"quantity": line.quantity, "status": line.status}
                for line in order.lines.all()
            },
        }
    # Every row as it is, for the audit to count (tests/chaos/audit.py): nothing grouped
    # by the columns of a unique constraint, which would make a double 0 by construction.
    rows = {
        "orders": list(Order.objects.values_list("external_id", flat=True)),
        "lines": list(Line.objects.values_list("order__external_id", "external_id")),
        "placements": list(
            LineStation.objects.values_list(
                "line__order__external_id", "line__external_id", "station__slug"
            )
        ),
        "events": list(
            OrderEvent.objects.values_list("order__external_id", "line__external_id", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    }
    # The screens' taps as recorded, and the events screens wrote, row by row: the taps'
    # audit (tests/chaos/audit.py: audit_taps) matches them to the screens' own ledger.
    taps = {
        "screens": {f"screen:{pk}": name for pk, name in Screen.objects.values_list("pk", "name")},
        "records": [
            [actor, str(action_id), action, answer, made_at.isoformat()]
            for actor, action_id, action, answer, made_at in ActionRecord.objects.values_list(
                "actor", "action_id", "action", "answer", "made_at"
            )
        ],
        "events": [
            [f"screen:{screen_id}", order_id, kind, at.isoformat()]
            for screen_id, order_id, kind, at in OrderEvent.objects.filter(
                screen__isnull=False,
                kind__in=[EventKind.BUMPED, EventKind.RECALLED, EventKind.VOID_ACKNOWLEDGED],
            ).values_list("screen_id", "order_id", "kind", "at")
        ],
    }
    boards: dict[str, Any] = {}
    for station in Station.objects.exclude(kind=StationKind.EXPO).select_related("restaurant"):
        language = station.restaurant.language or "en"
        rendered = board_render(station.pk, language=language)
        boards[str(station.pk)] = {
            "seq": rendered.seq,
            "tickets": [list(t) for t in rendered.tickets],
        }
    print(json.dumps({"orders": orders, "rows": rows, "taps": taps, "boards": boards}))


if __name__ == "__main__":
    main()
