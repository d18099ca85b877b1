"""What a socket takes from its page: small JSON objects with a string "action".

Anything else costs its sender only. A binary frame, or text over MAX_MESSAGE_CHARS,
closes that socket (CLOSE_BINARY, CLOSE_TOO_BIG); text that is not such an object is
answered MALFORMED. `sockets.LayerAwareConsumer.receive` applies this to every socket:
station and expo screens, the front-of-house tablet and the pick-up board.
"""

from __future__ import annotations

from typing import Any

from .. import safe_json

# A page's messages are a few dozen bytes of JSON. Numbers must be finite (1e400 is
# infinity to Python) and nesting shallow; an id is checked where it is used
# (`safe_json.storable_id`), so unknown fields may carry any integer.
MAX_MESSAGE_CHARS = 8 * 1024
MALFORMED: dict[str, str] = {"type": "error", "error": "malformed"}


def parse_action(text: str) -> dict[str, Any] | None:
    """A page's message as a dict with a string "action", or None when it is not one."""
    try:
        content = safe_json.loads(text)
    except safe_json.JsonError:
        return None
    if not isinstance(content, dict) or not isinstance(content.get("action"), str):
        return None
    return content
