"""`kds_source add SLUG --kind KIND`: who makes the secret, the credentials each kind
needs, and what to paste where."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from orders.models import OrderSource, SourceKind
from tests import factories


def run(*args: str) -> str:
    out = StringIO()
    call_command("kds_source", *args, stdout=out)
    return out.getvalue()


def test_it_makes_the_secret_for_woocommerce_and_says_where_to_paste_it(
    kitchen: factories.Kitchen, settings: object
) -> None:
    data = json.loads(run("add", "shop", "--kind", "woocommerce", "--json"))
    source = OrderSource.objects.get(slug="shop")
    assert source.kind == SourceKind.WOOCOMMERCE
    assert data["secret"] == source.valid_secrets()[0] and len(data["secret"]) >= 24
    assert any("WooCommerce → Settings → Advanced → Webhooks" in step for step in data["setup"])
    assert any(data["url"] in step for step in data["setup"])


@pytest.mark.parametrize("kind", ["shopify", "square", "deliverect"])
def test_it_takes_the_vendors_secret_and_does_not_print_it(
    kitchen: factories.Kitchen, kind: str
) -> None:
    extra = ["--access-token", "EAAA-token"] if kind == "square" else []
    out = run("add", f"{kind}-1", "--kind", kind, "--secret", "vendor-given-key", *extra)
    source = OrderSource.objects.get(slug=f"{kind}-1")
    assert source.valid_secrets() == ["vendor-given-key"]
    assert "vendor-given-key" not in out
    assert f"/webhooks/{kind}-1/" in out and "1. " in out


@pytest.mark.parametrize("kind", ["shopify", "square", "deliverect"])
def test_it_asks_for_the_vendors_secret(kitchen: factories.Kitchen, kind: str) -> None:
    with pytest.raises(CommandError, match="--secret"):
        run("add", "v", "--kind", kind)
    assert not OrderSource.objects.filter(slug="v").exists()


def test_square_needs_its_access_token_and_keeps_the_location(kitchen: factories.Kitchen) -> None:
    with pytest.raises(CommandError, match="--access-token"):
        run("add", "sq", "--kind", "square", "--secret", "sig-key-123")
    run(
        "add",
        "sq",
        "--kind",
        "square",
        "--secret",
        "sig-key-123",
        "--access-token",
        "EAAA",
        "--location",
        "L8QZ",
    )
    source = OrderSource.objects.get(slug="sq")
    assert (source.api_secret, source.vendor_location) == ("EAAA", "L8QZ")


def test_deliverect_keeps_its_api_client(kitchen: factories.Kitchen) -> None:
    run(
        "add",
        "dv",
        "--kind",
        "deliverect",
        "--secret",
        "hmac-secret",
        "--client-id",
        "cid",
        "--client-secret",
        "csecret",
    )
    source = OrderSource.objects.get(slug="dv")
    assert (source.api_client_id, source.api_secret) == ("cid", "csecret")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "shopify", "--secret", "short"], "8 to 100"),
        (["--kind", "shopify", "--secret", "x" * 101], "8 to 100"),
        (["--kind", "shopify", "--secret", "bad\x00secret"], "printable"),
        (["--secret", "not-a-whsec-secret"], "whsec_"),
        (["--kind", "woocommerce", "--access-token", "t"], "does not apply"),
        (["--kind", "nonsense"], "invalid choice"),
    ],
)
def test_it_refuses_what_does_not_fit(
    kitchen: factories.Kitchen, args: list[str], message: str
) -> None:
    with pytest.raises((CommandError, SystemExit)) as refused:
        run("add", "x-1", *args)
    if isinstance(refused.value, CommandError):
        assert message in str(refused.value)
    assert not OrderSource.objects.filter(slug="x-1").exists()


def test_rotating_a_vendor_source_takes_the_vendors_new_secret(kitchen: factories.Kitchen) -> None:
    run("add", "sh", "--kind", "shopify", "--secret", "first-secret")
    with pytest.raises(CommandError, match="--secret"):
        run("rotate", "sh")
    run("rotate", "sh", "--secret", "second-secret")
    assert set(OrderSource.objects.get(slug="sh").valid_secrets()) == {
        "first-secret",
        "second-secret",
    }


def test_the_list_says_each_kind(kitchen: factories.Kitchen) -> None:
    run("add", "sh", "--kind", "shopify", "--secret", "first-secret")
    rows = {row["slug"]: row["kind"] for row in json.loads(run("list", "--json"))}
    assert rows == {kitchen.source.slug: "standard", "sh": "shopify"}
