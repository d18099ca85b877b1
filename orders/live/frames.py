"""What a socket takes from its page: small JSON objects with a string "action".

Anything else costs its sender only. A binary frame, or text over MAX_MESSAGE_CHARS,
closes that socket (CLOSE_BINARY, CLOSE_TOO_BIG); text that is not such an object is
answered MALFORMED. `sockets.LayerAwareConsumer.receive` applies this to every socket:
station and expo screens, the front-of-house tablet and the pick-up board.
"""

from __future__ import annotations

import json
from typing import Any

# A page's messages are a few dozen bytes of JSON.
MAX_MESSAGE_CHARS = 8 * 1024
MALFORMED: dict[str, str] = {"type": "error", "error": "malformed"}


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_action(text: str) -> dict[str, Any] | None:
    """A page's message as a dict with a string "action", or None when it is not one."""
    try:
        content = json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return None
    if not isinstance(content, dict) or not isinstance(content.get("action"), str):
        return None
    return content
