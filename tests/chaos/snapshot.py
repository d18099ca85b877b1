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
    from django.db import connection

    from orders.boards.render import board_render
    from orders.models import Order, Station, StationKind

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
    doubled: dict[str, int] = {}
    with connection.cursor() as cursor:
        for name, sql in {
            "orders": "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) n FROM orders_order "
            "GROUP BY source_id, external_id) t",
            "lines": "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) n FROM orders_line "
            "GROUP BY order_id, external_id) t",
            "placements": "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) n FROM "
            "orders_linestation GROUP BY line_id, station_id) t",
            "messages": "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) n FROM "
            "orders_webhookmessage GROUP BY source_id, webhook_id) t",
        }.items():
            cursor.execute(sql)
            doubled[name] = int(cursor.fetchone()[0])
    boards: dict[str, Any] = {}
    for station in Station.objects.exclude(kind=StationKind.EXPO).select_related("restaurant"):
        language = station.restaurant.language or "en"
        rendered = board_render(station.pk, language=language)
        boards[str(station.pk)] = {
            "seq": rendered.seq,
            "tickets": [list(t) for t in rendered.tickets],
        }
    print(json.dumps({"orders": orders, "doubled": doubled, "boards": boards}))


if __name__ == "__main__":
    main()
