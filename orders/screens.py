"""Screens are devices: paired once by a one-time link, then known by a signed cookie."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .broadcast import on_commit_send
from .models import Screen


def screen_group(screen_id: int) -> str:
    return f"screen-{screen_id}"


def screen_pairing_link(*, screen: Screen) -> str:
    """A fresh one-time pairing URL; any earlier link for this screen stops working."""
    return screen.new_pairing_link()


def screen_revoke(*, screen: Screen) -> None:
    """Revokes a screen: its cookie stops working and its open sockets are closed at once."""
    with transaction.atomic():
        Screen.objects.filter(pk=screen.pk).update(revoked_at=timezone.now(), pairing_token=None)
        on_commit_send([(screen_group(screen.pk), {"type": "screen.revoked"})])
    screen.refresh_from_db()
