from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from orders.models import Screen
from tests import factories


def run(*args: str) -> str:
    out = StringIO()
    call_command("kds_screen", *args, stdout=out)
    return out.getvalue()


def test_it_adds_a_screen_and_prints_its_pairing_url(kitchen: factories.Kitchen, settings) -> None:
    settings.KDS_BASE_URL = "https://kds.example"
    data = json.loads(run("add", "--station", "expo", "--name", "Pass left", "--json"))
    screen = Screen.objects.get(name="Pass left")
    assert screen.station == kitchen.expo
    assert data["url"] == f"https://kds.example/pair/#{screen.pairing_token}"
    assert screen.pairing_expires_at is not None
    assert screen.paired_at is None


def test_it_prints_just_the_url_without_json(kitchen: factories.Kitchen) -> None:
    out = run("add", "--station", "kitchen").strip()
    screen = Screen.objects.get()
    assert out == screen.pairing_url
    assert screen.name == "Kitchen screen"


def test_it_refuses_an_unknown_station(kitchen: factories.Kitchen) -> None:
    with pytest.raises(CommandError, match="No station with slug 'grill'"):
        run("add", "--station", "grill")
    assert not Screen.objects.exists()
