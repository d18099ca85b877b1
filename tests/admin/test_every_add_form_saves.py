"""Every admin add form saves what a manager fills in, inline rows included: a 302 and
the rows, never a 500. An admin registered without a case here fails the last test."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse

from orders.models import (
    Brand,
    BrandDish,
    MenuCategory,
    MenuItem,
    OrderSource,
    Printer,
    Restaurant,
    RoutingRule,
    Screen,
    Station,
    WebhookEndpoint,
)
from tests import factories
from tests.admin.forms import admin_form_data


@dataclass
class Case:
    """What a manager types into the add form; which rows it must make."""

    fill: Callable[[factories.Kitchen], dict[str, Any]]
    made: Callable[[factories.Kitchen], bool]
    add_rows: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


CASES: dict[str, Case] = {
    "auth.group": Case(
        lambda k: {"name": "Runners"}, lambda k: Group.objects.filter(name="Runners").exists()
    ),
    "auth.user": Case(
        lambda k: {
            "username": "newcook",
            "password1": "a-long-passphrase-9",
            "password2": "a-long-passphrase-9",
        },
        lambda k: User.objects.filter(username="newcook").exists(),
    ),
    "orders.restaurant": Case(
        lambda k: {
            "name": "Harbour",
            "slug": "harbour",
            "time_zone": "Asia/Shanghai",
            "language": "zh-hans",
        },
        lambda k: Restaurant.objects.filter(slug="harbour", language="zh-hans").exists(),
    ),
    "orders.brand": Case(
        lambda k: {"name": "Chongqing House", "slug": "cq"},
        lambda k: Brand.objects.filter(slug="cq").exists(),
    ),
    "orders.branddish": Case(
        lambda k: {
            "brand": str(Brand.objects.get_or_create(name="CQ", slug="cq")[0].pk),
            "sku": "BR-1",
            "name": "Chongqing Noodles",
            "name_zh": "重庆小面",
            "prep_minutes": "5",
            "default_course": "1",
            "is_active": "on",
        },
        lambda k: BrandDish.objects.filter(sku="BR-1").exists(),
    ),
    "orders.menucategory": Case(
        lambda k: {"name": "Seafood", "name_zh": "海鲜"},
        lambda k: MenuCategory.objects.filter(restaurant=k.restaurant, name="Seafood").exists(),
    ),
    "orders.menuitem": Case(
        lambda k: {
            "sku": "FISH",
            "name": "Steamed fish",
            "name_zh": "清蒸鱼",
            "prep_minutes": "12",
        },
        lambda k: MenuItem.objects.filter(restaurant=k.restaurant, sku="FISH").exists(),
    ),
    "orders.routingrule": Case(
        lambda k: {"name": "Fish to the kitchen", "stations": [str(k.fallback.pk)]},
        lambda k: RoutingRule.objects.filter(
            name="Fish to the kitchen", stations=k.fallback
        ).exists(),
    ),
    "orders.screen": Case(
        lambda k: {"station": str(k.expo.pk), "name": "Pass left"},
        lambda k: Screen.objects.filter(
            restaurant=k.restaurant, station=k.expo, name="Pass left"
        ).exists(),
    ),
    "orders.ordersource": Case(
        lambda k: {"name": "Website", "slug": "website"},
        lambda k: OrderSource.objects.filter(restaurant=k.restaurant, slug="website").exists(),
    ),
    "orders.printer": Case(
        lambda k: {
            "station": str(k.fallback.pk),
            "name": "Kitchen slips",
            "host": "192.0.2.10",
            "port": "9100",
        },
        lambda k: Printer.objects.filter(restaurant=k.restaurant, name="Kitchen slips").exists(),
    ),
    "orders.webhookendpoint": Case(
        lambda k: {"name": "Loyalty app", "url": "https://loyalty.example.com/kds"},
        lambda k: WebhookEndpoint.objects.filter(
            restaurant=k.restaurant, name="Loyalty app"
        ).exists(),
    ),
    # The station with a screen added in its inline ("Add another screen").
    "orders.station": Case(
        lambda k: {"name": "Grill", "slug": "grill", "screens-0-name": "Grill wall"},
        lambda k: Screen.objects.filter(
            restaurant=k.restaurant, station__slug="grill", name="Grill wall"
        ).exists(),
        add_rows=1,
    ),
}


def _addable() -> list[tuple[str, type[Model]]]:
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return sorted(
        (model._meta.label_lower, model)
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_add_permission(request)
    )


@pytest.fixture
def superuser_client(kitchen: factories.Kitchen) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("boss", password="x"))
    return client


@pytest.mark.parametrize("label", [label for label, _ in _addable()])
def test_the_add_form_saves_with_its_inlines_filled(
    kitchen: factories.Kitchen, superuser_client: Client, label: str
) -> None:
    case = CASES[label]
    app, model = label.split(".")
    url = reverse(f"admin:{app}_{model}_add")
    data = admin_form_data(superuser_client, url, add_rows=case.add_rows, **case.fill(kitchen))

    response = superuser_client.post(url, data)

    errors = response.context and [
        str(f.errors) for f in [response.context["adminform"].form] if f.errors
    ]
    assert response.status_code == 302, errors or response.content[:2000]
    assert case.made(kitchen)


def test_a_screen_added_in_the_station_inline_gets_its_pairing_link(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    url = reverse("admin:orders_station_change", args=[kitchen.expo.pk])
    data = admin_form_data(
        manager_client,
        url,
        add_rows=2,
        **{"screens-0-name": "Pass left", "screens-1-name": "Pass right"},
    )

    response = manager_client.post(url, data)

    assert response.status_code == 302
    screens = Screen.objects.filter(station=kitchen.expo).order_by("name")
    assert [s.name for s in screens] == ["Pass left", "Pass right"]
    assert all(s.restaurant_id == kitchen.restaurant.pk for s in screens)
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    for screen in screens:
        assert screen.pairing_url in said
        assert screen.pairing_expires_at is not None


def test_a_screen_changed_in_the_station_inline_redraws_the_station(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    screen = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.expo, name="Pass")
    seq = Station.objects.get(pk=kitchen.expo.pk).seq
    url = reverse("admin:orders_station_change", args=[kitchen.expo.pk])
    changes: dict[str, Any] = {"screens-0-font_size": "xl"}
    data = admin_form_data(manager_client, url, **changes)

    assert manager_client.post(url, data).status_code == 302

    screen.refresh_from_db()
    assert screen.font_size == "xl"
    assert Station.objects.get(pk=kitchen.expo.pk).seq > seq


def test_every_admin_that_can_add_has_a_case_here() -> None:
    assert sorted(CASES) == [label for label, _ in _addable()]
