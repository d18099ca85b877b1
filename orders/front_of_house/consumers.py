"""Live updates for the front-of-house tablet and the pick-up board.

Both listen to the restaurant's group (serving, handover, undo) and to every station
of the restaurant (new orders, bumps), and answer each change with the whole list,
re-rendered from the database: {"type": "foh"|"pickup", "html": …}. The lists are
short, so there is nothing to diff; a dropped message is mended by the next one or by
the page's {"action": "refresh"} every few seconds.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from ..boards.front_of_house import foh_render
from ..boards.pickup import pickup_render
from ..kitchen.language import page_language, speech_language
from ..live.groups import restaurant_group, station_group
from ..live.messages import CLOSE_FORBIDDEN, now_ms
from ..live.sockets import LayerAwareConsumer
from ..models import Restaurant, Station
from .access import can_serve, restaurant_for, restaurant_for_pickup_token
from .commands import FOH_ACTIONS, foh_command


def _query(scope: dict[str, Any], name: str) -> str:
    values = parse_qs(scope.get("query_string", b"").decode()).get(name, [""])
    return values[0]


class _RestaurantListConsumer(LayerAwareConsumer):
    """Joins a restaurant's groups and sends a fresh render on every change, coalesced."""

    restaurant: Restaurant | None = None
    groups_joined: list[str]
    _dirty = False
    _rendering = False

    async def _join(self, restaurant: Restaurant) -> bool:
        self.restaurant = restaurant
        station_ids = await database_sync_to_async(
            lambda: list(Station.objects.filter(restaurant=restaurant).values_list("pk", flat=True))
        )()
        self.groups_joined = [restaurant_group(restaurant.pk)] + [
            station_group(sid) for sid in station_ids
        ]
        if not await self.groups_join(self.groups_joined):
            self.groups_joined = []
            return False
        return True

    async def disconnect(self, code: int) -> None:
        await self.groups_leave(getattr(self, "groups_joined", []))

    def render(self) -> dict[str, Any]:
        raise NotImplementedError

    async def push(self) -> None:
        # Many changes in a burst cost one render after the one under way.
        self._dirty = True
        if self._rendering:
            return
        self._rendering = True
        try:
            while self._dirty:
                self._dirty = False
                await self.send_json(await database_sync_to_async(self.render)())
                await asyncio.sleep(0)
        finally:
            self._rendering = False

    async def station_changed(self, message: dict[str, Any]) -> None:
        await self.push()

    async def restaurant_changed(self, message: dict[str, Any]) -> None:
        await self.push()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        action = content.get("action")
        if action in ("refresh", "sync") and await self.board_request_allowed():
            await self.push()
        if action == "sync":
            # The page's periodic check (a fresh list, above) also measures the clock, as
            # the screens' pong, for timers and for dating taps made offline.
            await self.send_json({"type": "pong", "now": now_ms(), "t": content.get("t")})


class FrontOfHouseConsumer(_RestaurantListConsumer):
    """`/ws/foh/?r=<slug>`: signed-in front-of-house staff (the session cookie)."""

    language: str  # set in connect() (orders.kitchen.language)

    async def connect(self) -> None:
        user = self.scope.get("user")
        allowed = await database_sync_to_async(can_serve)(user)
        restaurant = await database_sync_to_async(restaurant_for)(None, _query(self.scope, "r"))
        await self.accept()
        if not allowed or restaurant is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        if not await self.admit(f"user:{user.pk}"):  # type: ignore[union-attr]
            return
        self.language = page_language(restaurant=restaurant)
        if await self._join(restaurant):
            await self.push()

    def render(self) -> dict[str, Any]:
        assert self.restaurant is not None
        return {"type": "foh", "html": foh_render(self.restaurant, language=self.language)}

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        action = content.get("action") if isinstance(content, dict) else None
        if action in FOH_ACTIONS and self.restaurant is not None:
            answer = await database_sync_to_async(self._act)(str(action), content)
            await self.send_json({"type": "result", "action": action, **answer})
            await self.push()
            return
        await super().receive_json(content, **kwargs)

    def _act(self, action: str, content: dict[str, Any]) -> dict[str, Any]:
        user = self.scope.get("user")
        if not can_serve(user):  # signed out or moved out of front of house since connecting
            return {"ok": False}
        return foh_command(user=user, restaurant=self.restaurant, action=action, content=content)


class PickupConsumer(_RestaurantListConsumer):
    """`/ws/pickup/<token>/?lang=`: the customer screen; the signed token is its key."""

    language: str  # set in connect() (orders.kitchen.language)
    speech_language: str

    async def connect(self) -> None:
        token = self.scope["url_route"]["kwargs"]["token"]
        restaurant = await database_sync_to_async(restaurant_for_pickup_token)(token)
        await self.accept()
        if restaurant is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        if not await self.admit(f"pickup:{restaurant.pk}"):
            return
        self.language = page_language(restaurant=restaurant)
        self.speech_language = speech_language(
            restaurant=restaurant, requested=_query(self.scope, "lang")
        )
        if await self._join(restaurant):
            await self.push()

    def render(self) -> dict[str, Any]:
        assert self.restaurant is not None
        html = pickup_render(
            self.restaurant, language=self.language, speech_language=self.speech_language
        )
        return {"type": "pickup", "html": html}
