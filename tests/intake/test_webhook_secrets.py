"""Secrets rotate with two valid at once; any one matching v1 signature is enough."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from orders.models import SourceSecret
from tests import factories
from tests.intake.conftest import Post


def test_it_accepts_the_old_and_the_new_secret_after_rotation(
    post: Post, kitchen: factories.Kitchen
) -> None:
    new = kitchen.source.rotate_secret().secret

    assert post(factories.order_body("o-1"), secret=kitchen.secret).status_code == 201
    assert post(factories.order_body("o-2"), secret=new).status_code == 201
    old = SourceSecret.objects.get(secret=kitchen.secret)
    assert old.expires_at is not None
    assert timedelta(hours=23) < old.expires_at - timezone.now() <= timedelta(hours=24)


def test_it_refuses_an_expired_secret(post: Post, kitchen: factories.Kitchen) -> None:
    kitchen.source.rotate_secret()
    SourceSecret.objects.filter(secret=kitchen.secret).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert post(factories.order_body("o-1"), secret=kitchen.secret).status_code == 401


def test_it_accepts_any_one_matching_signature_among_several(
    post: Post, kitchen: factories.Kitchen
) -> None:
    raw = factories.encode(factories.order_body("o-1"))
    good = factories.signed_headers(kitchen.secret, raw, msg_id="msg_1")
    bad = factories.signed_headers(factories.new_secret(), raw, msg_id="msg_1")["webhook-signature"]
    header = f"v2,whatever {bad} {good['webhook-signature']}"
    assert post(raw, headers={**good, "webhook-signature": header}).status_code == 201


def test_it_refuses_a_rotated_source_signature_from_another_source(post: Post) -> None:
    other = factories.make_kitchen("other")
    assert post(factories.order_body("o-1"), secret=other.secret).status_code == 401
