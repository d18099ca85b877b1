"""What the front-of-house tablet shows: ready orders, the longest waiting first, and the
last hour served.

`foh_board(restaurant)` is the tablet page's list: ready orders by how long their food
has waited at the pass, each dish ready, still cooking, or served; the wait is coloured
with expo's thresholds. It is rendered through the page's template
partials, for the page load and every push alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from ..kitchen.clock import restaurant_clock
from ..kitchen.readiness import LineState, line_states
from ..models import Line, LineStatus, Order, OrderStatus, Restaurant, Station, StationKind

FOH_TEMPLATE = "orders/foh.html"


def _natural(text: str) -> tuple[object, ...]:
    """Table "A2" before "A12"; empty tables (takeout) last."""
    if not text:
        return ((1,),)
    return tuple(
        (0, int(part), "") if part.isdigit() else (0, 0, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


@dataclass
class FohLine:
    line_id: int
    quantity: int
    name: str
    state: LineState
    name_zh: str = ""  # the menu's Chinese name, shown first on Chinese screens
    is_86: bool = False  # the dish is sold out now: the runner tells the guest

    @property
    def is_ready(self) -> bool:
        return self.state == LineState.READY


@dataclass
class FohOrder:
    order_id: int
    number: str
    table: str
    channel_label: str
    ready_at: datetime
    lines: list[FohLine] = field(default_factory=list)
    # When the wait turns to "hurry" and "late": expo's thresholds, as on its screen.
    warning_seconds: int = 0
    late_seconds: int = 0

    @property
    def key(self) -> str:
        return f"f{self.order_id}"

    @property
    def ready_ms(self) -> int:
        return int(self.ready_at.timestamp() * 1000)


def _pass_thresholds(restaurant: Restaurant) -> tuple[int, int]:
    """Warning and late seconds for food waiting at the pass: the restaurant's (first)
    expo station's, or a station's defaults where it has none."""
    expo = (
        Station.objects.filter(restaurant=restaurant, kind=StationKind.EXPO)
        .order_by("position", "pk")
        .values_list("warning_minutes", "late_minutes")
        .first()
    )
    if expo is None:
        fields = Station._meta
        expo = (
            fields.get_field("warning_minutes").default,
            fields.get_field("late_minutes").default,
        )
    return expo[0] * 60, expo[1] * 60


def foh_board(restaurant: Restaurant) -> list[FohOrder]:
    """Ready orders, the longest waiting first (food going cold goes out first)."""
    orders = list(
        Order.objects.filter(restaurant=restaurant, status=OrderStatus.READY).order_by(
            "ready_at", "pk"
        )
    )
    states = line_states(order_ids=[o.pk for o in orders])
    warning, late = _pass_thresholds(restaurant)
    lines: dict[int, list[Line]] = {}
    for line in (
        Line.objects.filter(order__in=orders, status=LineStatus.ACTIVE)
        .select_related("menu_item")
        .order_by("course", "position", "pk")
    ):
        lines.setdefault(line.order_id, []).append(line)
    result = [
        FohOrder(
            order_id=o.pk,
            number=o.display_number,
            table=o.table,
            channel_label=str(o.get_channel_display()),
            ready_at=o.ready_at or o.placed_at,
            lines=[
                FohLine(
                    line.pk,
                    line.quantity,
                    line.name,
                    states[line.pk],
                    line.menu_item.name_zh if line.menu_item else "",
                    is_86=line.menu_item is not None and not line.menu_item.is_available,
                )
                for line in lines.get(o.pk, [])
            ],
            warning_seconds=warning,
            late_seconds=late,
        )
        for o in orders
    ]
    result.sort(key=lambda f: (f.ready_at, _natural(f.table), f.order_id))
    return result


def foh_render(
    restaurant: Restaurant,
    *,
    language: str,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> SafeString:
    """The tablet's list. With the page's request its forms carry a CSRF token and work
    without JavaScript; a push (no request) is only ever handled by the page's script."""
    now = now or timezone.now()
    with translation.override(language), restaurant_clock(restaurant):
        html = render_to_string(
            f"{FOH_TEMPLATE}#orders",
            {
                "restaurant": restaurant,
                "orders": foh_board(restaurant),
                "served": served_recently(restaurant_id=restaurant.pk, now=now),
            },
            request=request,
        )
    return mark_safe(html.strip())


def served_recently(
    *, restaurant_id: int, now: datetime | None = None, minutes: int = 60
) -> list[Order]:
    """Orders served in the last hour, newest first."""
    now = now or timezone.now()
    return list(
        Order.objects.filter(
            restaurant_id=restaurant_id,
            status=OrderStatus.SERVED,
            served_at__gte=now - timedelta(minutes=minutes),
        )
        .filter(~Q(served_at=None))
        .order_by("-served_at")
    )
