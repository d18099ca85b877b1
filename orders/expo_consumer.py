"""The expo screen's WebSocket: the station protocol (`orders/consumers.py`) plus expo's actions.

Boards and patches are the station screen's, rendered from `orders/expo.py` by
`board_render` for expo stations. Added actions (screen → server):

  {"action": "handover", "order": id}         every ready dish of the order goes out
  {"action": "send_back", "placement": id}    an expo placement's line goes back, flagged
  {"action": "unserve", "order": id}          undoes this screen's last handover (a few seconds)
  {"action": "fire_course", "order": id}      fires the order's next held course now

Each is answered {"type": "result", "ok": bool, "action": name, "order": id} and a patch.
What to say is in the fragments (`data-say`, `data-ready-key`): a screen speaks a
ready key it has not heard before, so a resync never repeats one and a board received
after a reconnect catches up on what was missed.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from . import serving
from .consumers import StationConsumer
from .firing import course_fire
from .models import LineStation, Order, Screen, StationKind
from .services import ActionRefused

EXPO_ACTIONS = ("handover", "send_back", "unserve", "fire_course")


class ExpoConsumer(StationConsumer):
    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self.screen is not None and isinstance(content, dict):
            action = content.get("action")
            if action in EXPO_ACTIONS:
                ok, order_id = await database_sync_to_async(expo_perform)(
                    screen_id=self.screen.pk, action=str(action), content=content
                )
                await self.send_json(
                    {"type": "result", "ok": ok, "action": action, "order": order_id}
                )
                await self._send_patch()
                return
        await super().receive_json(content, **kwargs)


def expo_perform(*, screen_id: int, action: str, content: dict[str, Any]) -> tuple[bool, int]:
    """Runs one expo action for an active screen of an expo station: (done, order id)."""
    screen = Screen.objects.select_related("station").filter(pk=screen_id).first()
    if screen is None or not screen.is_active or screen.station.kind != StationKind.EXPO:
        return False, 0
    try:
        if action == "send_back":
            placement = (
                LineStation.objects.select_related("line")
                .filter(pk=int(content.get("placement", 0)), station=screen.station)
                .first()
            )
            if placement is None:
                return False, 0
            ok = serving.line_send_back(placement=placement, screen=screen)
            return ok, placement.line.order_id
        order = Order.objects.filter(
            pk=int(content.get("order", 0)), restaurant_id=screen.restaurant_id
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
