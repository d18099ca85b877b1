"""86 from the line: a dish marked sold out (and back) from a station screen or the admin.

Every station of the restaurant redraws in the same transaction's broadcast, so each
ticket with the dish shows it flagged "86", and `menu_item.unavailable` (or
`.available`) is queued for the outgoing webhooks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..live.messages import DISHES_CHANGED
from ..live.sequence import stations_touch
from ..models import MenuItem, Screen, Station
from ..outbox import events
from ..outbox.events import outbox_emit
from .errors import ActionRefused


def menu_item_availability_set(
    *,
    item: MenuItem,
    available: bool,
    screen: Screen | None = None,
    user: Any = None,
    now: datetime | None = None,
) -> bool:
    """86 a dish (`available=False`) or bring it back; False when it already was so.

    Done by a screen of the dish's restaurant, or by a user (the admin checks the user's
    restaurant before it calls this).
    """
    now = now or timezone.now()
    with transaction.atomic():
        # No ordering: the menu's default one joins the category, which FOR UPDATE refuses.
        locked = MenuItem.objects.select_for_update().filter(pk=item.pk).order_by().first()
        if locked is None:
            raise ActionRefused("no such dish")
        if screen is not None and (
            screen.restaurant_id != locked.restaurant_id or not screen.is_active
        ):
            raise ActionRefused("not this restaurant's dish")
        if locked.is_available == available:
            return False
        locked.is_available = available
        locked.unavailable_since = None if available else now
        if user is not None and getattr(user, "is_authenticated", False):
            locked._history_user = user  # type: ignore[attr-defined]  # django-simple-history
        locked.save(update_fields=["is_available", "unavailable_since"])
        item.is_available, item.unavailable_since = locked.is_available, locked.unavailable_since
        stations = Station.objects.filter(restaurant_id=locked.restaurant_id)
        stations_touch(station_ids=stations.values_list("pk", flat=True), reason=DISHES_CHANGED)
        by = f"screen:{screen.pk}" if screen is not None else f"user:{getattr(user, 'pk', '')}"
        outbox_emit(
            restaurant_id=locked.restaurant_id,
            event_type=events.MENU_ITEM_AVAILABLE if available else events.MENU_ITEM_UNAVAILABLE,
            data=events.menu_item_data(locked, by=by),
            now=now,
        )
    return True
