"""JSON from outside (a webhook body, a pasted order, a screen's message), parsed within
bounds, and text a database can store.

`json.loads` alone turns `[[[…` 20,000 deep into a RecursionError and `1e400` into
infinity, and takes NUL characters and lone surrogates that PostgreSQL (or any UTF-8
store) refuses: each would end as a 500, a 1011 or a retry loop instead of a clear error.
"""

from __future__ import annotations

import json
import math
from typing import Any

# An order is five levels deep; unknown fields get room to spare. Python's parser
# itself fails near 1,000.
MAX_NESTING = 64


class JsonError(ValueError):
    """Not JSON we take; the message says why, for the sender."""


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:20]} is out of range")
    return value


def nesting(value: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (without recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _bounded_int(limit: int | None) -> Any:
    def parse(text: str) -> int:
        # More digits than the limit has cannot be within it (and int() of 4,300 digits
        # and more raises by itself).
        if limit is not None and len(text.lstrip("-")) > len(str(limit)) + 1:
            raise ValueError("an integer out of range")
        value = int(text)
        if limit is not None and abs(value) > limit:
            raise ValueError(f"the integer {text[:20]} is out of range")
        return value

    return parse


def loads(raw: bytes | str, *, max_nesting: int = MAX_NESTING, max_int: int | None = None) -> Any:
    """Parses JSON text; raises JsonError for anything but finite, shallow, standard JSON
    (and, with `max_int`, for an integer beyond ±max_int)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise JsonError("body is not UTF-8") from None
    too_deep = JsonError(f"JSON nested deeper than {max_nesting} levels")
    try:
        value = json.loads(
            raw,
            parse_constant=_refuse_constant,
            parse_float=_finite,
            parse_int=_bounded_int(max_int),
        )
    except RecursionError:
        raise too_deep from None
    except ValueError as exc:
        raise JsonError(f"malformed JSON: {exc}") from None
    if nesting(value) > max_nesting:
        raise too_deep
    return value


def storable_text(value: str) -> str:
    """The text, if a database can store it; raises ValueError naming what it cannot."""
    # PostgreSQL cannot store U+0000 in text; neither a screen nor a printer shows it.
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (U+0000)")
    # JSON can spell half a UTF-16 pair ("\ud800"), which no database stores as UTF-8.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be Unicode text (a lone surrogate is not)") from None
    return value


# The largest primary key a database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def storable_id(value: object) -> int:
    """A record id from a request (a JSON number, a form field): 1 to MAX_ID; raises
    ValueError for anything else, so a query never sees 2**63 (SQLite raises
    OverflowError, PostgreSQL a DataError) or a float, bool or string of something else."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("an id is a whole number")
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) <= 19):
        raise ValueError("an id is a whole number")
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError("no such id")
    return number
