"""Live updates for the front-of-house tablet and the pick-up board.

Both show a restaurant's whole list, {"type": "foh"|"pickup", "html": …}, re-rendered
from the database on every change (serving, handover, undo on the restaurant's group;
new orders and bumps on its stations'). The lists are short, so there is nothing to
diff; a dropped message is mended by the next one or by the page's {"action":
"refresh"} every few seconds. The rendering is the restaurant's feed's (feed.py): once
per change for every socket of the list in this process.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from ..boards.front_of_house import foh_render
from ..boards.pickup import pickup_render
from ..kitchen.language import page_language, speech_language
from ..live.groups import restaurant_group, station_group
from ..live.messages import (
    CLOSE_FORBIDDEN,
    CLOSE_RELOAD,
    CLOSE_TRY_AGAIN,
    PICKUP_LINK_CHANGED,
    now_ms,
)
from ..live.sockets import LAYER_ERRORS, LayerAwareConsumer
from ..models import Restaurant, Station
from .access import PICKUP_COOKIE, can_serve, restaurant_for, restaurant_for_pickup_token
from .commands import FOH_ACTIONS, foh_command
from .feed import ListFeed, list_feed


def _query(scope: dict[str, Any], name: str) -> str:
    values = parse_qs(scope.get("query_string", b"").decode()).get(name, [""])
    return values[0]


def _groups(restaurant: Restaurant) -> list[str]:
    station_ids = Station.objects.filter(restaurant=restaurant).values_list("pk", flat=True)
    return [restaurant_group(restaurant.pk), *(station_group(sid) for sid in station_ids)]


def _foh(restaurant: Restaurant, language: str) -> dict[str, Any]:
    return {"type": "foh", "html": foh_render(restaurant, language=language)}


def _pickup(restaurant: Restaurant, language: str, speaks: str) -> dict[str, Any]:
    html = pickup_render(restaurant, language=language, speech_language=speaks)
    return {"type": "pickup", "html": html}


class _RestaurantListConsumer(LayerAwareConsumer):
    """A socket of a restaurant's list: it joins the list's feed, which sends it the list."""

    kind = ""
    feed: ListFeed | None = None
    restaurant: Restaurant | None = None

    async def _join(
        self,
        restaurant: Restaurant,
        *,
        key: tuple[Any, ...],
        render: Callable[[], dict[str, Any]],
    ) -> None:
        groups = await database_sync_to_async(_groups)(restaurant)
        feed = list_feed(
            layer=self.channel_layer,
            key=(self.kind, restaurant.pk, *key),
            groups=groups,
            render=render,
            closes_on=PICKUP_LINK_CHANGED if self.kind == "pickup" else "",
        )
        try:
            await feed.join(self)
        except LAYER_ERRORS:
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        self.feed = feed

    async def disconnect(self, code: int) -> None:
        if self.feed is not None:
            await self.feed.leave(self)

    async def list_closed(self) -> None:
        """The list's way in ended (the pick-up link was rotated or revoked)."""
        await self.close(code=CLOSE_FORBIDDEN)

    async def list_reload(self) -> None:
        """The restaurant's language changed: the page loads again, in the new one."""
        await self.send_json({"type": "reload"})
        await self.close(code=CLOSE_RELOAD)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        action = content.get("action")
        if action in ("refresh", "sync") and self.feed is not None:
            if await self.board_request_allowed():
                await self.feed.refresh(self)
        if action == "sync":
            # The page's periodic check (a fresh list, above) also measures the clock, as
            # the screens' pong, for timers and for dating taps made offline.
            await self.send_json({"type": "pong", "now": now_ms(), "t": content.get("t")})


class FrontOfHouseConsumer(_RestaurantListConsumer):
    """`/ws/foh/?r=<slug>`: signed-in front-of-house staff (the session cookie)."""

    kind = "foh"

    async def connect(self) -> None:
        user = self.scope.get("user")
        allowed = await database_sync_to_async(can_serve)(user)
        restaurant = await database_sync_to_async(restaurant_for)(
            None, _query(self.scope, "r"), user=user
        )
        await self.accept()
        if not allowed or restaurant is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        if not await self.admit(f"user:{user.pk}"):  # type: ignore[union-attr]
            return
        language = page_language(restaurant=restaurant)
        self.restaurant = restaurant
        await self._join(restaurant, key=(language,), render=partial(_foh, restaurant, language))

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        action = content.get("action") if isinstance(content, dict) else None
        if action in FOH_ACTIONS and self.restaurant is not None:
            answer = await database_sync_to_async(self._act)(str(action), content)
            await self.send_json({"type": "result", "action": action, **answer})
            if self.feed is not None:
                self.feed.changed()  # our own change: the list at once, for every tablet
            return
        await super().receive_json(content, **kwargs)

    def _act(self, action: str, content: dict[str, Any]) -> dict[str, Any]:
        user = self.scope.get("user")
        if not can_serve(user):  # signed out or moved out of front of house since connecting
            return {"ok": False}
        return foh_command(user=user, restaurant=self.restaurant, action=action, content=content)


class PickupConsumer(_RestaurantListConsumer):
    """`/ws/pickup/?lang=`: the customer screen; its pick-up link's cookie is its key."""

    kind = "pickup"

    async def connect(self) -> None:
        token = (self.scope.get("cookies") or {}).get(PICKUP_COOKIE, "")
        restaurant = await database_sync_to_async(restaurant_for_pickup_token)(token)
        await self.accept()
        if restaurant is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        if not await self.admit(f"pickup:{restaurant.pk}"):
            return
        language = page_language(restaurant=restaurant)
        speaks = speech_language(restaurant=restaurant, requested=_query(self.scope, "lang"))
        await self._join(
            restaurant,
            key=(language, speaks),
            render=partial(_pickup, restaurant, language, speaks),
        )
