"""A station's board is read in the same few queries whatever is on it: no query per
ticket (the board loads only the columns tickets show, orders.boards.station.BOARD_FIELDS;
a field a ticket shows and the list lacks would be fetched ticket by ticket)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.boards import render
from orders.models import MenuItem, Order, Station
from tests import factories

pytestmark = pytest.mark.django_db


def _queries(station: Station) -> int:
    render.cache_clear()
    with CaptureQueriesContext(connection) as queries:
        rendered = render.board_render(station.pk, language="zh-hans")
    assert rendered.tickets
    return len(queries.captured_queries)


def _post(kitchen: factories.Kitchen, n: int, **extra: Any) -> None:
    items = [
        {"id": "1", "sku": "TOFU", "name": "Mapo tofu", "quantity": 2, "notes": "no peanuts"},
        {"id": "2", "sku": "GONE", "name": "Not on the menu", "quantity": 1, "seat": 2},
        {"id": "3", "sku": "FRIES", "name": "Fries", "quantity": 1, "course": 2},
    ]
    body = factories.order_body(f"o-{n}", number=str(n), items=items, **extra)
    assert factories.post_webhook(kitchen.source.slug, kitchen.secret, body).status_code == 201


def test_it_reads_a_board_of_many_tickets_in_the_queries_of_one(kitchen: factories.Kitchen) -> None:
    MenuItem.objects.create(
        restaurant=kitchen.restaurant, sku="TOFU", name="Mapo tofu", name_zh="麻婆豆腐",
        allergens="soy", warning_minutes=3, late_minutes=6,
    )  # fmt: skip
    MenuItem.objects.create(
        restaurant=kitchen.restaurant, sku="FRIES", name="Fries", is_available=False
    )
    _post(kitchen, 1)
    one = _queries(kitchen.fallback)

    for n in range(2, 7):
        _post(kitchen, n, priority="rush", table="12", customer_name="Ann", notes="allergy")
    Order.objects.filter(external_id="o-3").update(
        reopened_at=Order.objects.get(external_id="o-3").placed_at
    )
    six = _queries(kitchen.fallback)

    assert six == one
