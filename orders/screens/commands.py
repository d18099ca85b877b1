"""What a screen's tap does: the one dispatcher behind the socket and the HTTP fallback.

`perform` runs a station screen's command on its own station, `expo_perform` an expo
screen's; both answer False when the command does not apply (refused, not this
station's, malformed) rather than raising.
"""

from __future__ import annotations

from typing import Any

from ..actions import cooking, serving
from ..actions.errors import ActionRefused
from ..actions.firing import course_fire
from ..models import LineStation, Order, Screen, StationKind
from ..safe_json import storable_id

SCREEN_ACTIONS = ("line_bump", "line_unbump", "ticket_bump", "void_ack", "recall")
EXPO_ACTIONS = ("handover", "send_back", "unserve", "fire_course")


def perform(*, screen: Screen, action: str, content: dict[str, Any]) -> bool:
    """Runs one screen action on the screen's own station. False when it does not apply."""
    station = screen.station
    try:
        if action in ("line_bump", "line_unbump"):
            placement = (
                LineStation.objects.select_related("line")
                .filter(pk=storable_id(content.get("placement")), station=station)
                .first()
            )
            if placement is None:
                return False
            fn = cooking.line_bump if action == "line_bump" else cooking.line_unbump
            return fn(placement=placement, screen=screen)
        order = (
            Order.objects.filter(
                pk=storable_id(content.get("order")),
                restaurant_id=station.restaurant_id,
                lines__placements__station=station,
            )
            .distinct()
            .first()
        )
        if order is None:
            return False
        if action == "ticket_bump":
            return cooking.ticket_bump(order=order, station=station, screen=screen)
        if action == "void_ack":
            return cooking.void_acknowledge(order=order, station=station, screen=screen)
        if action == "recall":
            return cooking.ticket_recall(order=order, station=station, screen=screen)
    except (ActionRefused, ValueError, TypeError):
        return False
    return False


def expo_perform(*, screen_id: int, action: str, content: dict[str, Any]) -> tuple[bool, int]:
    """Runs one expo action for an active screen of an expo station: (done, order id)."""
    screen = Screen.objects.select_related("station").filter(pk=screen_id).first()
    if screen is None or not screen.is_active or screen.station.kind != StationKind.EXPO:
        return False, 0
    try:
        if action == "send_back":
            placement = (
                LineStation.objects.select_related("line")
                .filter(pk=storable_id(content.get("placement")), station=screen.station)
                .first()
            )
            if placement is None:
                return False, 0
            ok = serving.line_send_back(placement=placement, screen=screen)
            return ok, placement.line.order_id
        order = Order.objects.filter(
            pk=storable_id(content.get("order")), restaurant_id=screen.restaurant_id
        ).first()
        if order is None:
            return False, 0
        if action == "handover":
            return serving.order_handover(order=order, screen=screen), order.pk
        if action == "unserve":
            return serving.order_unserve(order=order, screen=screen), order.pk
        if action == "fire_course":
            return course_fire(order=order, screen=screen) > 0, order.pk
    except (ActionRefused, ValueError, TypeError):
        return False, 0
    return False, 0
