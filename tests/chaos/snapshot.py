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
    from orders.models import Line, LineStation, Order, OrderEvent, Station, StationKind

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
    boards: dict[str, Any] = {}
    for station in Station.objects.exclude(kind=StationKind.EXPO).select_related("restaurant"):
        language = station.restaurant.language or "en"
        rendered = board_render(station.pk, language=language)
        boards[str(station.pk)] = {
            "seq": rendered.seq,
            "tickets": [list(t) for t in rendered.tickets],
        }
    print(json.dumps({"orders": orders, "rows": rows, "boards": boards}))


if __name__ == "__main__":
    main()
