"""The recall list: tickets a station bumped in the last 15 minutes, to bring one back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..kitchen.clock import restaurant_clock
from ..models import LineStation, LineStatus, Order, OrderStatus, Station, TicketState
from .station import TEMPLATE, AllDay

RECALL_WINDOW = timedelta(minutes=15)


@dataclass
class RecallEntry:
    order_id: int
    number: str
    table: str
    customer_name: str
    bumped_at: datetime
    lines: list[AllDay]  # each dish and how many


def recall_list(station: Station, *, now: datetime | None = None) -> list[RecallEntry]:
    """Tickets fully bumped at this station in the last 15 minutes, newest first."""
    now = now or timezone.now()
    still_open = LineStation.objects.filter(
        station=station, state__in=[TicketState.LIVE, TicketState.HELD]
    ).values("line__order_id")
    rows = (
        LineStation.objects.filter(
            station=station,
            state=TicketState.READY,
            ready_at__gte=now - RECALL_WINDOW,
            line__status=LineStatus.ACTIVE,
        )
        .exclude(line__order__status__in=[OrderStatus.SERVED, OrderStatus.CANCELLED])
        .exclude(line__order_id__in=still_open)
        .values("line__order_id")
        .annotate(last=Max("ready_at"))
        .order_by("-last")
    )
    entries: list[RecallEntry] = []
    orders = Order.objects.in_bulk([r["line__order_id"] for r in rows])
    for r in rows:
        order = orders[r["line__order_id"]]
        lines = [
            AllDay(
                p.line.name, p.line.quantity, p.line.menu_item.name_zh if p.line.menu_item else ""
            )
            for p in LineStation.objects.filter(
                station=station, line__order=order, line__status=LineStatus.ACTIVE
            ).select_related("line", "line__menu_item")
        ]
        entries.append(
            RecallEntry(
                order.pk,
                order.display_number,
                order.table,
                order.customer_name,
                r["last"],
                lines,
            )
        )
    return entries


def recall_render(station: Station, *, language: str) -> str:
    """The recall list, in the screen's language and the restaurant's time zone."""
    with translation.override(language), restaurant_clock(station.restaurant):
        return render_to_string(f"{TEMPLATE}#recall", {"entries": recall_list(station)})
