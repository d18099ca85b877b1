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
