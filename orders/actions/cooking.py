"""What cooks do on a station screen: bump, undo a bump, recall, acknowledge a void.

Each runs in one transaction, locks what it changes, writes the order's event log
with the screen that did it, and touches the stations whose boards change; the
broadcast goes out after commit (`orders.live.sequence`).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from ..kitchen.placements import order_station_ids
from ..kitchen.readiness import served_line_ids
from ..live.sequence import stations_touch
from ..models import (
    EventKind,
    LineStation,
    LineStatus,
    Order,
    OrderEvent,
    OrderStatus,
    Screen,
    Station,
    StationKind,
    TicketState,
)
from ..outbox.events import ORDER_CANCEL_ACKNOWLEDGED
from . import notify
from .errors import ActionRefused
from .firing import after_ready
from .locking import order_lock
from .status import order_status_settle


def _update_order_ready(
    order: Order, *, station: Station, screen: Screen | None, now: datetime
) -> set[int]:
    """Sets the order ready when every fired line is, or open again when one is not.

    Returns the stations to touch besides the acting one: expo, whose board shows every
    line's progress.
    """
    # The earlier courses being ready may fire the next one, which makes the order unfinished.
    fired = after_ready(order=order, now=now)
    order_status_settle(order=order, now=now, station=station, screen=screen)
    return order_station_ids(order.pk, kind=StationKind.EXPO) | fired


def _locked_placement(placement: LineStation, screen: Screen) -> tuple[Order, LineStation]:
    """Locks the order, then the placement if it is on the screen's station."""
    order = order_lock(placement.line.order_id)
    p = (
        LineStation.objects.select_for_update()
        .filter(pk=placement.pk, station_id=screen.station_id)
        .select_related("line", "station")
        .first()
    )
    if p is None:
        raise ActionRefused("not this station's line")
    return order, p


def _locked_ticket(order: Order, station: Station, screen: Screen) -> Order:
    """Locks the order of a ticket on the screen's own station (another's is refused)."""
    if screen.station_id != station.pk:
        raise ActionRefused("not this screen's station")
    return order_lock(order.pk)


def _line_mark(order: Order, p: LineStation, *, ready: bool, screen: Screen, now: datetime) -> None:
    """Marks one line at one station ready (a bump) or cooking again (its undo)."""
    p.state = TicketState.READY if ready else TicketState.LIVE
    p.ready_at = now if ready else None
    p.save(update_fields=["state", "ready_at"])
    OrderEvent.objects.create(
        order=order,
        line=p.line,
        kind=EventKind.BUMPED if ready else EventKind.RECALLED,
        at=now,
        station=p.station,
        screen=screen,
    )
    touched = {p.station_id} | _update_order_ready(order, station=p.station, screen=screen, now=now)
    stations_touch(station_ids=touched, reason="line_bumped" if ready else "line_recalled")


def line_bump(*, placement: LineStation, screen: Screen, now: datetime | None = None) -> bool:
    """One line at the screen's station is ready. False when it already was.

    `now` is when the cook tapped (a screen replaying taps made offline dates them); a
    line is never ready before it was fired.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order, p = _locked_placement(placement, screen)
        if p.state == TicketState.READY or p.line.status != LineStatus.ACTIVE:
            return False
        if order.status in (OrderStatus.CANCELLED, OrderStatus.SERVED):
            raise ActionRefused("order closed")
        if p.fired_at and now < p.fired_at:
            now = p.fired_at
        _line_mark(order, p, ready=True, screen=screen, now=now)
    return True


def line_unbump(*, placement: LineStation, screen: Screen, now: datetime | None = None) -> bool:
    """Undoes a line bump (a second tap on a ticked line); not once the dish went out."""
    now = now or timezone.now()
    with transaction.atomic():
        order, p = _locked_placement(placement, screen)
        if p.state != TicketState.READY or order.status in (
            OrderStatus.CANCELLED,
            OrderStatus.SERVED,
        ):
            return False
        if p.line_id in served_line_ids(order=order):
            return False
        _line_mark(order, p, ready=False, screen=screen, now=now)
    return True


def _seen(order: Order, pending: list[LineStation], now: datetime) -> list[LineStation]:
    """The pending voids a screen could have shown at `now`. A tap replayed from offline
    acknowledges only what was on the screen when it was made, never a later void or cancel."""
    if order.status == OrderStatus.CANCELLED and order.cancelled_at and order.cancelled_at > now:
        return []
    voided_at = dict(
        OrderEvent.objects.filter(
            order=order, kind=EventKind.LINE_VOIDED, line_id__in=[p.line_id for p in pending]
        )
        .values_list("line_id")
        .annotate(last=Max("at"))
    )
    return [p for p in pending if voided_at.get(p.line_id, now) <= now]


def _acknowledge_voids(order: Order, station: Station, screen: Screen, now: datetime) -> int:
    pending = list(
        LineStation.objects.select_for_update()
        .filter(line__order=order, station=station, void_pending=True)
        .select_related("line")
    )
    pending = _seen(order, pending, now)
    if not pending:
        return 0
    LineStation.objects.filter(pk__in=[p.pk for p in pending]).update(void_pending=False)
    OrderEvent.objects.create(
        order=order,
        kind=EventKind.VOID_ACKNOWLEDGED,
        at=now,
        station=station,
        screen=screen,
        data={
            "lines": [p.line_id for p in pending],
            "cancelled": order.status == OrderStatus.CANCELLED,
        },
    )
    if order.status == OrderStatus.CANCELLED:
        still = LineStation.objects.filter(line__order=order, void_pending=True)
        notify.order_event(
            order,
            ORDER_CANCEL_ACKNOWLEDGED,
            now=now,
            station=station.slug,
            stations_to_acknowledge=still.values("station_id").distinct().count(),
        )
    return len(pending)


def void_acknowledge(
    *, order: Order, station: Station, screen: Screen, now: datetime | None = None
) -> bool:
    """The cook saw the voids (or the cancel) on this ticket: they leave the board."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_ticket(order, station, screen)
        if not _acknowledge_voids(locked, station, screen, now):
            return False
        stations_touch(station_ids={station.pk}, reason="void_acknowledged")
    return True


