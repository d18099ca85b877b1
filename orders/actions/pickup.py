"""The pick-up board's link: rotated (a new code; the old link and the boards it opened
stop) or revoked (no pick-up board until a new one is made), on its own, not by changing
SECRET_KEY. Open boards of the old code are closed at once."""

from __future__ import annotations

from django.db import transaction

from ..live import messages
from ..live.broadcast import on_commit_send
from ..live.groups import restaurant_group
from ..models import Restaurant, new_token


def pickup_link_rotate(*, restaurant: Restaurant) -> str:
    """A new code for the restaurant's pick-up link; returns it."""
    return _set(restaurant, new_token())


def pickup_link_revoke(*, restaurant: Restaurant) -> None:
    """No pick-up link for the restaurant until one is rotated in."""
    _set(restaurant, None)


def _set(restaurant: Restaurant, code: str | None) -> str:
    with transaction.atomic():
        Restaurant.objects.filter(pk=restaurant.pk).update(pickup_token=code)
        on_commit_send([(restaurant_group(restaurant.pk), messages.pickup_link_changed())])
    restaurant.pickup_token = code
    return code or ""
