from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests import factories


def run(*args: str) -> str:
    out = StringIO()
    call_command("kds_source", *args, stdout=out)
    return out.getvalue()


def test_it_rotates_the_secret_and_keeps_the_old_one_for_a_while(
    kitchen: factories.Kitchen,
) -> None:
    out = run("rotate", kitchen.source.slug)
    valid = kitchen.source.valid_secrets()
    new = next(s for s in valid if s != kitchen.secret)
    assert new in out
    assert kitchen.secret not in out
    assert set(valid) == {kitchen.secret, new}
    old = kitchen.source.secrets.get(secret=kitchen.secret)
    assert old.expires_at is not None


def test_it_prints_json_with_the_new_secret(kitchen: factories.Kitchen) -> None:
    data = json.loads(run("rotate", kitchen.source.slug, "--json"))
    assert data["slug"] == kitchen.source.slug
    assert data["secret"] in kitchen.source.valid_secrets()
    assert data["secret"] != kitchen.secret


def test_it_refuses_an_unknown_source(kitchen: factories.Kitchen) -> None:
    with pytest.raises(CommandError, match="No order source with slug 'nope'"):
        run("rotate", "nope")
