"""Served by mistake: the same server can undo it for a few seconds, nobody else, not later."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from orders.actions import serving
from orders.models import EventKind, Order, OrderEvent, OrderStatus
from tests.hotpot import Kitchen, bump_all, foh_user, place


def _served(kitchen: Kitchen) -> tuple[Order, User]:
    order = place(kitchen, table="7")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    order.refresh_from_db()
    runner = foh_user()
    assert serving.order_serve(order=order, user=runner)
    return order, runner


def test_it_undoes_a_serve_within_the_window(kitchen: Kitchen) -> None:
    order, runner = _served(kitchen)
    order.refresh_from_db()
    ready_at = order.ready_at

    assert serving.order_unserve(order=order, user=runner) is True

    order.refresh_from_db()
    assert order.status == OrderStatus.READY
    assert order.served_at is None and order.ready_at == ready_at
    assert OrderEvent.objects.filter(order=order, kind=EventKind.UNSERVED).count() == 1


def test_it_refuses_to_undo_after_the_window_or_for_someone_else(kitchen: Kitchen) -> None:
    order, runner = _served(kitchen)
    later = timezone.now() + timedelta(seconds=serving.UNDO_SECONDS + 1)

    assert serving.order_unserve(order=order, user=runner, now=later) is False
    assert serving.order_unserve(order=order, user=foh_user("other")) is False
    order.refresh_from_db()
    assert order.status == OrderStatus.SERVED
