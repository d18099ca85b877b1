"""Property: for any order the webhook accepts, with updates, voids, additions and cancels
arriving in any order between the kitchen's bumps and the servers' serving, every screen
renders, and every active line not yet served is on expo, and on each station cooking it,
with its notes and modifiers; an order said to be served has nothing left to serve."""

from __future__ import annotations

import html
import uuid
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.boards.front_of_house import foh_render
from orders.boards.pickup import pickup_render
from orders.boards.render import board_render
from orders.kitchen.readiness import LineState, line_states
from orders.models import LineStation, LineStatus, Order, OrderStatus, StationKind, TicketState
from tests import factories
from tests.hotpot import Kitchen, _fresh_board_cache, foh_user, kitchen, pair

__all__ = ["_fresh_board_cache", "kitchen"]

POOL = [
    ("l-1", "HP-BEEF", "Sliced Beef"),
    ("l-2", "HP-TOFU", "Frozen Tofu"),
    ("l-3", None, "Mapo tofu"),
    ("l-4", None, "Pork Dumplings"),
    ("l-5", None, "Plum Drink"),
]
NOTES = ["", "peanut allergy", "no coriander", "extra hot", "过敏：花生"]
MODIFIERS = ["mild", "no peanuts", "少辣", "extra rice"]

item = st.builds(
    lambda line, qty, notes, mods: {
        "id": line[0],
        **({"sku": line[1]} if line[1] else {}),
        "name": line[2],
        "quantity": qty,
        "notes": notes,
        "modifiers": mods,
    },
    st.sampled_from(POOL),
    st.integers(1, 3),
    st.sampled_from(NOTES),
    st.lists(st.sampled_from(MODIFIERS), max_size=2, unique=True),
)
items = st.lists(item, min_size=1, max_size=5, unique_by=lambda i: i["id"])
# Mostly in order, sometimes late (a negative offset is older than what came before).
offset = st.integers(-5, 30)
step = st.one_of(
    st.tuples(st.just("updated"), items, offset),
    st.tuples(st.just("bump"), st.sampled_from(["wok", "cold"]), st.none()),
    st.tuples(st.just("serve"), st.none(), st.none()),
    st.tuples(st.just("cancelled"), st.none(), offset),
)


def ticket(station_id: int, key: str) -> str | None:
    rendered = board_render(station_id, language="en")
    return dict(rendered.tickets).get(key)


def shows(fragment: str | None, line: Any) -> bool:
    if fragment is None:
        return False
    words = [line.name, line.notes, *line.modifiers]
    return all(html.escape(word) in fragment for word in words if word)


def check_screens(kitchen: Kitchen, order: Order, sent: dict[str, dict[str, Any]]) -> None:
    # Every screen of the restaurant renders whatever is stored.
    for station in (kitchen.wok, kitchen.cold, kitchen.expo):
        board_render(station.pk, language="zh-hans")
    foh_render(kitchen.restaurant, language="en")
    pickup_render(kitchen.restaurant, language="en", speech_language="zh-hans")

    order.refresh_from_db()
    if order.status == OrderStatus.CANCELLED:
        return
    states = line_states(order_ids=[order.pk])
    if order.status == OrderStatus.SERVED:
        assert set(states.values()) <= {LineState.SERVED}, states
        return
    active = list(order.lines.filter(status=LineStatus.ACTIVE))
    # What the sender sent last is what is stored: every line of it, whole.
    assert {line.external_id for line in active} == set(sent)
    for line in active:
        wanted = sent[line.external_id]
        assert (line.quantity, line.notes, line.modifiers) == (
            wanted["quantity"],
            wanted["notes"],
            wanted["modifiers"],
        )
        if states[line.pk] == LineState.SERVED:
            continue
        assert shows(ticket(kitchen.expo.pk, f"x{order.pk}"), line), (line, "expo")
        cooking = LineStation.objects.filter(
            line=line, state=TicketState.LIVE, station__kind=StationKind.PREP
        )
        for placement in cooking:
            assert shows(ticket(placement.station_id, f"t{order.pk}"), line), (line, placement)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=items, steps=st.lists(step, max_size=6))
def test_every_accepted_line_is_on_the_screens_that_should_show_it(
    kitchen: Kitchen, first: list[dict[str, Any]], steps: list[tuple[str, Any, Any]]
) -> None:
    external_id = f"o-{uuid.uuid4().hex[:8]}"
    screens = {name: pair(getattr(kitchen, name), name)[1] for name in ("wok", "cold")}
    runner = Client()
    runner.force_login(foh_user(f"runner-{external_id}"))
    send = Client()

    sent: dict[str, dict[str, Any]] = {}

    def post(kind: str, body_items: Any, offset: int) -> None:
        body = factories.order_body(
            external_id,
            kind=kind,
            items=body_items,
            timestamp=factories.now_rfc3339(offset),
            table="A1",
        )
        response = factories.post_webhook(kitchen.k.source.slug, kitchen.k.secret, body)
        assert response.status_code in (200, 201), response.content
        if kind != "order.cancelled" and not response.json().get("stale"):
            sent.clear()
            sent.update({i["id"]: i for i in body_items})

    post("order.created", first, 0)
    order = Order.objects.get(external_id=external_id)
    check_screens(kitchen, order, sent)
    for kind, arg, offset in steps:
        if kind in ("updated", "cancelled"):
            post(f"order.{kind}", arg, offset)
        elif kind == "bump":
            send.cookies["kds_screen"] = screens[arg]
            send.post("/screen/action/", {"action": "ticket_bump", "order": order.pk})
        else:
            runner.post("/foh/action/", {"action": "serve_order", "order": order.pk})
        check_screens(kitchen, order, sent)
