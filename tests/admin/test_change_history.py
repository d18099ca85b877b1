"""Change history on stations, menu items and rules: who changed what, and revert."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from orders.models import MenuItem, RoutingRule, Station
from tests import factories
from tests.admin.forms import admin_form_data


def test_it_records_who_changed_a_station_and_reverts(
    kitchen: factories.Kitchen, manager: User, manager_client: Client
) -> None:
    url = reverse("admin:orders_station_change", args=[kitchen.fallback.pk])
    manager_client.post(url, admin_form_data(manager_client, url, late_minutes="12"))
    latest = kitchen.fallback.history.first()  # type: ignore[attr-defined]
    assert latest.history_user == manager
    assert latest.late_minutes == 12
    page = manager_client.get(reverse("admin:orders_station_history", args=[kitchen.fallback.pk]))
    assert "manager" in page.text

    original = kitchen.fallback.history.order_by("history_date").first()  # type: ignore[attr-defined]
    revert_url = reverse(
        "admin:orders_station_simple_history", args=[kitchen.fallback.pk, original.history_id]
    )
    response = manager_client.post(revert_url, admin_form_data(manager_client, revert_url))
    assert response.status_code == 302
    station = Station.objects.get(pk=kitchen.fallback.pk)
    assert station.late_minutes == 8
    assert station.seq == kitchen.fallback.seq + 2  # the save and the revert reached the screens


def test_it_records_menu_item_changes(kitchen: factories.Kitchen, manager_client: Client) -> None:
    item = MenuItem.objects.create(restaurant=kitchen.restaurant, sku="A", name="Soup")
    url = reverse("admin:orders_menuitem_change", args=[item.pk])
    assert (
        manager_client.post(url, admin_form_data(manager_client, url, prep_minutes="9")).status_code
        == 302
    )
    assert [h.prep_minutes for h in item.history.all()] == [9, 5]  # type: ignore[attr-defined]


def test_it_records_rule_station_changes(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    grill = Station.objects.create(restaurant=kitchen.restaurant, name="Grill", slug="grill")
    rule = RoutingRule.objects.create(restaurant=kitchen.restaurant, position=1, name="R")
    rule.stations.set([kitchen.fallback])
    url = reverse("admin:orders_routingrule_change", args=[rule.pk])
    data = admin_form_data(manager_client, url, stations=[str(grill.pk)])
    assert manager_client.post(url, data).status_code == 302
    latest = rule.history.first()  # type: ignore[attr-defined]
    assert [s.station_id for s in latest.stations.all()] == [grill.pk]


def test_it_reverts_a_rules_stations(kitchen: factories.Kitchen, manager_client: Client) -> None:
    grill = Station.objects.create(restaurant=kitchen.restaurant, name="Grill", slug="grill")
    url = reverse("admin:orders_routingrule_add")
    data = {
        "restaurant": str(kitchen.restaurant.pk),
        "position": "1",
        "name": "R",
        "is_active": "on",
        "stations": [str(kitchen.fallback.pk)],
    }
    assert manager_client.post(url, data).status_code == 302
    rule = RoutingRule.objects.get()
    change = reverse("admin:orders_routingrule_change", args=[rule.pk])
    edited = admin_form_data(manager_client, change, stations=[str(grill.pk)])
    assert manager_client.post(change, edited).status_code == 302
    assert list(rule.stations.all()) == [grill]

    records = list(rule.history.order_by("history_date", "history_id"))  # type: ignore[attr-defined]
    first = next(
        r for r in records if [s.station_id for s in r.stations.all()] == [kitchen.fallback.pk]
    )
    revert = reverse("admin:orders_routingrule_simple_history", args=[rule.pk, first.history_id])
    response = manager_client.post(revert, admin_form_data(manager_client, revert))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(rule.stations.all()) == [kitchen.fallback]
