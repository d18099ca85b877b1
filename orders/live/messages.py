"""The messages sent on the channel layer, and the close codes every screen kind knows.

A consumer's handler is named after the message type with dots as underscores
(`station.changed` → `station_changed`).
"""

from __future__ import annotations

import time
from typing import Any

Message = dict[str, Any]

# Close codes. Daphne lets an application send only 1000 or 3000-4999, so these are ours;
# the pages (static/kds/connection.js) reload on the first three and reconnect on any other.
CLOSE_UNPAIRED = 4001  # not a paired screen: show the pairing page
CLOSE_RELOAD = 4002  # the screen was moved to another station: load that one
CLOSE_REVOKED = 4003  # revoked, or not allowed (front of house, pick-up)
CLOSE_FORBIDDEN = CLOSE_REVOKED
# "Try again later" (1013 in RFC 6455 terms): the channel layer is down.
CLOSE_TRY_AGAIN = 4013
# A binary frame, or text too long to be a message (frames.py). RFC 6455 has 1003 and
# 1009 for these, but Daphne refuses to send them: the consumer would crash instead.
CLOSE_BINARY = 4415
CLOSE_TOO_BIG = 4413
# Messages faster than any screen sends, or more sockets than a token or an address may
# hold (orders/live/sockets.py); numbered after HTTP's 429, as the two above are.
CLOSE_TOO_MANY = 4429


# station.changed's reason when a dish was 86'd or brought back: screens send their
# 86 list again as well as the board.
DISHES_CHANGED = "menu_item_86"


def station_changed(*, seq: int, reason: str) -> Message:
    """A station's board changed; `seq` is its sequence number after the change."""
    return {"type": "station.changed", "seq": seq, "reason": reason}


def restaurant_changed(*, order_id: int, reason: str) -> Message:
    """An order was served, handed over or un-served: the restaurant's lists follow."""
    return {"type": "restaurant.changed", "order": order_id, "reason": reason}


def screen_revoked() -> Message:
    return {"type": "screen.revoked"}


PICKUP_LINK_CHANGED = "pickup.link_changed"


def pickup_link_changed() -> Message:
    """The restaurant's pick-up link was rotated or revoked: its boards' sockets close."""
    return {"type": PICKUP_LINK_CHANGED}


RESTAURANT_LANGUAGE_CHANGED = "restaurant.language_changed"


def restaurant_language_changed() -> Message:
    """The restaurant's language changed: its front-of-house tablets and pick-up boards
    load their page again, in the new one (its screens follow through their stations)."""
    return {"type": RESTAURANT_LANGUAGE_CHANGED}


def screen_paired(*, paired: int) -> Message:
    """The screen was paired (again): sockets of any other pairing are closed."""
    return {"type": "screen.paired", "paired": paired}


def screen_say(*, text: str, lang: str) -> Message:
    """Say this now, the way the screen says orders (the admin's "test voice")."""
    return {"type": "screen.say", "text": text, "lang": lang}


def now_ms() -> int:
    """The server's clock in milliseconds, as the pages' timers and skew use it."""
    return int(time.time() * 1000)
