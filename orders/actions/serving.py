"""Expo and front of house: handing orders over, serving, undo, sending lines back.

Plain functions, like `orders.actions.cooking`: each runs in one transaction, locks the
order first, appends to the order's event log with the screen or user who did it,
and touches every station of the order (prep and expo) so their boards follow; the
front-of-house and pick-up pages hear it through the restaurant's group.

The order is served when every active line is; then it leaves every screen. What
"ready" and "served" mean for a line and an order is `orders.kitchen.readiness`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..kitchen.placements import order_station_ids
from ..kitchen.readiness import LineState, line_states
from ..live import messages
from ..live.broadcast import on_commit_send
from ..live.groups import restaurant_group
from ..live.sequence import stations_touch
from ..models import (
    EventKind,
    Line,
    LineStation,
    LineStatus,
    Order,
    OrderEvent,
    OrderStatus,
    Screen,
    StationKind,
    TicketState,
)
from ..outbox.events import ORDER_HANDED_OVER
from . import notify
from .errors import ActionRefused
from .locking import order_lock
from .status import order_status_settle

# How long "undo" stays possible after marking something served.
UNDO_SECONDS = 10


def _settle(order: Order, *, now: datetime, screen: Screen | None, user: Any) -> None:
    """Brings `order.status` in line with its lines after a serve, undo or send-back."""
    order_status_settle(order=order, now=now, screen=screen, user=_user(user))


def _user(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _announce_restaurant(order: Order, reason: str) -> None:
    on_commit_send(
        [
            (
                restaurant_group(order.restaurant_id),
                messages.restaurant_changed(order_id=order.pk, reason=reason),
            )
        ]
    )


def _touch(order: Order, reason: str) -> None:
    stations_touch(station_ids=order_station_ids(order.pk), reason=reason)
    _announce_restaurant(order, reason)


def _check_actor(order: Order, screen: Screen | None, user: Any) -> None:
    if (screen is None) == (_user(user) is None):
        raise ActionRefused("exactly one of screen or user")
    if screen is not None:
        if screen.restaurant_id != order.restaurant_id or not screen.is_active:
            raise ActionRefused("not this restaurant's screen")


# ---------------------------------------------------------------- serving


def _serve(
    *,
    order: Order,
    line_ids: set[int] | None,
    screen: Screen | None,
    user: Any,
    now: datetime | None,
    reason: str,
) -> bool:
    now = now or timezone.now()
    _check_actor(order, screen, user)
    with transaction.atomic():
        locked = order_lock(order.pk)
        if locked.status in (OrderStatus.CANCELLED, OrderStatus.SERVED):
            return False
        if line_ids is None and locked.status != OrderStatus.READY:
            return False  # a whole order goes out when it is ready; single dishes any time
        if locked.ready_at and now < locked.ready_at:
            now = locked.ready_at  # a tap replayed from offline is never served before ready
        candidates = {
            line_id
            for line_id, state in line_states(order_ids=[locked.pk]).items()
            if state == LineState.READY
        }
        if line_ids is not None:
            candidates &= line_ids
        if not candidates:
            return False
        expo = list(
            LineStation.objects.select_for_update().filter(
                line_id__in=candidates, station__kind=StationKind.EXPO
            )
        )
        LineStation.objects.filter(pk__in=[p.pk for p in expo]).update(
            state=TicketState.READY, ready_at=now
        )
        previous = {"status": locked.status, "ready_at": _iso(locked.ready_at)}
        whole = line_ids is None
        OrderEvent.objects.create(
            order=locked,
            line_id=next(iter(candidates)) if not whole and len(candidates) == 1 else None,
            kind=EventKind.SERVED,
            at=now,
            station=expo[0].station if expo else None,
            screen=screen,
            user=_user(user),
            data={"lines": sorted(candidates), "whole": whole, "previous": previous},
        )
        if whole and not expo:
            # No expo station to hold per-line state: the order itself is what was served.
            was = locked.status
            locked.status, locked.served_at = OrderStatus.SERVED, now
            locked.save(update_fields=["status", "served_at"])
            notify.order_status_changed(locked, was=was, now=now)
        else:
            _settle(locked, now=now, screen=screen, user=user)
        if reason == "order_handed_over":
            notify.order_event(locked, ORDER_HANDED_OVER, now=now, lines=len(candidates))
        _touch(locked, reason)
    return True


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def order_handover(*, order: Order, screen: Screen, now: datetime | None = None) -> bool:
    """Expo hands the order's ready dishes over. False when nothing was waiting."""
    return _serve(
        order=order, line_ids=None, screen=screen, user=None, now=now, reason="order_handed_over"
    )


