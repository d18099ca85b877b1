"""Screens as devices: pairing links, pairing, revoking, "last seen"."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ..kitchen.language import speech_language
from ..kitchen.speech import bcp47, test_phrase
from ..live import messages
from ..live.broadcast import on_commit_send
from ..live.groups import screen_group
from ..live.presence import HEARTBEAT_SECONDS
from ..models import Screen, SpeechPath

# secrets.token_urlsafe(32) (orders.models.new_token): 43 URL-safe characters.
PAIRING_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")


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


def screen_pairing_link(*, screen: Screen) -> str:
    """A fresh one-time pairing URL; any earlier link for this screen stops working.

    A revoked screen can be paired again with it: the revocation is lifted (the device
    stays locked out until the link is used, since pairing issues a new cookie).
    """
    with transaction.atomic():
        if screen.revoked_at is not None:
            Screen.objects.filter(pk=screen.pk).update(revoked_at=None, paired_at=None)
            screen.refresh_from_db()
        return screen.new_pairing_link()


def screen_revoke(*, screen: Screen) -> None:
    """Revokes a screen: its cookie stops working and its open sockets are closed at once."""
    with transaction.atomic():
        Screen.objects.filter(pk=screen.pk).update(revoked_at=timezone.now(), pairing_token=None)
        on_commit_send([(screen_group(screen.pk), messages.screen_revoked())])
    screen.refresh_from_db()


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
        # Whatever device held the screen before is unpaired now, open sockets too.
        screen.paired_at = now
        stamp = screen.pairing_stamp
        on_commit_send([(screen_group(screen.pk), messages.screen_paired(paired=stamp))])
    screen.refresh_from_db()
    return screen


# ---------------------------------------------------------------- health
# Not board changes: nothing is broadcast. The scheduler's presence check
# (`orders.actions.presence`) turns these into a station's "no live screen" mark.


def screen_connected(*, screen: Screen, now: datetime | None = None) -> None:
    now = now or timezone.now()
    Screen.objects.filter(pk=screen.pk).update(connected_at=now, last_seen_at=now)


def screen_disconnected(*, screen: Screen, now: datetime | None = None) -> None:
    Screen.objects.filter(pk=screen.pk).update(disconnected_at=now or timezone.now())


def screen_heartbeat(*, screen: Screen, now: datetime | None = None) -> None:
    """A live socket's sync: refreshes "last seen" every HEARTBEAT_SECONDS (not every sync),
    and at once after another socket of the same screen closed."""
    now = now or timezone.now()
    stale = Q(last_seen_at__isnull=True) | Q(
        last_seen_at__lt=now - timedelta(seconds=HEARTBEAT_SECONDS)
    )
    Screen.objects.filter(stale | Q(disconnected_at__gte=F("last_seen_at")), pk=screen.pk).update(
        last_seen_at=now
    )


def screen_loaded(*, screen: Screen, app_version: str, user_agent: str) -> None:
    """The page was (re)loaded: which version of the screen's app it runs, in which browser."""
    Screen.objects.filter(pk=screen.pk).update(
        app_version=app_version[:40], user_agent=user_agent[:200]
    )


def screen_speech_report(*, screen: Screen, path: str) -> None:
    """How the screen speaks, as its page found out: browser voice, server audio or none."""
    if path in SpeechPath.values:
        Screen.objects.filter(pk=screen.pk).update(speech_path=path)


def screen_voice_test(*, screen: Screen) -> None:
    """The admin's "test voice": the screen says the test phrase through its own path."""
    language = speech_language(restaurant=screen.restaurant, station=screen.station, screen=screen)
    on_commit_send(
        [
            (
                screen_group(screen.pk),
                messages.screen_say(text=test_phrase(language=language), lang=bcp47(language)),
            )
        ]
    )
