"""Settings saved from the admin that open screens must follow at once.

Saving a station's thresholds, display or speech settings, a screen's display
options or language, a restaurant's language, or a dish's names, thresholds or
allergens bumps the sequence number of
each station whose board shows them, in the transaction of the save, so its open
screens redraw without a reload (the broadcast's reason is "settings", which also
makes a screen re-check its own options and station).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from ..live import messages
from ..live.broadcast import on_commit_send
from ..live.groups import restaurant_group
from ..live.sequence import stations_touch
from ..models import LineStation, MenuItem, OrderStatus, Restaurant, RoutingRule, Screen, Station
from .screens import screen_pairing_link

# Station fields a screen shows or speaks with: saving one of them redraws the screens.
STATION_SCREEN_FIELDS = {
    "name",
    "kind",
    "colour",
    "position",
    "warning_minutes",
    "late_minutes",
    "speech_language",
    "speech_voice",
    "speech_rate",
    "held_course_display",
    "auto_fire_next_course",
    "course_delay_minutes",
    "pacing",
}
# Menu item fields a ticket on a screen shows (its own thresholds, allergens).
MENU_ITEM_SCREEN_FIELDS = {
    "name",
    "name_zh",
    "warning_minutes",
    "late_minutes",
    "prep_minutes",
    "allergens",
    "measure",
}
SCREEN_DISPLAY_FIELDS = {
    "name",
    "station",
    "language",
    "font_size",
    "show_all_day",
    "announce",
    "speech_volume",
    "chime_before_speaking",
    "announce_late",
}


def _save_fields(obj: models.Model, fields: Collection[str], *, change: bool) -> None:
    """Saves only what the form changed, so a concurrent write to another column (a screen
    pairing, a station's sequence number) is never overwritten with a stale value."""
    if not change or obj.pk is None:
        obj.save()
    elif fields:
        obj.save(update_fields=list(fields))


def station_save(*, station: Station, fields: Collection[str], change: bool) -> list[Station]:
    """Saves a station; returns the stations that stopped being the fallback for it."""
    replaced: list[Station] = []
    with transaction.atomic():
        if "is_fallback" in fields and station.is_fallback:
            others = Station.objects.filter(
                restaurant_id=station.restaurant_id, is_fallback=True
            ).exclude(pk=station.pk)
            for other in others:
                other.is_fallback = False
                other.save(update_fields=["is_fallback"])
                replaced.append(other)
        _save_fields(station, fields, change=change)
        if change and STATION_SCREEN_FIELDS.intersection(fields):
            stations_touch(station_ids=[station.pk], reason="settings")
    return replaced


def screen_save(*, screen: Screen, fields: Collection[str], change: bool) -> str | None:
    """Saves a screen's settings; a new screen gets its one-time pairing link (returned)."""
    with transaction.atomic():
        old_station = (
            Screen.objects.filter(pk=screen.pk).values_list("station_id", flat=True).first()
            if change
            else None
        )
        _save_fields(screen, fields, change=change)
        if not change:
            return screen_pairing_link(screen=screen)
        if SCREEN_DISPLAY_FIELDS.intersection(fields):
            # A screen moved to another station: both boards' screens re-check theirs.
            ids = {screen.station_id} | ({old_station} if old_station else set())
            stations_touch(station_ids=ids, reason="settings")
    return None


def restaurant_save(*, restaurant: Restaurant, fields: Collection[str], change: bool) -> None:
    """Saves a restaurant; its open screens, tablets and pick-up boards follow a new
    language, time zone or clock format at once (screens with their own language change
    nothing, but re-check)."""
    with transaction.atomic():
        _save_fields(restaurant, fields, change=change)
        if change and {"language", "time_zone", "clock_format"}.intersection(fields):
            stations = Station.objects.filter(restaurant=restaurant).values_list("pk", flat=True)
            stations_touch(station_ids=list(stations), reason="settings")
            on_commit_send(
                [(restaurant_group(restaurant.pk), messages.restaurant_language_changed())]
            )


def menu_item_save(*, item: MenuItem, fields: Collection[str], change: bool) -> None:
    """Saves a dish; tickets of it already on a screen use its names and thresholds."""
    with transaction.atomic():
        _save_fields(item, fields, change=change)
        if change and MENU_ITEM_SCREEN_FIELDS.intersection(fields):
            showing = (
                LineStation.objects.filter(line__menu_item=item)
                .exclude(line__order__status__in=[OrderStatus.SERVED, OrderStatus.CANCELLED])
                .values_list("station_id", flat=True)
                .distinct()
            )
            stations_touch(station_ids=list(showing), reason="settings")


# ---------------------------------------------------------------- the menu's version
# Intake keeps each restaurant's menu and routing table in memory, keyed by this
# version (orders/intake/menu.py). Every write that changes what it holds bumps it, in
# the write's own transaction. Signals rather than calls in each saver: the admin's
# forms, its bulk actions, the spreadsheet import, history's revert and deletes
# (cascading from a restaurant's) all save through the models, and one missed path
# would route orders by a stale table.


def menu_version_bump(*, restaurant_id: int) -> None:
    """The menu or routing of the restaurant changed: intake's copies are out of date."""
    Restaurant.objects.filter(pk=restaurant_id).update(menu_version=F("menu_version") + 1)


def _menu_changed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    restaurant_id = getattr(instance, "restaurant_id", None)
    if restaurant_id is not None:
        menu_version_bump(restaurant_id=restaurant_id)


def _rule_stations_changed(
    sender: type[models.Model], instance: models.Model, action: str, **kwargs: Any
) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _menu_changed(sender, instance)


def menu_version_signals_connect() -> None:
    """Called once, when the app is ready (orders/apps.py)."""
    for model in (MenuItem, RoutingRule, Station):
        post_save.connect(_menu_changed, sender=model, dispatch_uid=f"menu-version-{model}")
        post_delete.connect(_menu_changed, sender=model, dispatch_uid=f"menu-version-d-{model}")
    m2m_changed.connect(
        _rule_stations_changed,
        sender=RoutingRule.stations.through,
        dispatch_uid="menu-version-rule-stations",
    )
