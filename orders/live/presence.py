"""Which screens are live: a socket open now, with a fresh heartbeat.

A screen's socket sets `connected_at` when it opens and `disconnected_at` when it
closes; while open, the screen's periodic sync refreshes `last_seen_at` every
HEARTBEAT_SECONDS. A server killed outright closes nothing, so a screen also counts
as gone once its heartbeat is older than LIVE_WINDOW_SECONDS.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q

from ..kitchen.language import page_language, speech_language
from ..models import Announce, Screen

HEARTBEAT_SECONDS = 10
LIVE_WINDOW_SECONDS = 30


def screen_live_q(now: datetime) -> Q:
    """The screens live at `now`, as a filter on Screen."""
    return (
        Q(paired_at__isnull=False, revoked_at__isnull=True, connected_at__isnull=False)
        & Q(last_seen_at__gte=now - timedelta(seconds=LIVE_WINDOW_SECONDS))
        & (Q(disconnected_at__isnull=True) | Q(disconnected_at__lt=F("last_seen_at")))
    )


def screen_is_live(screen: Screen, *, now: datetime) -> bool:
    if not screen.is_active or screen.connected_at is None or screen.last_seen_at is None:
        return False
    if screen.last_seen_at < now - timedelta(seconds=LIVE_WINDOW_SECONDS):
        return False
    return screen.disconnected_at is None or screen.disconnected_at < screen.last_seen_at


def screen_offline_since(screen: Screen, *, now: datetime) -> datetime | None:
    """When a screen that is not live went away: its disconnect, else its last heartbeat."""
    if screen_is_live(screen, now=now):
        return None
    return screen.disconnected_at or screen.last_seen_at


def stations_with_live_screens(station_ids: Iterable[int], *, now: datetime) -> set[int]:
    ids = set(station_ids)
    rows = Screen.objects.filter(screen_live_q(now), station_id__in=ids)
    return set(rows.values_list("station_id", flat=True))


@dataclass(frozen=True)
class ScreenHealth:
    """What the admin (and a start page) shows of a screen: is it there, what runs on it."""

    screen: Screen
    online: bool
    offline_since: datetime | None
    last_seen: datetime | None
    app_version: str
    language: str  # the language its page shows
    speech_language: str  # the language it speaks, when it speaks
    speaks: str  # "browser", "server", "none", "" (not reported yet) or "off" (silent)


def screen_health(screen: Screen, *, now: datetime) -> ScreenHealth:
    speaks = "off" if screen.announce_mode == Announce.OFF else screen.speech_path
    return ScreenHealth(
        screen=screen,
        online=screen_is_live(screen, now=now),
        offline_since=screen_offline_since(screen, now=now),
        last_seen=screen.last_seen_at,
        app_version=screen.app_version,
        language=page_language(restaurant=screen.restaurant, screen=screen),
        speech_language=speech_language(
            restaurant=screen.restaurant, station=screen.station, screen=screen
        ),
        speaks=speaks,
    )


def screens_health(
    *, now: datetime, restaurant_ids: Iterable[int] | None = None
) -> list[ScreenHealth]:
    """Every paired screen's health, station by station."""
    rows = Screen.objects.filter(paired_at__isnull=False, revoked_at__isnull=True)
    if restaurant_ids is not None:
        rows = rows.filter(restaurant_id__in=list(restaurant_ids))
    rows = rows.select_related("station", "restaurant").order_by("station__position", "name")
    return [screen_health(s, now=now) for s in rows]
