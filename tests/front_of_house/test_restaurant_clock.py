"""One clock per restaurant: its time zone and its format (24 h or 12 h) on every screen
and list, whatever the server's zone."""

from __future__ import annotations

import json
import re
import zoneinfo
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from orders.boards.recall import recall_render
from orders.models import ClockFormat, Order, OrderStatus, Restaurant
from tests.hotpot import Kitchen, bump_all, foh_user, pair, place

pytestmark = pytest.mark.django_db(transaction=True)

ZONE = "Asia/Shanghai"


def _twelve_hour(kitchen: Kitchen) -> None:
    Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(
        time_zone=ZONE, clock_format=ClockFormat.H12
    )
    kitchen.restaurant.refresh_from_db()


def _local(when: object, fmt: str) -> str:
    assert hasattr(when, "astimezone")
    return when.astimezone(zoneinfo.ZoneInfo(ZONE)).strftime(fmt).lstrip("0")  # type: ignore[union-attr]


@pytest.mark.parametrize("clock", [ClockFormat.H12, ClockFormat.H24])
def test_it_lists_served_orders_in_the_restaurants_zone_and_clock(
    kitchen: Kitchen, clock: str
) -> None:
    Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(time_zone=ZONE, clock_format=clock)
    order = place(kitchen, number="5", channel="takeout")
    served_at = timezone.now() - timedelta(minutes=10)
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.SERVED, served_at=served_at)
    client = Client()
    client.force_login(foh_user())

    page = client.get("/foh/").content.decode()

    expected = _local(served_at, "%I:%M %p") if clock == ClockFormat.H12 else None
    if expected is None:
        expected = served_at.astimezone(zoneinfo.ZoneInfo(ZONE)).strftime("%H:%M")
    assert f"<td>{expected}</td>" in page
    config = json.loads(re.search(r'id="kds-config"[^>]*>(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    assert config["clock"] == {"time_zone": ZONE, "hour12": clock == ClockFormat.H12}


def test_it_gives_screens_the_restaurants_clock_and_recalls_in_it(kitchen: Kitchen) -> None:
    _twelve_hour(kitchen)
    order = place(kitchen, number="6")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    _, cookie = pair(kitchen.wok)
    client = Client()
    client.cookies["kds_screen"] = cookie

    page = client.get("/screen/").content.decode()
    config = json.loads(re.search(r'id="kds-config"[^>]*>(.*?)</script>', page, re.S)[1])  # type: ignore[index]
    assert config["clock"] == {"time_zone": ZONE, "hour12": True}

    html = recall_render(kitchen.wok, language="en")
    shown = re.search(r'class="recall-time"[^>]*>([^<]+)<', html)
    assert shown and re.fullmatch(r"\d{1,2}:\d\d [AP]M", shown[1]), html
    bumped = order.events.filter(kind="bumped").latest("at").at
    assert shown[1] == _local(bumped, "%I:%M %p")
