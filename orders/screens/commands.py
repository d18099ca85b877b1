"""What a screen's tap does: the one dispatcher behind the socket and the HTTP fallback.

`screen_command` runs one action of a station or an expo screen and returns its
answer, the same whichever way the tap came. A prep screen's actions work on its own
station's tickets (SCREEN_ACTIONS), an expo screen's on whole orders (EXPO_ACTIONS).

Both kinds of screen also 86 a dish and bring it back (DISH_ACTIONS, {"item": id}), a
dish their station lists (`orders.boards.dishes`).

The answer is {"ok": bool} (expo's also names the "order"). A tap that carries an id
(every tap of the current pages) runs once per id, dated when it was made
(`orders.actions.once`), and its answer also carries the "id" and, when refused, the
"reason" (`orders.kitchen.conflicts`), which the screen shows on the ticket.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..actions import cooking, serving
from ..actions.errors import ActionRefused
from ..actions.firing import course_fire
from ..actions.menu import menu_item_availability_set
from ..actions.once import (
    Answer,
    MalformedAction,
    action_answer,
    action_once,
    action_stamp,
    actor_key,
    target_id,
)
from ..boards.dishes import station_dish_ids
from ..kitchen.conflicts import Refusal, refusal_reason
from ..models import LineStation, MenuItem, Order, Screen, StationKind

SCREEN_ACTIONS = ("line_bump", "line_unbump", "ticket_bump", "void_ack", "recall")
EXPO_ACTIONS = ("handover", "send_back", "unserve", "fire_course")
# 86 a dish (mark it sold out) and bring it back: any screen, on a dish its station lists.
DISH_ACTIONS = ("dish_86", "dish_back")
ACTIONS = SCREEN_ACTIONS + EXPO_ACTIONS + DISH_ACTIONS
# These name a placement ({"placement": id}), the dish actions a menu item ({"item": id});
# the others an order ({"order": id}).
PLACEMENT_ACTIONS = ("line_bump", "line_unbump", "send_back")


def _target_key(action: str) -> str:
    if action in PLACEMENT_ACTIONS:
        return "placement"
    return "item" if action in DISH_ACTIONS else "order"


@dataclass
class Outcome:
    """What an action did, and on what (for the reason when it did nothing)."""

    ok: bool
    order_id: int = 0
    line_id: int | None = None


def screen_command(
    *, screen_id: int, action: str, content: Mapping[str, Any], paired: int | None = None
) -> Answer:
    """Runs one action of an active screen; the answer the socket and HTTP send back.

    `paired` is the pairing a socket was opened with: a tap from the socket of an older
    pairing (the screen was paired again since) is not this screen's any more.
    """
    expo = action in EXPO_ACTIONS
    refused = Outcome(False)
    try:
        stamp = action_stamp(content)
        target = target_id(content.get(_target_key(action)))
    except MalformedAction:
        return _answer(refused, expo=expo, content=content, reason=Refusal.MALFORMED)
    screen = Screen.objects.select_related("station").filter(pk=screen_id).first()
    if (
        screen is None
        or not screen.is_active
        or (paired is not None and screen.pairing_stamp != paired)
        or action not in ACTIONS
        or (expo and screen.station.kind != StationKind.EXPO)
    ):
        return _answer(refused, expo=expo, content=content, reason=Refusal.NOT_ALLOWED)

    if action in DISH_ACTIONS:

        def run_dish() -> Answer:
            done, reason = _dish(screen, action, target, now=stamp.at)
            return _answer(Outcome(done), expo=False, content=content, reason=reason)

        return action_once(
            actor=actor_key(screen_id=screen.pk), stamp=stamp, action=action, run=run_dish
        )

    def run() -> Answer:
        try:
            run_one = _expo if expo else _station
            outcome = run_one(screen, action, target, now=stamp.at)
        except ActionRefused:
            outcome = _target(screen, action, target)
        reason = None
        if not outcome.ok and stamp.action_id is not None:
            reason = refusal_reason(
                action=action,
                order_id=outcome.order_id,
                line_id=outcome.line_id,
                station_id=screen.station_id,
            )
        return _answer(outcome, expo=expo, content=content, reason=reason)

    return action_once(actor=actor_key(screen_id=screen.pk), stamp=stamp, action=action, run=run)


def _answer(
    outcome: Outcome, *, expo: bool, content: Mapping[str, Any], reason: Refusal | None
) -> Answer:
    extra = {"order": outcome.order_id} if expo else {}
    return action_answer(outcome.ok, content=content, reason=reason, **extra)


def _placement(screen: Screen, placement_id: int) -> LineStation | None:
    """A placement on the screen's own station."""
    return (
        LineStation.objects.select_related("line")
        .filter(pk=placement_id, station=screen.station)
        .first()
    )


