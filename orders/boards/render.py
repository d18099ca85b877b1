"""Boards rendered through their fragments, once per station and change, shared by its sockets.

`board_render()` renders a station's board once per (station, seq, language, options)
and keeps the result for a short while, so N screens on one station cost one render.
Prep stations render `orders.boards.station.board`, expo stations
`orders.boards.expo.expo_board`.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.safestring import SafeString, mark_safe

from ..models import Station, StationKind
from . import fragments
from .expo import expo_render_parts
from .station import station_render_parts


@dataclass(frozen=True)
class RenderedBoard:
    """A board rendered through the fragments: one HTML string per ticket, plus the panels."""

    seq: int
    tickets: tuple[tuple[str, str], ...]  # (key, html), oldest first
    all_day: str
    settings: dict[str, Any]

    def ticket_hashes(self) -> dict[str, str]:
        # Every socket of the station diffs against the same render: hash it once.
        cached: dict[str, str] | None = self.__dict__.get("_hashes")
        if cached is None:
            cached = {
                key: hashlib.blake2s(html.encode(), digest_size=8).hexdigest()
                for key, html in self.tickets
            }
            self.__dict__["_hashes"] = cached
        return cached

    @property
    def html(self) -> SafeString:
        return mark_safe("".join(html for _, html in self.tickets))


_CACHE_SIZE = 64
_cache: OrderedDict[tuple[Any, ...], RenderedBoard] = OrderedDict()
_cache_lock = threading.Lock()


def board_render(station_id: int, *, language: str) -> RenderedBoard:
    """The station's current board, rendered; shared by every screen that asks at the same seq.

    The seq is read before the board, so what is rendered is at least as new as its seq:
    a change committed in between arrives as a later seq and is rendered again.
    """
    with transaction.atomic():
        station = Station.objects.get(pk=station_id)
        key = (station.pk, station.seq, language, _settings_key(station))
        with _cache_lock:
            hit = _cache.get(key)
            if hit is not None:
                _cache.move_to_end(key)
                return hit
        rendered = _render_any(station, language)
    with _cache_lock:
        _cache[key] = rendered
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return rendered


def _render_any(station: Station, language: str) -> RenderedBoard:
    """Expo stations show whole orders (`boards.expo`); prep stations their tickets."""
    parts = expo_render_parts if station.kind == StationKind.EXPO else station_render_parts
    seq, tickets, panel, settings = parts(station, language)
    return RenderedBoard(seq=seq, tickets=tickets, all_day=panel, settings=settings)


def _settings_key(station: Station) -> tuple[Any, ...]:
    # Station settings saves bump seq too; this only guards against a save that did not.
    return (
        station.warning_minutes,
        station.late_minutes,
        station.held_course_display,
        station.name,
        station.colour,
        station.kind,
        station.speech_language,
        station.speech_voice,
        station.speech_rate,
    )


def cache_clear() -> None:
    with _cache_lock:
        _cache.clear()
    fragments.cache_clear()
