"""What a socket takes from its page: small JSON objects with a string "action".

Anything else costs its sender only. A binary frame, or text over MAX_MESSAGE_CHARS,
closes that socket (CLOSE_BINARY, CLOSE_TOO_BIG); text that is not such an object is
answered MALFORMED. `sockets.LayerAwareConsumer.receive` applies this to every socket:
station and expo screens, the front-of-house tablet and the pick-up board.
"""

from __future__ import annotations

from typing import Any

from .. import safe_json

# A page's messages are a few dozen bytes of JSON, a level or two deep, with ids.
MAX_MESSAGE_CHARS = 8 * 1024
MAX_MESSAGE_NESTING = 4
# What a page's JavaScript holds exactly; no id is larger. Beyond it (1e400 is infinity,
# 2**63 overflows the database's integer) a number is not one a page sent.
MAX_INTEGER = 2**53
MALFORMED: dict[str, str] = {"type": "error", "error": "malformed"}


def parse_action(text: str) -> dict[str, Any] | None:
    """A page's message as a dict with a string "action", or None when it is not one."""
    try:
        content = safe_json.loads(text, max_nesting=MAX_MESSAGE_NESTING, max_int=MAX_INTEGER)
    except safe_json.JsonError:
        return None
    if not isinstance(content, dict) or not isinstance(content.get("action"), str):
        return None
    return content
