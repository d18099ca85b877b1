"""Forged, stale and replayed deliveries; and secrets never reach the logs."""

from __future__ import annotations

import io
import logging
import time

import pytest
from django.core.management import call_command

from orders.models import Order, WebhookMessage
from tests import factories
from tests.intake.conftest import Post


def test_it_refuses_a_replay_of_an_accepted_message_after_the_tolerance(
    post: Post, kitchen: factories.Kitchen
) -> None:
    raw = factories.encode(factories.order_body("o-1"))
    old = int(time.time()) - 10
    captured = factories.signed_headers(kitchen.secret, raw, msg_id="msg_1", timestamp=old)
    assert post(raw, headers=captured).status_code == 201

    # The same bytes, replayed later: the signature is for a timestamp now outside the window.
    replay = factories.signed_headers(kitchen.secret, raw, msg_id="msg_1", timestamp=old - 600)
    assert post(raw, headers=replay).status_code == 401


def test_it_never_applies_a_resigned_replay_twice(post: Post, kitchen: factories.Kitchen) -> None:
    body = factories.order_body("o-1", number="1")
    assert post(body, msg_id="msg_1").status_code == 201
    post(factories.order_body("o-1", kind="order.updated", number="2"), msg_id="msg_2")

    # Even freshly signed (a sender retrying very late), an accepted id changes nothing.
    again = post(body, msg_id="msg_1")

    assert again.json()["duplicate"] is True
    assert Order.objects.get().number == "2"
    assert WebhookMessage.objects.count() == 2


def test_it_refuses_a_forged_signature_made_with_the_sources_public_url(post: Post) -> None:
    forged = factories.new_secret()
    assert post(factories.order_body(), secret=forged).status_code == 401
    assert Order.objects.count() == 0


def test_it_never_writes_a_secret_to_the_logs(
    post: Post, kitchen: factories.Kitchen, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        post(factories.order_body("o-1"))
        post(factories.order_body("o-2"), secret=factories.new_secret())
        post(b"{not json")
        call_command("kds_source", "rotate", kitchen.source.slug, stdout=io.StringIO())
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    for secret in kitchen.source.secrets.values_list("secret", flat=True):
        assert secret not in text
        assert secret.removeprefix("whsec_") not in text
