"""Channel-layer group names: one group per station, per screen and per restaurant."""

from __future__ import annotations


def station_group(station_id: int) -> str:
    """Every socket showing this station's board (its screens, expo, front of house)."""
    return f"station-{station_id}"


def screen_group(screen_id: int) -> str:
    """The sockets of one paired device, so revoking it closes them at once."""
    return f"screen-{screen_id}"


def restaurant_group(restaurant_id: int) -> str:
    """Serving, hand-over and undo: what the front-of-house and pick-up lists follow."""
    return f"restaurant-{restaurant_id}"
