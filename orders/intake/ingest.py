"""Order intake: applying one verified, validated webhook message in one transaction.

Idempotency rests on the unique constraint of WebhookMessage (source, webhook_id):
the message row is inserted first, so of two identical messages racing, the
second blocks on the index until the first commits and then fails with an
IntegrityError, which is answered as a duplicate. No read-then-write.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..kitchen.placements import order_station_ids
from ..live.sequence import stations_touch
from ..models import (
    Channel,
    EventKind,
    Line,
    LineStation,
    LineStatus,
    Order,
    OrderEvent,
    OrderSource,
    OrderStatus,
    PrintKind,
    TicketState,
    WebhookMessage,
    WebhookOutcome,
)
from ..printing.plan import Slip
from .lines import line_update, line_void, lines_add, readiness_follow, slips_print
from .schema import Message, OrderIn

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    order: Order
    outcome: str
    duplicate: bool = False
    stale: bool = False
    created: bool = False
    stations: set[int] = field(default_factory=set)

    @property
    def http_status(self) -> int:
        return 201 if self.created and not self.duplicate else 200

    def as_json(self) -> dict[str, Any]:
        if self.created and not self.duplicate:
            return {"order": str(self.order.pk), "status": "created"}
        status = "cancelled" if self.order.status == OrderStatus.CANCELLED else "updated"
        return {
            "order": str(self.order.pk),
            "status": status,
            "duplicate": self.duplicate,
            "stale": self.stale,
        }


def order_ingest(
    *, source: OrderSource, webhook_id: str, message: Message, now: datetime | None = None
) -> IngestResult:
    """Stores one message. Raises DatabaseError if it cannot; then nothing is stored."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            record = WebhookMessage.objects.create(
                source=source,
                webhook_id=webhook_id,
                event_type=message.type,
                received_at=now,
                outcome=WebhookOutcome.UPDATED,
            )
            result = order_apply(source=source, message=message, now=now)
            record.order = result.order
            record.outcome = result.outcome
            record.save(update_fields=["order", "outcome"])
    except IntegrityError:
        existing = (
            WebhookMessage.objects.filter(source=source, webhook_id=webhook_id)
            .select_related("order")
            .first()
        )
        if existing is None or existing.order is None:
            raise
        return IngestResult(
            order=existing.order,
            outcome=existing.outcome,
            duplicate=True,
            stale=existing.outcome == WebhookOutcome.STALE,
            created=existing.outcome == WebhookOutcome.CREATED,
        )
    return result


def order_apply(*, source: OrderSource, message: Message, now: datetime) -> IngestResult:
    """Applies one message inside the caller's transaction and touches the stations.

    `order_ingest` records the message first; a vendor whose orders are fetched after
    their event was recorded (Square, orders/intake/fetch.py) calls this directly.
    """
    result = _apply(source=source, message=message, now=now)
    stations_touch(station_ids=result.stations, reason=result.outcome)
    return result


def _locked_order(source: OrderSource, external_id: str) -> Order | None:
    return Order.objects.select_for_update().filter(source=source, external_id=external_id).first()


def _insert_or_lock(order: Order) -> tuple[Order, bool]:
    """Inserts a new order, or, if another message created it first, locks and returns that one."""
    try:
        with transaction.atomic():  # a savepoint: the race below must not spoil the transaction
            order.save(force_insert=True)
        return order, True
    except IntegrityError:
        existing = _locked_order(order.source, order.external_id)
        if existing is None:
            raise
        return existing, False


def _apply(*, source: OrderSource, message: Message, now: datetime) -> IngestResult:
    order = _locked_order(source, message.order_id)

    if message.cancel is not None:
        if order is None:
            # A cancel that overtook its order: keep a cancelled stub, so the order,
            # when it arrives, stays cancelled.
            order, _ = _insert_or_lock(
                Order(
                    restaurant_id=source.restaurant_id,
                    source=source,
                    external_id=message.order_id,
                    placed_at=now,
                    received_at=now,
                    state_at=message.timestamp,
                )
            )
        return _cancel(order=order, source=source, now=now)

    data = message.order
    assert data is not None
    created = False
    if order is None:
        order, created = _insert_or_lock(
            _new_order(source=source, data=data, message=message, now=now)
        )
    if created:
        stations = lines_add(order=order, items=data.items, source=source, now=now, by_update=False)
        OrderEvent.objects.create(
            order=order,
            kind=EventKind.RECEIVED,
            at=now,
            source=source,
            data={"lines": len(data.items), "type": message.type},
        )
        readiness_follow(order, now=now, source=source)
        return IngestResult(
            order=order, outcome=WebhookOutcome.CREATED, created=True, stations=stations
        )

    if order.status == OrderStatus.CANCELLED:
        # A cancel wins over any later update.
        return IngestResult(order=order, outcome=WebhookOutcome.IGNORED)
    if _is_stale(order, message):
        return IngestResult(order=order, outcome=WebhookOutcome.STALE, stale=True)
    stations = _update(order=order, data=data, message=message, source=source, now=now)
    return IngestResult(order=order, outcome=WebhookOutcome.UPDATED, stations=stations)


