"""What a tap on the front-of-house tablet does: one dispatcher for its socket and its form.

`foh_command` serves a dish (`serve_line`), the whole order (`serve_order`) or undoes
the runner's last serve (`undo`) and returns the answer, {"ok": bool}. Like a screen's
taps (`orders.screens.commands`), one that carries an id runs once per id, dated when
it was made, and its answer carries the "id" and, when refused, the "reason".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..actions import serving
from ..actions.errors import ActionRefused
from ..actions.once import (
    Answer,
    MalformedAction,
    action_answer,
    action_once,
    action_stamp,
    actor_key,
    target_id,
)
from ..kitchen.conflicts import Refusal, refusal_reason
from ..models import Line, Order, Restaurant

FOH_ACTIONS = ("serve_order", "serve_line", "undo")


def foh_command(
    *, user: Any, restaurant: Restaurant | None, action: str, content: Mapping[str, Any]
) -> Answer:
    """Runs one front-of-house action of a signed-in runner (checked by the caller)."""

    def answer(ok: bool, reason: Refusal | None = None) -> Answer:
        return action_answer(ok, content=content, reason=reason)

    try:
        stamp = action_stamp(content)
    except MalformedAction:
        return answer(False, Refusal.MALFORMED)
    if restaurant is None or action not in FOH_ACTIONS:
        return answer(False, Refusal.NOT_ALLOWED)

    def run() -> Answer:
        try:
            order_id = target_id(content.get("order"))
            line_id = target_id(content.get("line")) if action == "serve_line" else None
        except MalformedAction:
            return answer(False, Refusal.MALFORMED)
        order = Order.objects.filter(pk=order_id, restaurant=restaurant).first()
        if order is None:
            return answer(False, Refusal.GONE)
        if _run(user, order, action, line_id, now=stamp.at):
            return answer(True)
        return answer(False, refusal_reason(action=action, order_id=order.pk, line_id=line_id))

    return action_once(actor=actor_key(user_id=user.pk), stamp=stamp, action=action, run=run)


def _run(user: Any, order: Order, action: str, line_id: int | None, *, now: datetime) -> bool:
    try:
        if action == "serve_order":
            return serving.order_serve(order=order, user=user, now=now)
        if action == "serve_line":
            line = Line.objects.filter(pk=line_id or 0, order=order).first()
            return line is not None and serving.line_serve(line=line, user=user, now=now)
        return serving.order_unserve(order=order, user=user, now=now)
    except ActionRefused:
        return False
