"""Keeps screen secrets out of the logs: pairing tokens and pick-up link codes (in the old
/pair/<token>/ and /pickup/<code>/ paths, which Django's request and CSRF warnings
print) and the screen and pick-up cookies' values.

Attached to every handler in kds/settings.py (its "security" section); it
rewrites the message and any `extra=` value whose text holds such a secret.

The same, and the password of any URL (redis://:password@host, postgres://kds:password@…),
is starred on Django's debug page by `RedactingReporterFilter`: Django hides settings
named like KEY or PASSWORD, but REDIS_URL, CHANNEL_LAYERS' addresses and the environment
of a development server (DATABASE_URL) were shown as they are.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.views.debug import SafeExceptionReporterFilter

_PATTERNS = [
    (re.compile(r"(/pair/)[^/\s'\"?#]+"), r"\1[redacted]"),
    (re.compile(r"(/pickup/)[^/\s'\"?#]+"), r"\1[redacted]"),
    (re.compile(r"(kds_screen=)[^;\s'\"]+"), r"\1[redacted]"),
    (re.compile(r"(kds_pickup=)[^;\s'\"]+"), r"\1[redacted]"),
    # user:password@ in any URL
    (re.compile(r"(//[^/@:\s'\"]*:)[^@/\s'\"]+@"), r"\1[redacted]@"),
]
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactScreenSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True  # a broken record is logging's to report, not ours
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        for key, value in list(record.__dict__.items()):
            if key in _STANDARD or key.startswith("_") or value is None:
                continue
            if isinstance(value, bool | int | float):
                continue
            text = value if isinstance(value, str) else str(value)
            clean = redact(text)
            if clean != text:
                setattr(record, key, clean)
        return True


def _redacted(value: Any) -> Any:
    """`value` with every string in it redacted (dicts, lists and tuples walked)."""
    if type(value) is str:
        return redact(value)
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_redacted(item) for item in value)
    return value


class RedactingReporterFilter(SafeExceptionReporterFilter):
    """Django's debug-page filter, and URL passwords and screen secrets starred."""

    def cleanse_setting(self, key: Any, value: Any) -> Any:
        return _redacted(super().cleanse_setting(key, value))

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        meta: dict[str, Any] = _redacted(super().get_safe_request_meta(request))
        return meta

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        return [
            (name, _redacted(value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]