def ticket_bump(
    *, order: Order, station: Station, screen: Screen, now: datetime | None = None
) -> bool:
    """The whole ticket is ready at this station and leaves its board.

    Unacknowledged voids on it count as acknowledged: the cook had them in front of them
    (those the screen showed when the tap was made). A tap made before the order was
    cancelled (replayed from offline) is refused: the cancel stays to be acknowledged.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_ticket(order, station, screen)
        if locked.status == OrderStatus.CANCELLED and (locked.cancelled_at or now) > now:
            raise ActionRefused("cancelled after the tap")
        placements = list(
            LineStation.objects.select_for_update()
            .filter(line__order=locked, station=station)
            .filter(Q(state__in=[TicketState.LIVE, TicketState.HELD]) | Q(void_pending=True))
            .select_related("line")
        )
        if not placements:
            return False
        acknowledged = _acknowledge_voids(locked, station, screen, now)
        to_bump = [
            p
            for p in placements
            if p.state != TicketState.READY
            and p.line.status == LineStatus.ACTIVE
            and locked.status not in (OrderStatus.CANCELLED, OrderStatus.SERVED)
        ]
        # Never ready before fired (a tap replayed from offline carries its own time).
        LineStation.objects.filter(pk__in=[p.pk for p in to_bump]).update(
            state=TicketState.READY,
            ready_at=Greatest(Value(now), Coalesce("fired_at", Value(now))),
            hold_until=None,
        )
        touched = {station.pk}
        if to_bump:
            OrderEvent.objects.create(
                order=locked,
                kind=EventKind.BUMPED,
                at=now,
                station=station,
                screen=screen,
                data={"lines": [p.line_id for p in to_bump]},
            )
            touched |= _update_order_ready(locked, station=station, screen=screen, now=now)
        if not to_bump and not acknowledged:
            return False
        stations_touch(station_ids=touched, reason="ticket_bumped")
    return True


def ticket_recall(
    *, order: Order, station: Station, screen: Screen, now: datetime | None = None
) -> bool:
    """Brings a bumped ticket back onto this station's board, but not the dishes that were
    handed over: a recall after the hand-over does nothing (docs/screens.md)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_ticket(order, station, screen)
        if locked.status in (OrderStatus.CANCELLED, OrderStatus.SERVED):
            raise ActionRefused("order closed")
        served = served_line_ids(order=locked)
        placements = [
            p
            for p in LineStation.objects.select_for_update().filter(
                line__order=locked,
                station=station,
                state=TicketState.READY,
                line__status=LineStatus.ACTIVE,
            )
            if p.line_id not in served
        ]
        if not placements:
            return False
        LineStation.objects.filter(pk__in=[p.pk for p in placements]).update(
            state=TicketState.LIVE, ready_at=None
        )
        OrderEvent.objects.create(
            order=locked,
            kind=EventKind.RECALLED,
            at=now,
            station=station,
            screen=screen,
            data={"lines": [p.line_id for p in placements]},
        )
        touched = {station.pk} | _update_order_ready(
            locked, station=station, screen=screen, now=now
        )
        stations_touch(station_ids=touched, reason="ticket_recalled")
    return True
