"""Ticket fragments rendered once per version of the ticket, not once per board.

A board is re-read from the database on every change, but of its thirty tickets
usually one changed. A ticket's version is everything its fragment is rendered
from (the dataclass the selector built, field by field), so an unchanged ticket
is found here instead of rendered again, and a changed one, having a new version,
can never be served stale: nothing is invalidated, old versions age out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date, datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise

# Enough for every open ticket of a big kitchen's stations in two languages.
CACHE_SIZE = 4096

_cache: OrderedDict[Hashable, str] = OrderedDict()
_lock = threading.Lock()
stats = {"hits": 0, "misses": 0}


_PLAIN = frozenset({str, int, float, bool, type(None), date, datetime})


def version(value: Any) -> Hashable:
    """A hashable snapshot of a ticket: its dataclass fields, recursively."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list or kind is tuple:
        return tuple([version(v) for v in value])
    if hasattr(kind, "__dataclass_fields__"):
        # A dataclass's __dict__ holds exactly its fields, in order.
        return (kind.__qualname__, *[version(v) for v in value.__dict__.values()])
    if isinstance(value, Promise):
        return str(value)  # a lazy translation, in the language being rendered
    if isinstance(value, str | int | float | date):  # subclasses: choices, SafeString
        return value
    # Only plain data may go into a fragment's key: a model instance here could change
    # under the same key.
    raise TypeError(f"a ticket field of type {kind.__name__} has no version")


def fragment(template: str, ticket: Any, render: Callable[[], str]) -> str:
    """The fragment `template` renders for `ticket` in the current language and time zone."""
    key = (
        template,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        version(ticket),
    )
    with _lock:
        html = _cache.get(key)
        if html is not None:
            _cache.move_to_end(key)
            stats["hits"] += 1
            return html
    html = render()
    with _lock:
        stats["misses"] += 1
        _cache[key] = html
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return html


def cache_clear() -> None:
    with _lock:
        _cache.clear()
        stats.update(hits=0, misses=0)
