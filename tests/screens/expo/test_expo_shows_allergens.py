"""The pass is the last check before food leaves: expo shows the menu's allergens and
allergy notes with the station's black-on-yellow badge."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from orders.models import MenuItem
from tests.hotpot import HOTPOT, Kitchen, pair, place

pytestmark = pytest.mark.django_db(transaction=True)


def _page(cookie: str) -> str:
    client = Client()
    client.cookies["kds_screen"] = cookie
    return client.get("/screen/").content.decode()


def _badges(html: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r'<p class="[^"]*\ballergy\b[^"]*">(.*?)</p>', html, re.S)
    ]


def test_it_badges_allergens_and_allergy_notes_as_the_station_does(kitchen: Kitchen) -> None:
    MenuItem.objects.filter(sku="HP-BEEF").update(allergens="sesame, soy")
    items = [dict(HOTPOT[0]), HOTPOT[1], {**HOTPOT[2], "notes": "nut allergy, no peanuts"}]
    place(kitchen, number="42", notes="Shellfish allergy at the table", items=items)
    _, expo_cookie = pair(kitchen.expo, "Pass")
    _, cold_cookie = pair(kitchen.cold, "Cold")
    _, wok_cookie = pair(kitchen.wok, "Wok")

    expo = _badges(_page(expo_cookie))
    stations = _badges(_page(cold_cookie)) + _badges(_page(wok_cookie))

    assert any("ALLERGENS" in b and "sesame" in b for b in expo)
    assert any("nut allergy" in b for b in expo)
    assert any("Shellfish allergy" in b for b in expo)
    # The same words in the same badge as on the stations that cook the dishes.
    for text in ("sesame", "nut allergy"):
        assert [b for b in expo if text in b] == [b for b in stations if text in b]
