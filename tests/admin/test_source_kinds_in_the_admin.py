"""Order sources of every kind in the admin: the vendor's secret, the steps in English and
Chinese; outgoing webhooks; 86 from the menu's list."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from orders.models import (
    MenuItem,
    OrderSource,
    OutboxMessage,
    SourceKind,
    WebhookEndpoint,
)
from tests import factories

ADD = "admin:orders_ordersource_add"


def form(kitchen: factories.Kitchen, **fields: str) -> dict[str, Any]:
    return {
        "restaurant": kitchen.restaurant.pk,
        "name": "Square POS",
        "slug": "square-pos",
        "is_active": "on",
        "default_priority": "normal",
        "secrets-TOTAL_FORMS": "0",
        "secrets-INITIAL_FORMS": "0",
        "fetches-TOTAL_FORMS": "0",
        "fetches-INITIAL_FORMS": "0",
        **fields,
    }


def test_a_square_source_takes_squares_key_and_token_and_shows_the_steps(
    kitchen: factories.Kitchen, manager_client: Client, settings: Any
) -> None:
    settings.KDS_BASE_URL = "https://kds.example"
    response = manager_client.post(
        reverse(ADD),
        form(kitchen, kind="square", vendor_secret="sq-signature-key", api_token="EAAA-secret"),
    )
    assert response.status_code == 302, response.content
    source = OrderSource.objects.get(slug="square-pos")
    assert (source.kind, source.api_secret) == (SourceKind.SQUARE, "EAAA-secret")
    assert source.valid_secrets() == ["sq-signature-key"]

    change = reverse("admin:orders_ordersource_change", args=[source.pk])
    page = manager_client.get(change).content.decode()
    assert "https://kds.example/webhooks/square-pos/" in page
    assert "Webhooks → Subscriptions → Add subscription" in page
    assert "EAAA-secret" not in page and "sq-signature-key" not in page
    chinese = manager_client.get(change, headers={"accept-language": "zh-hans"}).content.decode()
    assert "在哪里粘贴什么" in chinese and "签名密钥" in chinese


def test_a_vendor_kind_needs_the_vendors_secret(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = manager_client.post(reverse(ADD), form(kitchen, kind="shopify"))
    assert response.status_code == 200
    assert "vendor_secret" in response.context["adminform"].form.errors
    assert not OrderSource.objects.filter(slug="square-pos").exists()


def test_a_woocommerce_source_gets_a_secret_we_make_shown_once(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = manager_client.post(reverse(ADD), form(kitchen, kind="woocommerce"), follow=True)
    [secret] = OrderSource.objects.get(slug="square-pos").valid_secrets()
    assert secret in response.content.decode() and not secret.startswith("whsec_")


def test_rotating_a_vendors_secret_from_the_list_asks_for_the_vendors_new_one(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    manager_client.post(reverse(ADD), form(kitchen, kind="shopify", vendor_secret="shopify-key-1"))
    source = OrderSource.objects.get(slug="square-pos")
    response = manager_client.post(
        reverse("admin:orders_ordersource_changelist"),
        {"action": "rotate_secrets", "_selected_action": [source.pk]},
        follow=True,
    )
    assert "paste its new one" in response.content.decode()
    assert source.valid_secrets() == ["shopify-key-1"]


def test_an_outgoing_webhook_is_set_up_in_the_admin(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = manager_client.post(
        reverse("admin:orders_webhookendpoint_add"),
        {
            "restaurant": kitchen.restaurant.pk,
            "name": "Ops dashboard",
            "url": "https://ops.example/kds",
            "events": ["order.ready", "menu_item.unavailable"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["order.ready", "menu_item.unavailable"]
    page = manager_client.get(
        reverse("admin:orders_webhookendpoint_change", args=[endpoint.pk])
    ).content.decode()
    assert endpoint.secret in page and "Delivering" in page


def test_86_from_the_menus_list(kitchen: factories.Kitchen, manager_client: Client) -> None:
    dish = MenuItem.objects.create(restaurant=kitchen.restaurant, sku="MAPO", name="Mapo tofu")
    WebhookEndpoint.objects.create(restaurant=kitchen.restaurant, name="x", url="https://x.test/")
    changelist = reverse("admin:orders_menuitem_changelist")

    manager_client.post(changelist, {"action": "sold_out", "_selected_action": [dish.pk]})
    dish.refresh_from_db()
    assert not dish.is_available and dish.unavailable_since is not None
    assert "86 — sold out since" in manager_client.get(changelist).content.decode()
    assert OutboxMessage.objects.get().event_type == "menu_item.unavailable"

    manager_client.post(changelist, {"action": "back_on", "_selected_action": [dish.pk]})
    dish.refresh_from_db()
    assert dish.is_available
    assert OutboxMessage.objects.filter(event_type="menu_item.available").count() == 1
