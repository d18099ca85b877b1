"""The Django admin, as a kitchen manager uses it: menu, stations, routing rules, screens,
sources, outgoing webhooks.

Saving a station's thresholds, display or speech settings, a screen's display options
or a dish redraws the open screens that show them (`orders.actions.settings`). Routing
rules are read per order, so a rule change applies to orders that arrive afterwards;
tickets already on a screen stay where they are.
"""

from . import menu, orders, printers, restaurants, routing, screens, sources, stations, webhooks

__all__ = [
    "menu",
    "orders",
    "printers",
    "restaurants",
    "routing",
    "screens",
    "sources",
    "stations",
    "webhooks",
]
