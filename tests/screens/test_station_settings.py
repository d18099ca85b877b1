"""A station settings change re-sends the board with the new thresholds."""

from __future__ import annotations

import pytest
from django.db import transaction

from orders.live.sequence import stations_touch
from orders.models import MenuItem, Station
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, connect, next_board_state, pair, post_order, sync

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_sends_new_thresholds_when_the_station_changes(kitchen2: Kitchen2) -> None:
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    _, cookie = await sync(pair)(kitchen2.a)
    comm, first = await connect(cookie)
    assert first["settings"]["late_seconds"] == 8 * 60
    assert 'data-late="480"' in first["tickets"][0][1]

    def save_settings() -> None:
        with transaction.atomic():
            Station.objects.filter(pk=kitchen2.a.pk).update(warning_minutes=2, late_minutes=3)
            stations_touch(station_ids=[kitchen2.a.pk], reason="settings")

    await sync(save_settings)()
    patch = await next_board_state(comm)

    assert patch["settings"]["late_seconds"] == 180
    assert 'data-late="180"' in patch["upsert"][0][1]
    await comm.disconnect()


async def test_it_uses_a_dishs_own_thresholds(kitchen2: Kitchen2) -> None:
    await sync(MenuItem.objects.create)(
        restaurant=kitchen2.k.restaurant,
        sku="TOFU",
        name="Mapo tofu",
        warning_minutes=1,
        late_minutes=2,
    )
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    _, cookie = await sync(pair)(kitchen2.a)
    _, first = await connect(cookie)
    assert 'data-warn="60" data-late="120"' in first["tickets"][0][1]


@pytest.mark.parametrize(
    ("dish", "expected"),
    [
        # A slower dish does not make its ticket late later than the station says.
        ((10, 20), 'data-warn="300" data-late="480"'),
        # A quicker one makes it late sooner; each threshold is the stricter of the two.
        ((6, 7), 'data-warn="300" data-late="420"'),
        ((2, 20), 'data-warn="120" data-late="480"'),
        # Only one set: the station's other one still counts.
        ((None, 3), 'data-warn="120" data-late="180"'),
    ],
)
async def test_it_takes_the_stricter_of_the_dishs_and_the_stations_thresholds(
    kitchen2: Kitchen2, dish: tuple[int | None, int | None], expected: str
) -> None:
    """The station warns at 5 and is late at 8 minutes (the docs: the strictest wins)."""
    await sync(MenuItem.objects.create)(
        restaurant=kitchen2.k.restaurant,
        sku="TOFU",
        name="Mapo tofu",
        warning_minutes=dish[0],
        late_minutes=dish[1],
    )
    await sync(post_order)(kitchen2, order_body("o-1", number="1"))
    _, cookie = await sync(pair)(kitchen2.a)
    comm, first = await connect(cookie)
    assert expected in first["tickets"][0][1]
    await comm.disconnect()
