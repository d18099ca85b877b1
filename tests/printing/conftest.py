from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from orders.models import MenuItem, Printer, PrintMode
from tests import factories
from tests.printing.fake_printer import FakePrinter


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    printer = FakePrinter()
    printer.on()
    yield printer
    printer.off()


@dataclass
class PrintKitchen:
    k: factories.Kitchen
    printer: Printer
    fake: FakePrinter


@pytest.fixture
def print_kitchen(kitchen: factories.Kitchen, fake_printer: FakePrinter) -> PrintKitchen:
    """The kitchen's fallback station with an always-printing printer on the fake port."""
    MenuItem.objects.create(
        restaurant=kitchen.restaurant,
        sku="BEEF",
        name="Sliced beef",
        name_zh="肥牛",
        allergens="sesame",
    )
    printer = Printer.objects.create(
        restaurant=kitchen.restaurant,
        station=kitchen.fallback,
        name="Kitchen printer",
        host="127.0.0.1",
        port=fake_printer.port,
        mode=PrintMode.ALWAYS,
    )
    return PrintKitchen(kitchen, printer, fake_printer)


def beef_order(order_id: str = "o-1", **data: Any) -> dict[str, Any]:
    """Table A12, rush, two sliced beef with modifiers and an allergy note, one tofu."""
    items = data.pop(
        "items",
        [
            {
                "id": "l-1",
                "sku": "BEEF",
                "name": "Sliced beef",
                "quantity": 2,
                "modifiers": ["extra spicy", "no coriander"],
                "notes": "peanut allergy",
            },
            {"id": "l-2", "name": "Frozen tofu", "quantity": 1},
        ],
    )
    return factories.order_body(
        order_id,
        items=items,
        table="A12",
        customer_name="Wang",
        priority="rush",
        notes="Birthday",
        **data,
    )
