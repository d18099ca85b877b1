"""Screens in the admin: a pairing link on creation, new links, revocation, live display options."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from orders.live.groups import station_group
from orders.models import Screen, Station
from tests import factories
from tests.admin.forms import admin_form_data
from tests.conftest import SocketLayer, layer_receive


def screen_data(kitchen: factories.Kitchen, **changes: str) -> dict[str, str]:
    data = {
        "restaurant": str(kitchen.restaurant.pk),
        "station": str(kitchen.expo.pk),
        "name": "Pass",
        "font_size": "m",
        "show_all_day": "on",
        "announce": "off",
        "speech_volume": "1.0",
        "chime_before_speaking": "on",
    }
    data.update(changes)
    return data


def test_it_shows_a_pairing_link_for_a_new_screen(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = manager_client.post(reverse("admin:orders_screen_add"), screen_data(kitchen))
    assert response.status_code == 302
    screen = Screen.objects.get()
    assert screen.pairing_expires_at is not None
    messages = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert screen.pairing_url in messages
    page = manager_client.get(reverse("admin:orders_screen_change", args=[screen.pk]))
    assert screen.pairing_url in page.text


def test_it_makes_a_new_pairing_link(kitchen: factories.Kitchen, manager_client: Client) -> None:
    screen = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.expo, name="Pass")
    old = screen.pairing_token
    url = reverse("admin:orders_screen_pair", args=[screen.pk])
    assert manager_client.get(url).status_code == 200  # asks first
    assert Screen.objects.get(pk=screen.pk).pairing_token == old
    response = manager_client.post(url)
    assert response.status_code == 302
    screen.refresh_from_db()
    assert screen.pairing_token and screen.pairing_token != old


def test_it_revokes_a_screen(kitchen: factories.Kitchen, manager_client: Client) -> None:
    screen = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.expo, name="Pass")
    response = manager_client.post(reverse("admin:orders_screen_revoke", args=[screen.pk]))
    assert response.status_code == 302
    screen.refresh_from_db()
    assert screen.revoked_at is not None
    assert screen.pairing_token is None


@pytest.mark.parametrize(
    ("view", "asks", "says"),
    [
        ("pair", "New pairing link for Pass", "Pairing link (works once):"),
        ("revoke", "Revoke Pass", "Pass is revoked."),
        ("voice_test", "Test the voice of Pass", "Pass is saying the test phrase now."),
    ],
)
def test_it_asks_before_each_screen_action_and_says_what_it_did(
    kitchen: factories.Kitchen, manager_client: Client, view: str, asks: str, says: str
) -> None:
    screen = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.expo, name="Pass")
    url = reverse(f"admin:orders_screen_{view}", args=[screen.pk])

    page = manager_client.get(url)
    assert page.status_code == 200 and asks in page.text
    response = manager_client.post(url)

    assert response["Location"] == reverse("admin:orders_screen_change", args=[screen.pk])
    assert says in " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_it_revokes_screens_from_the_list(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    screens = [
        Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.expo, name=f"S{i}")
        for i in range(2)
    ]
    response = manager_client.post(
        reverse("admin:orders_screen_changelist"),
        {"action": "revoke_screens", "_selected_action": [s.pk for s in screens]},
    )
    assert response.status_code == 302
    assert Screen.objects.filter(revoked_at__isnull=False).count() == 2


def test_it_refuses_a_station_of_another_restaurant(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    other = factories.make_kitchen("other")
    response = manager_client.post(
        reverse("admin:orders_screen_add"), screen_data(kitchen, station=str(other.expo.pk))
    )
    assert response.status_code == 200
    assert "station" in response.context["adminform"].form.errors


@pytest.mark.django_db(transaction=True)
def test_it_tells_the_station_when_display_options_change(
    socket_layer: SocketLayer, manager_client: Client
) -> None:
    kitchen = factories.make_kitchen()
    screen = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.expo, name="Pass")
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(station_group(kitchen.expo.pk), channel)
    url = reverse("admin:orders_screen_change", args=[screen.pk])
    response = manager_client.post(url, admin_form_data(manager_client, url, font_size="xl"))
    assert response.status_code == 302
    message = layer_receive(channel)
    assert message["type"] == "station.changed"
    assert message["seq"] == Station.objects.get(pk=kitchen.expo.pk).seq == kitchen.expo.seq + 1
    assert Screen.objects.get(pk=screen.pk).font_size == "xl"


def test_it_keeps_a_pairing_that_happened_while_the_form_was_open(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    screen = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.expo, name="Pass")
    url = reverse("admin:orders_screen_change", args=[screen.pk])
    data = admin_form_data(manager_client, url, font_size="l")
    paired = Client().post(
        "/pair/", {"token": screen.pairing_token, "confirm": "1"}
    )  # the device pairs meanwhile
    assert paired.status_code == 302
    assert manager_client.post(url, data).status_code == 302
    screen.refresh_from_db()
    assert screen.paired_at is not None
    assert screen.font_size == "l"
