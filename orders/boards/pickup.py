"""What the customer-facing pick-up board shows: numbers only, preparing and ready."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from ..kitchen.speech import pickup_phrase
from ..models import Channel, Order, OrderStatus, Restaurant

PICKUP_TEMPLATE = "orders/pickup.html"


@dataclass
class PickupNumber:
    order_id: int
    number: str
    key: str  # changes each time the order becomes ready
    say: str


@dataclass
class PickupBoard:
    preparing: list[PickupNumber]
    ready: list[PickupNumber]


def pickup_board(restaurant: Restaurant, *, language: str) -> PickupBoard:
    """Numbers only: orders in the kitchen, and orders waiting to be picked up (newest first).

    Dine-in orders with a table are left out: a runner carries those to the table.
    """
    rows = Order.objects.filter(
        restaurant=restaurant, status__in=[OrderStatus.OPEN, OrderStatus.READY]
    ).exclude(channel=Channel.DINE_IN, table__gt="")  # a runner takes those to the table
    preparing: list[PickupNumber] = []
    ready: list[PickupNumber] = []
    for o in rows.order_by("placed_at", "pk"):
        number = o.display_number
        if o.status == OrderStatus.READY and o.ready_at is not None:
            key = f"p{o.pk}:{int(o.ready_at.timestamp() * 1000)}"
            say = pickup_phrase(language=language, number=number)
            ready.append(PickupNumber(o.pk, number, key, say))
        else:
            preparing.append(PickupNumber(o.pk, number, "", ""))
    ready.sort(key=lambda n: int(n.key.split(":")[1]), reverse=True)
    return PickupBoard(preparing=preparing, ready=ready)


def pickup_render(restaurant: Restaurant, *, language: str, speech_language: str) -> SafeString:
    board = pickup_board(restaurant, language=speech_language)
    with translation.override(language):
        html = render_to_string(f"{PICKUP_TEMPLATE}#columns", {"board": board})
    return mark_safe(html.strip())
