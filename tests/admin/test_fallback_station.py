"""A restaurant has exactly one fallback station, and the admin says so clearly."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from orders.models import Station, StationKind
from tests import factories
from tests.admin.forms import admin_form_data


def test_it_refuses_to_untick_the_only_fallback(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    url = reverse("admin:orders_station_change", args=[kitchen.fallback.pk])
    response = manager_client.post(url, admin_form_data(manager_client, url, is_fallback=None))
    assert response.status_code == 200
    assert "exactly one fallback station" in str(response.context["adminform"].form.errors)
    assert Station.objects.get(pk=kitchen.fallback.pk).is_fallback


def test_it_moves_the_fallback_when_another_station_takes_it(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    grill = Station.objects.create(restaurant=kitchen.restaurant, name="Grill", slug="grill")
    url = reverse("admin:orders_station_change", args=[grill.pk])
    response = manager_client.post(url, admin_form_data(manager_client, url, is_fallback="on"))
    assert response.status_code == 302
    assert list(Station.objects.filter(is_fallback=True)) == [grill]


def test_it_refuses_an_expo_fallback(kitchen: factories.Kitchen, manager_client: Client) -> None:
    url = reverse("admin:orders_station_change", args=[kitchen.expo.pk])
    response = manager_client.post(url, admin_form_data(manager_client, url, is_fallback="on"))
    assert response.status_code == 200
    assert "must be a prep station" in str(response.context["adminform"].form.errors)
    assert list(Station.objects.filter(is_fallback=True)) == [kitchen.fallback]


def test_it_asks_for_a_fallback_when_a_restaurant_has_none(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    Station.objects.all().delete()
    data = {
        "restaurant": str(kitchen.restaurant.pk),
        "name": "Wok",
        "slug": "wok",
        "kind": StationKind.PREP,
        "colour": "#ff0000",
        "position": "1",
        "warning_minutes": "5",
        "late_minutes": "8",
        "speech_rate": "1.0",
        "held_course_display": "show",
        "screens-TOTAL_FORMS": "0",
        "screens-INITIAL_FORMS": "0",
    }
    url = reverse("admin:orders_station_add")
    response = manager_client.post(url, data)
    assert response.status_code == 200
    assert "has no fallback station yet" in str(response.context["adminform"].form.errors)
    response = manager_client.post(url, {**data, "is_fallback": "on"})
    assert response.status_code == 302
    assert Station.objects.get().is_fallback
