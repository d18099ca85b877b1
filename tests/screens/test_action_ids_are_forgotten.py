"""The ids of screen actions are kept a week, then the scheduler forgets them."""

from __future__ import annotations

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from orders.models import ActionRecord, Order
from tests.factories import order_body
from tests.screens.conftest import Kitchen2, pair, post_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_forgets_action_ids_older_than_a_week(kitchen2: Kitchen2) -> None:
    for n in (1, 2):
        post_order(kitchen2, order_body(f"o-{n}", number=str(n)))
    _screen, cookie = pair(kitchen2.a)
    client = Client()
    client.cookies["kds_screen"] = cookie
    for order in Order.objects.all():
        tap = {"action": "ticket_bump", "order": order.pk, "id": str(uuid.uuid4())}
        assert client.post("/screen/action/", tap).status_code == 200
    old, recent = ActionRecord.objects.order_by("pk")
    ActionRecord.objects.filter(pk=old.pk).update(
        recorded_at=timezone.now() - timedelta(days=7, minutes=1)
    )
    ActionRecord.objects.filter(pk=recent.pk).update(
        recorded_at=timezone.now() - timedelta(days=6, hours=23)
    )
    out = StringIO()

    call_command("kds_scheduler", "--once", stdout=out)

    assert list(ActionRecord.objects.values_list("pk", flat=True)) == [recent.pk]
    assert "forget: forgot 1 old screen action id(s)" in out.getvalue()