def _is_stale(order: Order, message: Message) -> bool:
    if message.version is not None and order.state_version is not None:
        return message.version <= order.state_version
    return order.state_at is not None and message.timestamp < order.state_at


def _new_order(*, source: OrderSource, data: OrderIn, message: Message, now: datetime) -> Order:
    return Order(
        restaurant_id=source.restaurant_id,
        source=source,
        external_id=data.id,
        received_at=now,
        state_at=message.timestamp,
        state_version=message.version,
        placed_at=data.placed_at or now,
        **_order_fields(source=source, data=data),
    )


def _order_fields(*, source: OrderSource, data: OrderIn) -> dict[str, Any]:
    return {
        "number": data.number,
        "channel": Channel(data.channel),
        "table": data.table or "",
        "guests": data.guests,
        "customer_name": data.customer_name or "",
        "priority": data.priority or source.default_priority,
        "notes": data.notes or "",
        "fire_at": data.fire_at,
    }


def _update(
    *, order: Order, data: OrderIn, message: Message, source: OrderSource, now: datetime
) -> set[int]:
    changed_fields = {
        name: value
        for name, value in _order_fields(source=source, data=data).items()
        if getattr(order, name) != value
    }
    if data.placed_at is not None and data.placed_at != order.placed_at:
        changed_fields["placed_at"] = data.placed_at
    for name, value in changed_fields.items():
        setattr(order, name, value)
    order.state_at = message.timestamp
    if message.version is not None:
        order.state_version = message.version
    if "placed_at" in changed_fields or "channel" in changed_fields:
        # The reports' copies on lines and placements (new lines copy them from `order`).
        copies = {"order_placed_at": order.placed_at, "order_channel": order.channel}
        Line.objects.filter(order=order).update(**copies)
        LineStation.objects.filter(order_id=order.pk).update(**copies)

    existing = {line.external_id: line for line in order.lines.all()}
    incoming = {item.id for item in data.items}
    new_items = [item for item in data.items if item.id not in existing]

    for item in data.items:
        line = existing.get(item.id)
        if line is not None:
            line_update(line, item, now=now, source=source)
    for external_id, line in existing.items():
        if external_id not in incoming and line.status == LineStatus.ACTIVE:
            line_void(line, line.quantity, now=now, source=source)

    stations = order_station_ids(order.pk)
    if new_items:
        stations |= lines_add(order=order, items=new_items, source=source, now=now, by_update=True)
    order.save()
    readiness_follow(order, now=now, source=source)
    OrderEvent.objects.create(
        order=order,
        kind=EventKind.UPDATED,
        at=now,
        source=source,
        data={"fields": sorted(changed_fields), "added": len(new_items)},
    )
    return stations


def _cancel(*, order: Order, source: OrderSource, now: datetime) -> IngestResult:
    if order.status == OrderStatus.CANCELLED:
        return IngestResult(order=order, outcome=WebhookOutcome.CANCELLED)
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = now
    order.save(update_fields=["status", "cancelled_at"])
    cooking = LineStation.objects.select_related("line__menu_item").filter(
        line__order=order, line__status=LineStatus.ACTIVE, state=TicketState.LIVE
    )
    slips: list[Slip] = [(p.station_id, p.line, None) for p in cooking]
    slips_print(order, PrintKind.CANCELLED, slips, now)
    # Stations still cooking it must see the cancel, struck through, until they acknowledge.
    LineStation.objects.filter(line__order=order).exclude(state=TicketState.READY).update(
        void_pending=True
    )
    # The reports' copies: no time of a cancelled order counts.
    Line.objects.filter(order=order).update(order_cancelled=True)
    LineStation.objects.filter(order_id=order.pk).update(counts=False)
    OrderEvent.objects.create(order=order, kind=EventKind.CANCELLED, at=now, source=source)
    return IngestResult(
        order=order, outcome=WebhookOutcome.CANCELLED, stations=order_station_ids(order.pk)
    )
