"""The dishes a station's screen can 86 (mark sold out) or bring back: a pure selector.

A prep station lists the active dishes its routing sends to it (for any channel or
source), an expo station every active dish; 86'd dishes come first, then by name, in
the screen's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..kitchen.routing import LineFacts, RoutingTable
from ..kitchen.speech import is_chinese
from ..models import Channel, MenuItem, OrderSource, Station, StationKind


@dataclass(frozen=True)
class DishChoice:
    id: int
    name: str
    available: bool

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "available": self.available}


def _station_items(station: Station) -> list[MenuItem]:
    items = list(MenuItem.objects.filter(restaurant_id=station.restaurant_id, is_active=True))
    if station.kind == StationKind.PREP:
        table = RoutingTable.load(station.restaurant_id)
        sources = [
            None,
            *OrderSource.objects.filter(restaurant_id=station.restaurant_id).values_list(
                "pk", flat=True
            ),
        ]
        items = [
            item
            for item in items
            if any(
                station.pk in {s.pk for s in table.prep_stations(LineFacts(item, channel, source))}
                for channel in Channel.values
                for source in sources
            )
        ]
    return items


def station_dish_ids(*, station: Station) -> set[int]:
    """The dishes a screen of `station` may 86 and bring back."""
    return {item.pk for item in _station_items(station)}


def station_dishes(*, station: Station, language: str) -> list[DishChoice]:
    chinese = is_chinese(language)
    choices = [
        DishChoice(
            id=item.pk,
            name=(item.name_zh or item.name) if chinese else item.name,
            available=item.is_available,
        )
        for item in _station_items(station)
    ]
    return sorted(choices, key=lambda d: (d.available, d.name.casefold()))
