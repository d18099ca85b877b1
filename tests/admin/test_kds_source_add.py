from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from orders.models import OrderSource, Restaurant
from tests import factories


def run(*args: str) -> str:
    out = StringIO()
    call_command("kds_source", *args, stdout=out)
    return out.getvalue()


def test_it_adds_a_source_and_prints_its_url_and_secret(
    kitchen: factories.Kitchen, settings
) -> None:
    settings.KDS_BASE_URL = "https://kds.example"
    data = json.loads(run("add", "ubereats", "--name", "Uber Eats", "--json"))
    source = OrderSource.objects.get(slug="ubereats")
    assert data == {
        "slug": "ubereats",
        "kind": "standard",
        "url": "https://kds.example/webhooks/ubereats/",
        "secret": source.valid_secrets()[0],
        "setup": data["setup"],
    }
    assert "https://kds.example/webhooks/ubereats/" in data["setup"][0]
    assert data["secret"].startswith("whsec_")
    assert source.name == "Uber Eats"
    assert source.restaurant == kitchen.restaurant


def test_it_prints_url_and_secret_as_text(kitchen: factories.Kitchen) -> None:
    out = run("add", "web")
    secret = OrderSource.objects.get(slug="web").valid_secrets()[0]
    assert "/webhooks/web/" in out
    assert secret in out


def test_it_refuses_a_duplicate_slug(kitchen: factories.Kitchen) -> None:
    with pytest.raises(CommandError, match="already exists"):
        run("add", kitchen.source.slug)
    assert OrderSource.objects.filter(slug=kitchen.source.slug).count() == 1


def test_it_refuses_an_invalid_slug(kitchen: factories.Kitchen) -> None:
    with pytest.raises(CommandError, match="not a valid slug"):
        run("add", "no spaces/please")


def test_it_fails_clearly_without_a_restaurant(db: None) -> None:
    with pytest.raises(CommandError, match="no restaurant"):
        run("add", "pos")
    assert not OrderSource.objects.exists()


def test_it_asks_which_restaurant_when_there_are_several(kitchen: factories.Kitchen) -> None:
    other = Restaurant.objects.create(name="Other", slug="other")
    with pytest.raises(CommandError, match="--restaurant"):
        run("add", "web")
    run("add", "web", "--restaurant", "other")
    assert OrderSource.objects.get(slug="web").restaurant == other


def test_it_refuses_an_unknown_restaurant(kitchen: factories.Kitchen) -> None:
    with pytest.raises(CommandError, match="No restaurant with slug 'nowhere'"):
        run("add", "web", "--restaurant", "nowhere")
