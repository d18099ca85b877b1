"""Which screens are online, offline since when, or never paired: for the start page.

A pure read. Online and offline are the live path's (`orders.live.presence`): a socket
open now with a fresh heartbeat; offline since its disconnect or last heartbeat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from ..live.presence import screen_is_live, screen_offline_since
from ..models import Restaurant, Screen


class Presence:
    ONLINE = "online"
    OFFLINE = "offline"
    NEVER_PAIRED = "never-paired"
    REVOKED = "revoked"

    labels = {
        ONLINE: _("Online"),
        OFFLINE: _("Offline"),
        NEVER_PAIRED: _("Never paired"),
        REVOKED: _("Revoked"),
    }


@dataclass(frozen=True)
class ScreenState:
    screen: Screen
    presence: str
    # Offline: since when (its disconnect, else its last heartbeat). Else None.
    since: datetime | None

    @property
    def label(self) -> str:
        return str(Presence.labels[self.presence])


@dataclass(frozen=True)
class RestaurantScreens:
    restaurant: Restaurant
    screens: list[ScreenState]

    @property
    def online(self) -> int:
        return sum(1 for s in self.screens if s.presence == Presence.ONLINE)


def screen_presence(*, screen: Screen, now: datetime) -> ScreenState:
    """One screen's state at `now`."""
    if screen.revoked_at is not None:
        return ScreenState(screen, Presence.REVOKED, None)
    if screen.paired_at is None:
        return ScreenState(screen, Presence.NEVER_PAIRED, None)
    if screen_is_live(screen, now=now):
        return ScreenState(screen, Presence.ONLINE, None)
    since = screen_offline_since(screen, now=now) or screen.paired_at
    return ScreenState(screen, Presence.OFFLINE, since)


def screens_by_restaurant(
    *, restaurants: Iterable[Restaurant], now: datetime
) -> list[RestaurantScreens]:
    """Each restaurant's screens with their state, in station order."""
    rows = list(restaurants)
    screens = Screen.objects.filter(restaurant__in=rows).select_related("station")
    by_restaurant: dict[int, list[ScreenState]] = {r.pk: [] for r in rows}
    for screen in screens.order_by("station__position", "station__name", "name", "pk"):
        by_restaurant[screen.restaurant_id].append(screen_presence(screen=screen, now=now))
    return [RestaurantScreens(r, by_restaurant[r.pk]) for r in rows]
