"""Screens are devices: paired once by a one-time link, then known by a signed cookie.

The cookie is here; pairing codes, pairing, revoking and "last seen" are in
`orders.actions.screens`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.db.models import Count

from ..models import Restaurant, Screen, Station

SCREEN_COOKIE = "kds_screen"
_COOKIE_SALT = "kds.screen.v1"
# Ten years: a wall screen is paired once; revoking it is what ends its access.
SCREEN_COOKIE_MAX_AGE = 10 * 365 * 24 * 3600


def _cookie_signer() -> signing.Signer:
    return signing.get_cookie_signer(salt=SCREEN_COOKIE + _COOKIE_SALT)


def _cookie_payload(screen: Screen) -> str:
    # The pairing time is part of the value, so pairing the screen again (a new link)
    # invalidates every cookie issued before.
    return f"{screen.pk}:{screen.pairing_stamp}"


def screen_cookie_value(*, screen: Screen) -> str:
    return _cookie_signer().sign(_cookie_payload(screen))


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


def screen_active(*, screen_id: int) -> Screen | None:
    """The screen while it is paired and not revoked."""
    screen = (
        Screen.objects.select_related("station", "restaurant")
        .filter(pk=screen_id, revoked_at__isnull=True, paired_at__isnull=False)
        .first()
    )
    return screen


@dataclass(frozen=True)
class PairingCommand:
    station: Station
    command: str


@dataclass(frozen=True)
class PairingHelp:
    """How to make a pairing link on the server, as a page shows it."""

    directory: str  # where to run the commands
    commands: list[PairingCommand]
    # The server's database is not the default SQLite file: the shell needs the
    # server's environment (DATABASE_URL …) or the command finds no station.
    needs_environment: bool


def _python() -> str:
    """This server's Python, as typed in its project directory."""
    try:
        return str(Path(sys.executable).relative_to(settings.BASE_DIR))
    except ValueError:
        return sys.executable


def pairing_help(
    *, restaurants: Iterable[Restaurant] | None = None, limit: int = 40
) -> PairingHelp:
    """For each station (of these restaurants), the command that makes a screen of it and
    prints its pairing link.

    `--restaurant` is named where slugs repeat across the installation's restaurants:
    without it the command refuses, asking which.
    """
    rows = Station.objects.select_related("restaurant")
    if restaurants is not None:
        rows = rows.filter(restaurant__in=list(restaurants))
    stations = list(rows.order_by("restaurant__name", "restaurant_id", "position", "name")[:limit])
    repeated = set(
        Station.objects.filter(slug__in=[s.slug for s in stations])
        .values("slug")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("slug", flat=True)
    )
    python = _python()
    commands = []
    for station in stations:
        command = f"{python} manage.py kds_screen add --station {station.slug}"
        if station.slug in repeated:
            command += f" --restaurant {station.restaurant.slug}"
        commands.append(PairingCommand(station, command))
    engine = settings.DATABASES["default"]["ENGINE"]
    return PairingHelp(
        directory=str(settings.BASE_DIR),
        commands=commands,
        needs_environment="DATABASE_URL" in os.environ or not engine.endswith("sqlite3"),
    )


def screen_still_paired(*, screen_id: int, paired: int) -> bool:
    """The screen is paired as `paired` says (`pairing_stamp`) and not revoked."""
    screen = screen_active(screen_id=screen_id)
    return screen is not None and screen.pairing_stamp == paired
