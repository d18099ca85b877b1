"""GET / is a start page: what this is, links to every page, how to pair a screen, and for a
manager the screens with their state."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from orders.models import Screen
from tests import factories
from tests.reports.users import front_of_house, kitchen_manager

pytestmark = pytest.mark.django_db


def screens(kitchen: factories.Kitchen) -> dict[str, Screen]:
    now = timezone.now()
    make = Screen.objects.create
    r, s = kitchen.restaurant, kitchen.fallback
    return {
        "online": make(
            restaurant=r,
            station=s,
            name="Wok wall",
            paired_at=now - timedelta(days=2),
            connected_at=now - timedelta(hours=1),
            last_seen_at=now - timedelta(seconds=5),
        ),
        "offline": make(
            restaurant=r,
            station=kitchen.expo,
            name="Pass",
            paired_at=now - timedelta(days=2),
            connected_at=now - timedelta(hours=3),
            last_seen_at=now - timedelta(minutes=42, seconds=5),
            disconnected_at=now - timedelta(minutes=42),
        ),
        "never": make(restaurant=r, station=s, name="Spare tablet"),
        "revoked": make(
            restaurant=r,
            station=s,
            name="Old tablet",
            paired_at=now - timedelta(days=9),
            revoked_at=now - timedelta(days=1),
        ),
    }


def row(html: str, screen: Screen) -> str:
    found = re.search(rf'<tr class="presence-[^"]+" data-screen="{screen.pk}">.*?</tr>', html, re.S)
    assert found, f"no row for {screen.name}"
    return found.group(0)


def test_it_says_what_this_is_and_links_every_page(kitchen: factories.Kitchen) -> None:
    response = Client().get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "kitchen display system" in html
    for href in ('href="/admin/"', 'href="/reports/"', 'href="/foh/"'):
        assert href in html
    assert kitchen.restaurant.name in html
    assert "Pair a screen" in html


def test_it_shows_a_visitor_no_screens_and_no_secret_link(kitchen: factories.Kitchen) -> None:
    screens(kitchen)

    html = Client().get("/").content.decode()

    assert "/pickup/" not in html
    assert "Wok wall" not in html
    assert "Sign in as a manager" in html
    assert "kds_pickup_link" in html


def test_it_shows_a_manager_each_screen_and_its_state(kitchen: factories.Kitchen) -> None:
    made = screens(kitchen)
    client = Client()
    client.force_login(kitchen_manager())

    html = client.get("/").content.decode()

    assert "Online" in row(html, made["online"])
    offline = row(html, made["offline"])
    assert "Offline" in offline and "for 42" in offline
    assert "Never paired" in row(html, made["never"])
    assert "Revoked" in row(html, made["revoked"])
    assert "1 online" in html


def test_it_gives_front_of_house_the_pickup_link_but_not_the_screens(
    kitchen: factories.Kitchen,
) -> None:
    screens(kitchen)
    client = Client()
    client.force_login(front_of_house())

    html = client.get("/").content.decode()

    link = re.search(r'href="/pickup/#([^"]+)"', html)
    assert link
    # The link is the board's: its code, posted as the board's page does, opens it.
    board = Client()
    assert board.post("/pickup/", {"token": link.group(1)}).status_code == 302
    assert "data-preparing" in board.get("/pickup/").content.decode()
    assert "Wok wall" not in html


def test_it_lists_the_command_that_pairs_each_station(kitchen: factories.Kitchen) -> None:
    html = Client().get("/").content.decode()

    assert "manage.py kds_screen add --station kitchen" in html
    assert "manage.py kds_screen add --station expo" in html


def test_it_speaks_chinese_to_a_chinese_browser(kitchen: factories.Kitchen) -> None:
    html = Client().get("/", headers={"accept-language": "zh-hans"}).content.decode()

    assert 'lang="zh-hans"' in html
    assert "厨房显示" in html


def test_it_answers_only_get(kitchen: factories.Kitchen) -> None:
    assert Client().post("/").status_code == 405


@settings(max_examples=40, deadline=None)
@given(query=st.text(max_size=200))
def test_any_query_string_still_gets_the_page(query: str) -> None:
    response = Client().get("/", {"r": query, "next": query})
    assert response.status_code == 200
