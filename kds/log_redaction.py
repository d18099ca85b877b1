"""Keeps screen secrets out of the logs: pairing tokens and pick-up link codes (in the old
/pair/<token>/ and /pickup/<code>/ paths, which Django's request and CSRF warnings
print) and the screen and pick-up cookies' values.

Attached to every handler in kds/settings.py (its "security" section); it
rewrites the message and any `extra=` value whose text holds such a secret.
"""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    (re.compile(r"(/pair/)[^/\s'\"?#]+"), r"\1[redacted]"),
    (re.compile(r"(/pickup/)[^/\s'\"?#]+"), r"\1[redacted]"),
    (re.compile(r"(kds_screen=)[^;\s'\"]+"), r"\1[redacted]"),
    (re.compile(r"(kds_pickup=)[^;\s'\"]+"), r"\1[redacted]"),
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
