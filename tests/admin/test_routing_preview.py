"""The routing preview shows where each line would go, before anything is saved."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from orders.models import MenuItem, RoutingRule, Station
from tests.factories import EXAMPLES

URL = "admin:orders_routingrule_preview"


@pytest.fixture
def demo(db: None) -> None:
    call_command("kds_demo", stdout=open("/dev/null", "w"))


def result_rows(html: str) -> list[str]:
    table = html.split('id="kds-preview-result"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def test_it_shows_the_stations_of_a_dish_and_channel(demo: None, manager_client: Client) -> None:
    fish = MenuItem.objects.get(sku="GRL-FISH")
    response = manager_client.post(reverse(URL), {"menu_item": fish.pk, "channel": "dine_in"})
    assert response.status_code == 200
    [row] = result_rows(response.text)
    assert "Grilled fish: grill, then sauce in the wok" in row
    assert row.endswith("Wok 炒锅 Grill 烧烤 Expo 出菜")


def test_it_follows_the_channel(demo: None, manager_client: Client) -> None:
    plum = MenuItem.objects.get(sku="DRK-PLUM")
    dine_in = manager_client.post(reverse(URL), {"menu_item": plum.pk, "channel": "dine_in"})
    delivery = manager_client.post(reverse(URL), {"menu_item": plum.pk, "channel": "delivery"})
    assert "Drinks 饮品 Expo" in result_rows(dine_in.text)[0]
    assert "Cold dishes 凉菜 Expo" in result_rows(delivery.text)[0]


def test_it_previews_a_pasted_order(demo: None, manager_client: Client) -> None:
    body = (EXAMPLES / "05-scheduled-delivery.json").read_text()
    response = manager_client.post(reverse(URL), {"order_json": body, "channel": "dine_in"})
    rows = result_rows(response.text)
    assert len(rows) == 2
    assert "Mapo Tofu" in rows[0] and "Wok dishes" in rows[0]
    assert "Not on the menu" in rows[1] and "Wok 炒锅" in rows[1]


def test_it_reports_bad_json(demo: None, manager_client: Client) -> None:
    response = manager_client.post(
        reverse(URL), {"order_json": '{"items": [', "channel": "dine_in"}
    )
    assert "Not valid JSON" in str(response.context["form"].errors["order_json"])
    assert 'id="kds-preview-result"' not in response.text


def test_it_tries_a_draft_rule_without_saving_it(demo: None, manager_client: Client) -> None:
    beef = MenuItem.objects.get(sku="HP-BEEF")
    grill = Station.objects.get(slug="grill")
    before = RoutingRule.objects.count()
    response = manager_client.post(
        reverse(URL),
        {
            "menu_item": beef.pk,
            "channel": "dine_in",
            "draft": "on",
            "draft_position": "1",
            "draft_menu_item": beef.pk,
            "draft_stations": [grill.pk],
        },
    )
    [row] = result_rows(response.text)
    assert "Draft rule" in row and "Grill 烧烤 Expo" in row
    assert RoutingRule.objects.count() == before


def test_it_asks_for_a_dish_or_an_order(demo: None, manager_client: Client) -> None:
    response = manager_client.post(reverse(URL), {"channel": "dine_in"})
    assert "Pick a dish or paste an order." in response.text
