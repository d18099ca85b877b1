"""A two-course hot pot: the base is live, the rest held; bumping the base fires the rest."""

from __future__ import annotations

import re
import time

from orders.models import LineStation, MenuItem, Order, TicketState
from tests.browser.conftest import Kitchen2, OpenScreen, Post
from tests.factories import order_body

HOTPOT = [
    {"id": "1", "name": "Mala broth", "quantity": 1, "course": 1},
    {"id": "2", "name": "Sliced beef", "quantity": 2, "course": 2},
    {"id": "3", "sku": "FRIES", "name": "Fries", "quantity": 1, "course": 2},
]


def test_it_holds_the_second_course_until_the_base_is_bumped(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    post(order_body("o-1", number="701", table="A12", items=HOTPOT))
    pot = open_screen(kitchen2.a, "Pot").page
    fryer = open_screen(kitchen2.b, "Fryer").page
    key = f"t{Order.objects.get(external_id='o-1').pk}"

    pot.wait_for_selector(f"#{key} .line:not(.is-held):has-text('Mala broth')")
    pot.wait_for_selector(f"#{key} .line.is-held:has-text('Sliced beef')")
    # A ticket with nothing to cook yet is a compact strip on its station (the default).
    fryer.wait_for_selector(f"#{key} .held-strip")
    assert "1 dish held" in fryer.locator(f"#{key} .held-strip").inner_text()
    assert fryer.locator(f"#{key} .line").count() == 0

    pot.click(f"#{key} .line:has-text('Mala broth')")

    # The next course goes live on every screen that cooks it, without a reload.
    fryer.wait_for_selector(f"#{key} .line:not(.is-held):has-text('Fries')")
    pot.wait_for_selector(f"#{key} .line:not(.is-held):not(.is-ready):has-text('Sliced beef')")
    states = LineStation.objects.filter(line__order__external_id="o-1", line__course=2)
    assert {p.state for p in states.exclude(station=kitchen2.k.expo)} == {TicketState.LIVE}


def test_it_counts_down_to_a_paced_lines_start(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    # With pacing, the five-minute dish waits for the fifteen-minute broth's head start.
    kitchen2.a.pacing = True
    kitchen2.a.save()
    MenuItem.objects.create(
        restaurant=kitchen2.k.restaurant, sku="BROTH", name="Broth", prep_minutes=15
    )
    post(
        order_body(
            "o-2",
            number="702",
            items=[
                {"id": "1", "sku": "BROTH", "name": "Broth", "quantity": 1},
                {"id": "2", "name": "Cucumber", "quantity": 1},
            ],
        )
    )
    page = open_screen(kitchen2.a, "Pot").page
    key = f"t{Order.objects.get(external_id='o-2').pk}"

    tag = page.locator(f"#{key} .line:has-text('Cucumber') .tag-held")
    tag.wait_for()
    deadline = time.monotonic() + 3
    while "--:--" in tag.inner_text() and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert re.search(r"STARTS IN\s+(09|10):\d\d", tag.inner_text()), tag.inner_text()
    assert page.locator(f"#{key} .line:not(.is-held):has-text('Broth')").count() == 1
