"""One clock per restaurant: every time on its screens and lists in its time zone and its
clock format (24 h or 12 h, `Restaurant.clock_format`).

Server-rendered times go through the `clock` template filter (orders/templatetags/
kds_time.py), which reads the format `restaurant_clock` sets along with the zone; the
screens' scripts draw their own clocks from `clock_config` (static/kds/clock.js).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.utils import timezone

from ..models import ClockFormat, Restaurant

# Django time formats: "18:30" and "6:30 PM".
FORMATS = {ClockFormat.H24: "H:i", ClockFormat.H12: "g:i A"}

_format: ContextVar[str] = ContextVar("kds_clock_format", default=FORMATS[ClockFormat.H24])


def time_format() -> str:
    """The time-of-day format of the restaurant being rendered (24 h outside one)."""
    return _format.get()


@contextmanager
def restaurant_clock(restaurant: Restaurant) -> Iterator[None]:
    """Renders times in the restaurant's zone and clock format."""
    token = _format.set(FORMATS.get(ClockFormat(restaurant.clock_format), "H:i"))
    try:
        with timezone.override(restaurant.time_zone):
            yield
    finally:
        _format.reset(token)


def clock_config(restaurant: Restaurant) -> dict[str, Any]:
    """What a page's script draws its clock with."""
    return {
        "time_zone": restaurant.time_zone,
        "hour12": restaurant.clock_format == ClockFormat.H12,
    }
