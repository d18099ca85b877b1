"""Times on the screens, safe for any stored value: `{{ when|clock }}`, `{{ when|epoch }}`.

Django's own `time` and `date` filters convert to the current time zone first, and a
time stored near the calendar's ends (9999-12-31 23:59 UTC is year 10000 in Shanghai)
makes that conversion raise, so a whole board would fail to render. These show a dash
for such a time instead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import dateformat, timezone

from ..kitchen.clock import time_format

register = template.Library()

UNSHOWABLE = "—"


@register.filter
def clock(value: Any, fmt: str = "") -> str:
    """The time of day in the current time zone, in the restaurant's clock format (or a
    `time` filter format given), or a dash."""
    if not isinstance(value, datetime):
        return ""
    try:
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return dateformat.format(local, fmt or time_format())
    except (OverflowError, ValueError):
        return UNSHOWABLE


@register.filter
def epoch(value: Any) -> str:
    """Unix seconds (what `date:"U"` gives), which any stored time has."""
    if not isinstance(value, datetime):
        return ""
    return str(int(value.timestamp()))
