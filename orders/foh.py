"""Front of house and the pick-up board: what runners and customers see. Pure queries.

`foh_board(restaurant)` is the tablet page's list: ready orders by table, each dish
ready, still cooking, or served. `pickup_board(restaurant)` is the customer screen's
two columns of order numbers, preparing and ready, with no names. Both are rendered
through their page's template partials, for the page load and every push alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.core import signing
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .models import (
    Channel,
    Line,
    LineStation,
    LineStatus,
    Order,
    OrderStatus,
    Restaurant,
    StationKind,
    TicketState,
)
from .serving import served_recently
from .speech import pickup_phrase

FOH_TEMPLATE = "orders/foh.html"
PICKUP_TEMPLATE = "orders/pickup.html"
FRONT_OF_HOUSE_GROUPS = ("Front of house", "Kitchen manager")


def _number(order: Order) -> str:
    return order.number or order.external_id


def _natural(text: str) -> tuple[object, ...]:
    """Table "A2" before "A12"; empty tables (takeout) last."""
    if not text:
        return ((1,),)
    return tuple(
        (0, int(part), "") if part.isdigit() else (0, 0, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


# ---------------------------------------------------------------- front of house


@dataclass
class FohLine:
    line_id: int
    quantity: int
    name: str
    state: str  # ready, cooking, held or served

    @property
    def is_ready(self) -> bool:
        return self.state == "ready"


@dataclass
class FohOrder:
    order_id: int
    number: str
    table: str
    channel_label: str
    ready_at: datetime
    lines: list[FohLine] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"f{self.order_id}"

    @property
    def ready_ms(self) -> int:
        return int(self.ready_at.timestamp() * 1000)


def _line_states(order_ids: list[int]) -> dict[int, str]:
    prep: dict[int, list[str]] = {}
    served: dict[int, bool] = {}
    for line_id, kind, state in LineStation.objects.filter(
        line__order_id__in=order_ids, line__status=LineStatus.ACTIVE
    ).values_list("line_id", "station__kind", "state"):
        if kind == StationKind.EXPO:
            served[line_id] = served.get(line_id, True) and state == TicketState.READY
        else:
            prep.setdefault(line_id, []).append(state)
    states: dict[int, str] = {}
    for line_id in set(prep) | set(served):
        if served.get(line_id):
            states[line_id] = "served"
        elif any(s == TicketState.HELD for s in prep.get(line_id, [])):
            states[line_id] = "held"
        elif all(s == TicketState.READY for s in prep.get(line_id, [])):
            states[line_id] = "ready"
        else:
            states[line_id] = "cooking"
    return states


def foh_board(restaurant: Restaurant) -> list[FohOrder]:
    """Ready orders, by table, then the longest waiting first."""
    orders = list(
        Order.objects.filter(restaurant=restaurant, status=OrderStatus.READY).order_by(
            "ready_at", "pk"
        )
    )
    states = _line_states([o.pk for o in orders])
    lines: dict[int, list[Line]] = {}
    for line in Line.objects.filter(order__in=orders, status=LineStatus.ACTIVE).order_by(
        "course", "position", "pk"
    ):
        lines.setdefault(line.order_id, []).append(line)
    result = [
        FohOrder(
            order_id=o.pk,
            number=_number(o),
            table=o.table,
            channel_label=str(o.get_channel_display()),
            ready_at=o.ready_at or o.placed_at,
            lines=[
                FohLine(line.pk, line.quantity, line.name, states.get(line.pk, "cooking"))
                for line in lines.get(o.pk, [])
            ],
        )
        for o in orders
    ]
    result.sort(key=lambda f: (_natural(f.table), f.ready_at, f.order_id))
    return result


def foh_render(restaurant: Restaurant, *, language: str, now: datetime | None = None) -> SafeString:
    now = now or timezone.now()
    with translation.override(language):
        html = render_to_string(
            f"{FOH_TEMPLATE}#orders",
            {
                "orders": foh_board(restaurant),
                "served": served_recently(restaurant_id=restaurant.pk, now=now),
            },
        )
    return mark_safe(html.strip())


# ---------------------------------------------------------------- pick-up board


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
        number = _number(o)
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


_PICKUP_SALT = "kds.pickup.v1"


def pickup_token(restaurant: Restaurant) -> str:
    """The secret part of a pick-up board's URL. It shows numbers only, never names."""
    return signing.Signer(salt=_PICKUP_SALT).sign(restaurant.slug)


def restaurant_for_pickup_token(token: str) -> Restaurant | None:
    try:
        slug = signing.Signer(salt=_PICKUP_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Restaurant.objects.filter(slug=slug).first()
