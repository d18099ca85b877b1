"""The routing preview answers "Show routing" in place (htmx): an htmx request gets the
result partial the page itself renders, the form stays; without htmx, the whole page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import MenuItem, Station
from tests.admin.test_routing_preview import result_rows

URL = "admin:orders_routingrule_preview"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def demo(db: None) -> None:
    call_command("kds_demo", stdout=open("/dev/null", "w"))


def test_it_answers_an_htmx_request_with_the_result_alone(
    demo: None, manager_client: Client
) -> None:
    fish = MenuItem.objects.get(sku="GRL-FISH")

    response = manager_client.post(
        reverse(URL), {"menu_item": fish.pk, "channel": "dine_in"}, headers=HTMX
    )

    html = response.text
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="kds-preview-out">')
    assert "<form" not in html and "<html" not in html
    [row] = result_rows(html)
    assert row.endswith("Wok 炒锅 Grill 烧烤 Expo 出菜")
    assert "HX-Request" in response["Vary"]


def test_it_renders_the_same_result_in_the_page(demo: None, manager_client: Client) -> None:
    fish = MenuItem.objects.get(sku="GRL-FISH")
    data = {"menu_item": fish.pk, "channel": "dine_in"}

    page = manager_client.post(reverse(URL), data).text
    swap = manager_client.post(reverse(URL), data, headers=HTMX).text.strip()

    assert "<html" in page and 'hx-post="/admin/orders/routingrule/preview/"' in page
    assert swap in page
    assert "errornote" not in swap


def test_it_lists_the_errors_in_the_swapped_result(demo: None, manager_client: Client) -> None:
    response = manager_client.post(
        reverse(URL), {"order_json": '{"items": [', "channel": "dine_in"}, headers=HTMX
    )

    html = response.text
    assert html.lstrip().startswith('<div id="kds-preview-out">')
    assert "Please correct the errors below." in html and "Not valid JSON" in html
    assert 'id="kds-preview-result"' not in html


def test_it_says_a_dish_no_station_cooks_is_ready_at_once(
    demo: None, manager_client: Client
) -> None:
    Station.objects.filter(is_fallback=True).update(is_fallback=False)
    body = '{"items": [{"id": "1", "name": "Tap water", "quantity": 1}]}'

    response = manager_client.post(
        reverse(URL), {"order_json": body, "channel": "dine_in"}, headers=HTMX
    )

    [row] = result_rows(response.text)
    assert "ready at the pass at once" in row and row.endswith("Expo 出菜")


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    order_json=st.one_of(
        st.text(max_size=200),
        st.just('{"items": [' * 5000),
        st.just('{"items": [{"sku": "\\u0000"}]}'),
        st.just('{"items": [{"name": 18446744073709551616}]}'),
    ),
    channel=st.sampled_from(["dine_in", "", "x" * 500, "\x00"]),
)
def test_it_never_fails_a_swap_whatever_is_pasted(
    demo: None, manager_client: Client, order_json: str, channel: str
) -> None:
    response = manager_client.post(
        reverse(URL), {"order_json": order_json, "channel": channel}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="kds-preview-out">')
