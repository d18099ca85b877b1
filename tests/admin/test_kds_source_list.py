from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from tests import factories


def run(*args: str) -> str:
    out = StringIO()
    call_command("kds_source", *args, stdout=out)
    return out.getvalue()


def test_it_lists_sources_without_secrets(kitchen: factories.Kitchen, settings) -> None:
    settings.KDS_BASE_URL = "https://kds.example"
    out = run("list")
    assert kitchen.source.slug in out
    assert f"https://kds.example/webhooks/{kitchen.source.slug}/" in out
    assert kitchen.secret not in out


def test_it_lists_as_json(kitchen: factories.Kitchen) -> None:
    rows = json.loads(run("list", "--json"))
    assert [r["slug"] for r in rows] == [kitchen.source.slug]
    assert rows[0]["active"] is True
    assert "secret" not in rows[0]


def test_it_says_when_there_are_none(db: None) -> None:
    assert "No order sources" in run("list")
