"""A new expo screen says ready orders out loud without anyone finding the setting; a
prep screen stays silent; a screen that exists keeps what it had."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from orders.models import Announce, Screen, StationKind
from tests import factories
from tests.browser.server import database_env
from tests.settings_probe import ROOT


def add_screen_by_command(station: str) -> str:
    """`manage.py kds_screen add --station S --json`, run as a manager would."""
    env = {**os.environ, **database_env(dict(connection.settings_dict))}
    done = subprocess.run(
        [sys.executable, "manage.py", "kds_screen", "add", "--station", station, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return str(json.loads(done.stdout)["url"]).rsplit("#", 1)[1]


def paired(token: str) -> Client:
    client = Client()
    assert client.post("/pair/", {"token": token, "confirm": "1"}).status_code == 302
    return client


def page(client: Client) -> str:
    response = client.get("/screen/")
    assert response.status_code == 200
    return response.content.decode()


def screen_page(token: str) -> str:
    return page(paired(token))


def config(html: str) -> dict[str, object]:
    found = re.search(r'<script id="kds-config" type="application/json">(.*?)</script>', html, re.S)
    assert found
    return dict(json.loads(found.group(1)))


@pytest.mark.django_db(transaction=True)
def test_a_new_expo_screen_announces_whole_orders() -> None:
    factories.make_kitchen()

    html = screen_page(add_screen_by_command("expo"))

    assert config(html)["speech"]["announce"] == Announce.ORDER  # type: ignore[index]
    assert "data-test-voice" in html
    assert Screen.objects.get().announce == Announce.STATION


@pytest.mark.django_db(transaction=True)
def test_a_new_prep_screen_is_silent_until_its_station_becomes_expo() -> None:
    kitchen = factories.make_kitchen()
    kitchen.fallback.is_fallback = False
    kitchen.fallback.save()

    device = paired(add_screen_by_command("kitchen"))
    assert "speech" not in config(page(device))

    kitchen.fallback.kind = StationKind.EXPO
    kitchen.fallback.save()

    assert config(page(device))["speech"]["announce"] == Announce.ORDER  # type: ignore[index]


@pytest.mark.django_db(transaction=True)
def test_a_screen_that_chose_keeps_its_choice() -> None:
    factories.make_kitchen()
    token = add_screen_by_command("expo")
    Screen.objects.update(announce=Announce.ITEM)

    assert config(screen_page(token))["speech"]["announce"] == Announce.ITEM  # type: ignore[index]


BEFORE = ("orders", "0007_sources_outbox_86")
AFTER = ("orders", "0008_screen_announce_as_station")


def test_the_migration_keeps_existing_silent_expo_screens_silent_and_says_so(
    capsys: pytest.CaptureFixture[str], migrate_to: Any
) -> None:
    executor = migrate_to(BEFORE)
    old = executor.loader.project_state([BEFORE]).apps
    restaurant = old.get_model("orders", "Restaurant").objects.create(name="Old", slug="old")
    station = old.get_model("orders", "Station")
    expo = station.objects.create(restaurant=restaurant, name="Pass", slug="pass", kind="expo")
    prep = station.objects.create(restaurant=restaurant, name="Wok", slug="wok")
    screen = old.get_model("orders", "Screen")
    screen.objects.create(restaurant=restaurant, station=expo, name="Pass left")  # the old default
    screen.objects.create(restaurant=restaurant, station=expo, name="Pass right", announce="item")
    screen.objects.create(restaurant=restaurant, station=prep, name="Wok wall")

    migrate_to(AFTER)

    assert dict(Screen.objects.values_list("name", "announce")) == {
        "Pass left": "off",
        "Pass right": "item",
        "Wok wall": "off",
    }
    said = capsys.readouterr().out
    assert "1 expo screen(s) stay silent as before (Pass left)" in said
    assert "As the station" in said
