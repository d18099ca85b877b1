"""A dish's own thresholds reach the screens that show it, without a reload."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.test import Client
from django.urls import reverse

from orders.live.groups import station_group
from orders.models import MenuItem, Station
from tests import factories
from tests.admin.forms import admin_form_data
from tests.conftest import SocketLayer, layer_receive


def post_order(kitchen: factories.Kitchen) -> None:
    body = factories.order_body(
        "o-1", items=[{"id": "1", "sku": "TOFU", "name": "Tofu", "quantity": 1}]
    )
    response = factories.post_webhook(kitchen.source.slug, kitchen.secret, body)
    assert response.status_code == 201


@pytest.mark.django_db(transaction=True)
def test_it_tells_the_stations_showing_the_dish(
    socket_layer: SocketLayer, manager_client: Client
) -> None:
    kitchen = factories.make_kitchen()
    tofu = MenuItem.objects.create(restaurant=kitchen.restaurant, sku="TOFU", name="Tofu")
    post_order(kitchen)
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(station_group(kitchen.fallback.pk), channel)
    before = Station.objects.get(pk=kitchen.fallback.pk).seq

    url = reverse("admin:orders_menuitem_change", args=[tofu.pk])
    data = admin_form_data(manager_client, url, warning_minutes="2", late_minutes="4")
    assert manager_client.post(url, data).status_code == 302

    message = layer_receive(channel)
    assert message["type"] == "station.changed"
    assert message["seq"] == before + 1
