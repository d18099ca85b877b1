from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

from tests import factories


def run(*args: str) -> str:
    out = StringIO()
    call_command("kds_station", *args, stdout=out)
    return out.getvalue()


def test_it_lists_stations_as_json(kitchen: factories.Kitchen) -> None:
    rows = json.loads(run("list", "--json"))
    assert [(r["slug"], r["name"], r["kind"], r["fallback"]) for r in rows] == [
        ("kitchen", "Kitchen", "prep", True),
        ("expo", "Expo", "expo", False),
    ]


def test_it_lists_stations_as_text(kitchen: factories.Kitchen) -> None:
    lines = run("list").splitlines()
    assert lines[0].split()[:3] == ["kitchen", "prep", "fallback"]
    assert lines[1].split()[:2] == ["expo", "expo"]
