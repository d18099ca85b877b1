"""What a message does to an order's lines: new lines routed and placed, a line changed,
voided or brought back whole, the order's readiness followed; each with its printer
slips and its events. Called inside `orders.intake.ingest`'s transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..kitchen.courses import plan_placements
from ..kitchen.readiness import order_readiness
from ..kitchen.routing import LineFacts
from ..models import (
    EventKind,
    Line,
    LineStation,
    LineStatus,
    Order,
    OrderEvent,
    OrderSource,
    OrderStatus,
    PrintJob,
    PrintKind,
    TicketState,
)
from ..printing.plan import Slip, live_slips, print_jobs_plan
from .menu import restaurant_menu
from .schema import ItemIn


def slips_print(order: Order, kind: PrintKind, slips: list[Slip], now: datetime) -> None:
    """The kitchen printers' slips of this change, in its transaction (orders/printing)."""
    PrintJob.objects.bulk_create(print_jobs_plan(order=order, kind=kind, slips=slips, at=now))


def line_slips(line: Line, quantity: int | None = None) -> list[Slip]:
    return [(sid, line, quantity) for sid in line.placements.values_list("station_id", flat=True)]


def lines_add(
    *, order: Order, items: list[ItemIn], source: OrderSource, now: datetime, by_update: bool
) -> set[int]:
    # The source's restaurant, loaded with it: its menu version as the webhook began.
    menu = restaurant_menu(restaurant=source.restaurant)
    table = menu.routing
    start = order.lines.count() if by_update else 0
    lines: list[Line] = []
    for offset, item in enumerate(items):
        menu_item = menu.match(item)
        lines.append(
            Line(
                order=order,
                external_id=item.id,
                menu_item=menu_item,
                sku=item.sku or "",
                name=item.name,
                quantity=item.quantity,
                modifiers=list(item.modifiers),
                notes=item.notes or "",
                course=item.course or (menu_item.default_course if menu_item else 1),
                seat=item.seat,
                unmapped=menu_item is None,
                added_by_update=by_update,
                created_at=now,
                position=start + offset,
            )
        )
        lines[-1].copy_order_facts(order)
    Line.objects.bulk_create(lines)
    routes = {
        line.pk: table.route(
            LineFacts(menu_item=line.menu_item, channel=order.channel, source_id=source.pk)
        )
        for line in lines
    }
    placements = plan_placements(
        order=order, lines=lines, routes=routes, now=now, by_update=by_update
    )
    LineStation.objects.bulk_create(placements)
    slips_print(
        order, PrintKind.ADDED if by_update else PrintKind.TICKET, live_slips(placements), now
    )
    if by_update:
        OrderEvent.objects.bulk_create(
            OrderEvent(
                order=order,
                line=line,
                kind=EventKind.LINE_ADDED,
                at=now,
                source=source,
                data={"quantity": line.quantity},
            )
            for line in lines
        )
    return {p.station_id for p in placements}


def readiness_follow(order: Order, *, now: datetime, source: OrderSource) -> None:
    """Open or ready as the lines say (`orders.kitchen.readiness`): an order of dishes with
    nothing to cook is ready on arrival; a new dish to cook makes a ready order open.

    An addition to an order already served or handed over (a second round, a forgotten
    side, a voided dish that comes back) reopens it: it is back on the stations and at
    expo, flagged as an addition, and is served again when the addition is.
    """
    status = order_readiness(order=order)
    if order.status == OrderStatus.OPEN and status == OrderStatus.READY:
        order.status, order.ready_at = OrderStatus.READY, now
        OrderEvent.objects.create(order=order, kind=EventKind.READY, at=now, source=source)
    elif order.status == OrderStatus.READY and status == OrderStatus.OPEN:
        order.status, order.ready_at = OrderStatus.OPEN, None
    elif order.status == OrderStatus.SERVED and status != OrderStatus.SERVED:
        order.status, order.served_at, order.reopened_at = status, None, now
        order.ready_at = now if status == OrderStatus.READY else None
    else:
        return
    order.save(update_fields=["status", "ready_at", "served_at", "reopened_at"])


def line_event(
    line: Line, kind: EventKind, *, now: datetime, source: OrderSource, data: dict[str, Any]
) -> None:
    OrderEvent.objects.create(
        order=line.order, line=line, kind=kind, at=now, source=source, data=data
    )


def line_void(line: Line, quantity: int, *, now: datetime, source: OrderSource) -> None:
    line.voided_quantity += quantity
    line.quantity -= quantity
    if line.quantity == 0:
        line.status = LineStatus.VOIDED
    line.save(update_fields=["voided_quantity", "quantity", "status"])
    # Voids stay on the board, struck through, until the station acknowledges them.
    # The reports' copies follow the line (the order is not cancelled: see ingest._apply).
    line.placements.update(
        void_pending=True,
        quantity=line.quantity,
        voided_quantity=line.voided_quantity,
        counts=line.status == LineStatus.ACTIVE,
    )
    slips_print(line.order, PrintKind.VOID, line_slips(line, quantity), now)
    line_event(
        line,
        EventKind.LINE_VOIDED,
        now=now,
        source=source,
        data={"quantity": quantity, "remaining": line.quantity},
    )


def line_update(line: Line, item: ItemIn, *, now: datetime, source: OrderSource) -> None:
    if line.status == LineStatus.VOIDED:
        # A line that comes back after a void: live again, whole, as the sender has it
        # now (its quantity, and its notes and modifiers: an allergy note must not be lost).
        fields = item_fields(line, item)
        for name, value in fields.items():
            setattr(line, name, value)
        line.status, line.added_by_update, line.changed_at = LineStatus.ACTIVE, True, now
        line.save(update_fields=[*fields, "status", "added_by_update", "changed_at"])
        line.placements.update(
            void_pending=False,
            state=TicketState.LIVE,
            ready_at=None,
            fired_at=now,
            quantity=line.quantity,
            counts=True,
        )
        slips_print(line.order, PrintKind.ADDED, line_slips(line), now)
        line_event(
            line,
            EventKind.LINE_ADDED,
            now=now,
            source=source,
            data={"quantity": item.quantity, "restored": True},
        )
        return
    if item.quantity < line.quantity:
        line_void(line, line.quantity - item.quantity, now=now, source=source)
    if item.quantity > line.quantity:
        slips_print(
            line.order, PrintKind.ADDED, line_slips(line, item.quantity - line.quantity), now
        )
    changes = {
        name: value
        for name, value in item_fields(line, item).items()
        if getattr(line, name) != value and (name != "quantity" or value > line.quantity)
    }
    if not changes:
        return
    for name, value in changes.items():
        setattr(line, name, value)
    line.changed_at = now
    line.save(update_fields=[*changes, "changed_at"])
    if "quantity" in changes:
        line.placements.update(quantity=line.quantity)
    line_event(
        line, EventKind.LINE_CHANGED, now=now, source=source, data={"fields": sorted(changes)}
    )


def item_fields(line: Line, item: ItemIn) -> dict[str, Any]:
    """What the sender's item says a line's fields are now (a course left out stays)."""
    return {
        "quantity": item.quantity,
        "modifiers": list(item.modifiers),
        "notes": item.notes or "",
        "name": item.name,
        "seat": item.seat,
        "course": item.course if item.course is not None else line.course,
    }
