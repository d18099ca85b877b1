"""Order sources in the admin: a secret on creation, rotation as an action."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from orders.models import OrderSource
from tests import factories


def test_it_shows_the_secret_of_a_new_source_once(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = manager_client.post(
        reverse("admin:orders_ordersource_add"),
        {
            "restaurant": kitchen.restaurant.pk,
            "name": "Web shop",
            "slug": "web",
            "is_active": "on",
            "default_priority": "normal",
            "secrets-TOTAL_FORMS": "0",
            "secrets-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][1] == 302
    source = OrderSource.objects.get(slug="web")
    [secret] = source.valid_secrets()
    assert secret in response.text
    page = manager_client.get(reverse("admin:orders_ordersource_change", args=[source.pk]))
    assert secret not in page.text
    assert "/webhooks/web/" in page.text


def test_it_rotates_secrets_from_the_list(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = manager_client.post(
        reverse("admin:orders_ordersource_changelist"),
        {"action": "rotate_secrets", "_selected_action": [kitchen.source.pk]},
    )
    assert response.status_code == 302
    valid = kitchen.source.valid_secrets()
    assert len(valid) == 2 and kitchen.secret in valid
    new = next(s for s in valid if s != kitchen.secret)
    assert any(new in str(m) for m in get_messages(response.wsgi_request))


def test_it_deactivates_a_source_in_the_list(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = manager_client.post(
        reverse("admin:orders_ordersource_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(kitchen.source.pk),
            "form-0-default_priority": "rush",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    source = OrderSource.objects.get(pk=kitchen.source.pk)
    assert (source.is_active, source.default_priority) == (False, "rush")
