"""Screens are devices: paired once by a one-time link, then known by a signed cookie."""

from __future__ import annotations

import re
from datetime import datetime

from django.core import signing
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


# ---------------------------------------------------------------- pairing and the cookie

SCREEN_COOKIE = "kds_screen"
_COOKIE_SALT = "kds.screen.v1"
# Ten years: a wall screen is paired once; revoking it is what ends its access.
SCREEN_COOKIE_MAX_AGE = 10 * 365 * 24 * 3600
# secrets.token_urlsafe(32) (orders.models.new_token): 43 URL-safe characters.
PAIRING_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")


def _cookie_signer() -> signing.Signer:
    return signing.get_cookie_signer(salt=SCREEN_COOKIE + _COOKIE_SALT)


def _cookie_payload(screen: Screen) -> str:
    # The pairing time is part of the value, so pairing the screen again (a new link)
    # invalidates every cookie issued before.
    paired = int(screen.paired_at.timestamp() * 1_000_000) if screen.paired_at else 0
    return f"{screen.pk}:{paired}"


def screen_cookie_value(*, screen: Screen) -> str:
    return _cookie_signer().sign(_cookie_payload(screen))


def screen_for_pairing_token(*, token: str, now: datetime | None = None) -> Screen | None:
    now = now or timezone.now()
    # Only the shape new_token() makes reaches the database: a typed or pasted code may
    # hold anything, and PostgreSQL refuses some of it (NUL) with an error, not a miss.
    if not PAIRING_TOKEN.fullmatch(token):
        return None
    screen = Screen.objects.select_related("station").filter(pairing_token=token).first()
    if screen is None:
        return None
    if screen.pairing_expires_at is not None and screen.pairing_expires_at < now:
        return None
    return screen


def screen_pair(*, token: str, now: datetime | None = None) -> Screen | None:
    """Uses a one-time pairing token: the screen is paired (again) and the token is spent.

    Returns None when the token is unknown, spent or expired. Pairing a revoked screen
    with a fresh link from the admin brings it back.
    """
    now = now or timezone.now()
    with transaction.atomic():
        screen = screen_for_pairing_token(token=token, now=now)
        if screen is None:
            return None
        updated = Screen.objects.filter(pk=screen.pk, pairing_token=token).update(
            pairing_token=None,
            pairing_expires_at=None,
            paired_at=now,
            revoked_at=None,
            last_seen_at=now,
        )
        if not updated:
            return None
    screen.refresh_from_db()
    return screen


def screen_from_cookie(value: str | None) -> Screen | None:
    """The active screen a cookie value names, or None (bad signature, revoked, re-paired)."""
    if not value:
        return None
    try:
        payload = _cookie_signer().unsign(value)
        screen_id, _paired = payload.split(":", 1)
        screen = (
            Screen.objects.select_related("station", "restaurant").filter(pk=int(screen_id)).first()
        )
    except (signing.BadSignature, ValueError):
        return None
    if screen is None or not screen.is_active or _cookie_payload(screen) != payload:
        return None
    return screen


def screen_seen(*, screen: Screen, now: datetime | None = None) -> None:
    Screen.objects.filter(pk=screen.pk).update(last_seen_at=now or timezone.now())