def order_serve(
    *,
    order: Order,
    user: Any = None,
    screen: Screen | None = None,
    now: datetime | None = None,
) -> bool:
    """A server marks every ready dish of the order served (the whole order when all are)."""
    return _serve(
        order=order, line_ids=None, screen=screen, user=user, now=now, reason="order_served"
    )


def line_serve(
    *,
    line: Line,
    user: Any = None,
    screen: Screen | None = None,
    now: datetime | None = None,
) -> bool:
    """One ready dish is served. The order is served with its last dish."""
    return _serve(
        order=line.order,
        line_ids={line.pk},
        screen=screen,
        user=user,
        now=now,
        reason="line_served",
    )


def order_unserve(
    *,
    order: Order,
    user: Any = None,
    screen: Screen | None = None,
    now: datetime | None = None,
) -> bool:
    """Undoes the order's latest serve (of a dish or the whole order) within the undo window.

    Only the screen or user who served can undo it.
    """
    now = now or timezone.now()
    _check_actor(order, screen, user)
    with transaction.atomic():
        locked = order_lock(order.pk)
        last = (
            OrderEvent.objects.filter(order=locked, kind__in=[EventKind.SERVED, EventKind.UNSERVED])
            .order_by("-at", "-pk")
            .first()
        )
        if last is None or last.kind != EventKind.SERVED:
            return False
        if last.at < now - timedelta(seconds=UNDO_SECONDS):
            return False
        if screen is not None and last.screen_id != screen.pk:
            return False
        if screen is None and last.user_id != getattr(_user(user), "pk", None):
            return False
        if locked.status == OrderStatus.CANCELLED:
            return False
        lines = [int(i) for i in last.data.get("lines", [])]
        LineStation.objects.filter(line_id__in=lines, station__kind=StationKind.EXPO).update(
            state=TicketState.LIVE, ready_at=None
        )
        previous = last.data.get("previous") or {}
        if previous.get("ready_at"):
            locked.ready_at = datetime.fromisoformat(previous["ready_at"])
        OrderEvent.objects.create(
            order=locked,
            line_id=last.line_id,
            kind=EventKind.UNSERVED,
            at=now,
            station_id=last.station_id,
            screen=screen,
            user=_user(user),
            data={"lines": lines, "undoes": last.pk},
        )
        _settle(locked, now=now, screen=screen, user=user)
        _touch(locked, "served_undone")
    return True


# ---------------------------------------------------------------- sending back


def line_send_back(*, screen: Screen, placement: LineStation, now: datetime | None = None) -> bool:
    """Expo sends a line back: it is live again at each of its prep stations, flagged.

    `placement` is the line's expo placement. The station's timer starts again from now.
    """
    now = now or timezone.now()
    line_id = placement.line_id
    target = Line.objects.select_related("order").filter(pk=line_id).first()
    if target is None:
        raise ActionRefused("no such line")
    _check_actor(target.order, screen, None)
    with transaction.atomic():
        locked = order_lock(target.order_id)
        if locked.status in (OrderStatus.CANCELLED, OrderStatus.SERVED):
            raise ActionRefused("order closed")
        fresh = Line.objects.filter(pk=line_id).first()
        if fresh is None or fresh.status != LineStatus.ACTIVE:
            return False
        prep = list(
            LineStation.objects.select_for_update().filter(
                line_id=line_id, station__kind=StationKind.PREP, state=TicketState.READY
            )
        )
        served = list(
            LineStation.objects.select_for_update().filter(
                line_id=line_id, station__kind=StationKind.EXPO, state=TicketState.READY
            )
        )
        if not prep and not served:
            return False
        LineStation.objects.filter(pk__in=[p.pk for p in prep]).update(
            state=TicketState.LIVE, ready_at=None, fired_at=now, sent_back=True
        )
        LineStation.objects.filter(pk__in=[p.pk for p in served]).update(
            state=TicketState.LIVE, ready_at=None
        )
        OrderEvent.objects.create(
            order=locked,
            line=fresh,
            kind=EventKind.SENT_BACK,
            at=now,
            station=screen.station,
            screen=screen,
            data={"stations": sorted(p.station_id for p in prep)},
        )
        _settle(locked, now=now, screen=screen, user=None)
        _touch(locked, "line_sent_back")
    return True
