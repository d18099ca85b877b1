"""Durable jobs in a table: claiming due rows, and when to try again after a failure.

A row is due when its `next_attempt_at` has passed. Claiming moves it a lease ahead,
in one short transaction, so the work itself (an HTTP call) runs outside any
transaction while other schedulers skip the row; a claimer that dies mid-way simply
lets the lease run out and the row is due again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet


def claim_due(queryset: QuerySet, *, now: datetime, limit: int) -> list[int]:  # type: ignore[type-arg]
    lease = now + timedelta(seconds=settings.KDS_OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        due = queryset.filter(next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            of = ("self",) if connection.features.has_select_for_update_of else ()
            due = due.select_for_update(skip_locked=True, of=of)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if ids:
            queryset.model.objects.filter(pk__in=ids).update(next_attempt_at=lease)
    return ids


def retry_delay(schedule: list[int], attempts: int) -> timedelta | None:
    """The wait after the `attempts`-th failed attempt; None when the schedule is spent."""
    if attempts > len(schedule):
        return None
    return timedelta(seconds=schedule[attempts - 1])
