"""`kds_simulate` sends a realistic signed feed; the server stores it, acknowledging duplicates."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from orders.models import MenuItem, Order, WebhookMessage
from tests import factories


def test_it_sends_a_feed_that_is_stored_with_duplicates_acknowledged(
    live_server: Any, transactional_db: None, kitchen: factories.Kitchen
) -> None:
    for sku, name in [("A", "Mapo tofu"), ("B", "Kung pao chicken"), ("C", "Rice"), ("D", "Beer")]:
        MenuItem.objects.create(restaurant=kitchen.restaurant, sku=sku, name=name)
    out = io.StringIO()

    call_command(
        "kds_simulate",
        "--source",
        kitchen.source.slug,
        "--url",
        f"{live_server.url}{kitchen.source.webhook_path}",
        "--rate",
        "50",
        "--count",
        "60",
        "--duration",
        "0",
        "--seed",
        "7",
        stdout=out,
        stderr=io.StringIO(),
    )

    summary = out.getvalue()
    assert "60 messages" in summary
    assert "gave up: 0" in summary
    assert "duplicate" in summary
    # Every distinct message was stored once; duplicates added no rows.
    assert 0 < WebhookMessage.objects.count() < 60
    assert Order.objects.count() >= 30
    assert not Order.objects.exclude(lines__menu_item__isnull=False).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--source", "nope"], "No order source 'nope'"),
        (["--source", "pos-demo", "--rate", "0"], "--rate"),
        (["--source", "pos-demo", "--duration", "-1"], "--duration"),
    ],
)
def test_it_refuses_bad_arguments(
    kitchen: factories.Kitchen, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("kds_simulate", *args)


def test_it_reports_messages_that_were_never_accepted(
    live_server: Any, transactional_db: None, kitchen: factories.Kitchen
) -> None:
    with pytest.raises(CommandError, match="never accepted"):
        call_command(
            "kds_simulate",
            "--source",
            kitchen.source.slug,
            "--url",
            f"{live_server.url}/webhooks/{kitchen.source.slug}/",
            "--secret",
            factories.new_secret(),
            "--rate",
            "20",
            "--duration",
            "2",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
