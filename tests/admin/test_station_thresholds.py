"""Station thresholds: validated, saved, and told to open screens without a reload."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.test import Client
from django.urls import reverse

from orders.live.groups import station_group
from orders.models import Station
from tests import factories
from tests.admin.forms import admin_form_data
from tests.conftest import SocketLayer, layer_receive


def change_url(station: Station) -> str:
    return reverse("admin:orders_station_change", args=[station.pk])


def test_it_saves_thresholds(kitchen: factories.Kitchen, manager_client: Client) -> None:
    url = change_url(kitchen.fallback)
    data = admin_form_data(manager_client, url, warning_minutes="6", late_minutes="11")
    response = manager_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    station = Station.objects.get(pk=kitchen.fallback.pk)
    assert (station.warning_minutes, station.late_minutes) == (6, 11)
    assert station.seq == kitchen.fallback.seq + 1


def test_it_refuses_a_warning_at_or_after_late(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    url = change_url(kitchen.fallback)
    station = Station.objects.get(pk=kitchen.fallback.pk)
    assert (station.warning_minutes, station.late_minutes) == (5, 8)  # the defaults
    response = manager_client.post(
        url, admin_form_data(manager_client, url, warning_minutes="12", late_minutes="12")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "The warning must come before late." in errors["warning_minutes"]
    station.refresh_from_db()
    assert (station.warning_minutes, station.late_minutes) == (5, 8)  # neither was saved


def test_it_refuses_bad_thresholds_in_the_list_too(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    url = reverse("admin:orders_station_changelist")
    stations = list(Station.objects.order_by("position", "name"))
    data = {
        "form-TOTAL_FORMS": str(len(stations)),
        "form-INITIAL_FORMS": str(len(stations)),
        "_save": "Save",
    }
    for i, s in enumerate(stations):
        data[f"form-{i}-id"] = str(s.pk)
        data[f"form-{i}-position"] = str(s.position)
        data[f"form-{i}-warning_minutes"] = "9" if s == kitchen.fallback else str(s.warning_minutes)
        data[f"form-{i}-late_minutes"] = str(s.late_minutes)
    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert "The warning must come before late." in response.text
    assert Station.objects.get(pk=kitchen.fallback.pk).warning_minutes == 5


def test_it_does_not_bump_the_screens_when_nothing_they_show_changed(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    url = change_url(kitchen.fallback)
    response = manager_client.post(url, admin_form_data(manager_client, url))
    assert response.status_code == 302
    assert Station.objects.get(pk=kitchen.fallback.pk).seq == kitchen.fallback.seq


@pytest.mark.django_db(transaction=True)
def test_it_tells_the_stations_group_after_a_save(
    socket_layer: SocketLayer, manager_client: Client
) -> None:
    kitchen = factories.make_kitchen()
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(station_group(kitchen.fallback.pk), channel)
    url = change_url(kitchen.fallback)
    response = manager_client.post(
        url, admin_form_data(manager_client, url, warning_minutes="3", late_minutes="4")
    )
    assert response.status_code == 302
    message = layer_receive(channel)
    assert message == {
        "type": "station.changed",
        "seq": Station.objects.get(pk=kitchen.fallback.pk).seq,
        "reason": "settings",
    }