def _target(screen: Screen, action: str, target: int) -> Outcome:
    """A refused action's order and line, if the screen may see them (for the reason)."""
    if action in PLACEMENT_ACTIONS:
        placement = _placement(screen, target)
        if placement is None:
            return Outcome(False)
        return Outcome(False, placement.line.order_id, placement.line_id)
    exists = Order.objects.filter(pk=target, restaurant_id=screen.restaurant_id).exists()
    return Outcome(False, target if exists else 0)


def _station(screen: Screen, action: str, target: int, *, now: datetime) -> Outcome:
    """A station screen's action on its own station."""
    station = screen.station
    if action in PLACEMENT_ACTIONS:
        placement = _placement(screen, target)
        if placement is None:
            return Outcome(False)
        fn = cooking.line_bump if action == "line_bump" else cooking.line_unbump
        ok = fn(placement=placement, screen=screen, now=now)
        return Outcome(ok, placement.line.order_id, placement.line_id)
    order = (
        Order.objects.filter(
            pk=target, restaurant_id=station.restaurant_id, lines__placements__station=station
        )
        .distinct()
        .first()
    )
    if order is None:
        return Outcome(False)
    if action == "ticket_bump":
        ok = cooking.ticket_bump(order=order, station=station, screen=screen, now=now)
    elif action == "void_ack":
        ok = cooking.void_acknowledge(order=order, station=station, screen=screen, now=now)
    else:
        ok = cooking.ticket_recall(order=order, station=station, screen=screen, now=now)
    return Outcome(ok, order.pk)


def _dish(
    screen: Screen, action: str, item_id: int, *, now: datetime
) -> tuple[bool, Refusal | None]:
    """86 a dish or bring it back; a dish the screen's station does not list is not its to
    change (a prep station lists what its routing sends it, expo every dish)."""
    item = MenuItem.objects.filter(pk=item_id, restaurant_id=screen.restaurant_id).first()
    if item is None or item.pk not in station_dish_ids(station=screen.station):
        return False, Refusal.NOT_ALLOWED
    try:
        done = menu_item_availability_set(
            item=item, available=action == "dish_back", screen=screen, now=now
        )
    except ActionRefused:
        return False, Refusal.NOT_ALLOWED
    return done, None if done else Refusal.ALREADY


def _expo(screen: Screen, action: str, target: int, *, now: datetime) -> Outcome:
    """An expo screen's action on an order of its restaurant."""
    if action == "send_back":
        placement = _placement(screen, target)
        if placement is None:
            return Outcome(False)
        ok = serving.line_send_back(placement=placement, screen=screen, now=now)
        return Outcome(ok, placement.line.order_id, placement.line_id)
    order = Order.objects.filter(pk=target, restaurant_id=screen.restaurant_id).first()
    if order is None:
        return Outcome(False)
    if action == "handover":
        ok = serving.order_handover(order=order, screen=screen, now=now)
    elif action == "unserve":
        ok = serving.order_unserve(order=order, screen=screen, now=now)
    else:
        ok = course_fire(order=order, screen=screen, now=now) > 0
    return Outcome(ok, order.pk)
