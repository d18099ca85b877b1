"""Orders a vendor announces without sending them (Square): fetched after the event is stored.

`fetch_accept` records the event and a `SourceFetch` in one transaction, so once the
webhook is answered nothing is lost; `fetch_run` then tries at once, and while Square's
API fails the scheduler's `source_fetch_due` tries again on KDS_FETCH_RETRY_SCHEDULE.
The fetched order carries Square's `version`, so an older one never overwrites a newer
(`order_ingest`'s stale check), whichever fetch finishes first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import OrderSource, SourceFetch, WebhookMessage, WebhookOutcome
from ..outbox.claims import claim_due, retry_delay
from ..vendors import square as square_api
from ..vendors.http import VendorError
from .ingest import IngestResult, order_apply
from .sources import square
from .sources.base import Inbound, Refused, external_id

log = logging.getLogger("kds.webhook")


def fetch_accept(
    *, source: OrderSource, inbound: Inbound, now: datetime | None = None
) -> tuple[SourceFetch | None, WebhookMessage, bool]:
    """Records the announcement: (the fetch, the message row, whether it is a duplicate)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            record = WebhookMessage.objects.create(
                source=source,
                webhook_id=inbound.delivery_id,
                event_type=inbound.event_type[:32],
                received_at=now,
                outcome=WebhookOutcome.PENDING,
            )
            fetch = SourceFetch.objects.create(
                source=source,
                message=record,
                external_id=external_id(inbound.fetch_order_id),
                version=inbound.fetch_version,
                created_at=now,
                next_attempt_at=now,
            )
    except IntegrityError:
        existing = (
            WebhookMessage.objects.filter(source=source, webhook_id=inbound.delivery_id)
            .select_related("order")
            .first()
        )
        if existing is None:
            raise
        return None, existing, True
    return fetch, record, False


@dataclass(frozen=True)
class Fetched:
    """A fetch that finished: the order applied, or nothing for the kitchen (a draft)."""

    result: IngestResult | None


def fetch_run(fetch_id: int, *, now: datetime | None = None) -> Fetched | None:
    """Claims and runs one fetch; None while it is not done (failed, or someone else's)."""
    now = now or timezone.now()
    open_fetches = SourceFetch.objects.filter(done_at__isnull=True, failed_at__isnull=True)
    if not claim_due(open_fetches.filter(pk=fetch_id), now=now, limit=1):
        return None
    return _run(SourceFetch.objects.select_related("source", "message").get(pk=fetch_id), now)


def source_fetch_due(*, now: datetime | None = None, limit: int = 20) -> int:
    """The scheduler's job: retries the fetches that are due; returns how many it tried."""
    now = now or timezone.now()
    open_fetches = SourceFetch.objects.filter(done_at__isnull=True, failed_at__isnull=True)
    ids = claim_due(open_fetches, now=now, limit=limit)
    for fetch in SourceFetch.objects.filter(pk__in=ids).select_related("source", "message"):
        _run(fetch, now)
    return len(ids)


def _run(fetch: SourceFetch, now: datetime) -> Fetched | None:
    try:
        raw = square_api.order_retrieve(source=fetch.source, order_id=fetch.external_id)
        order = square.order_from_response(raw)
        created = fetch.message.event_type == "order.created"
        message = square.to_message(order, created=created)
    except VendorError as exc:
        _failed(fetch, str(exc), now, retry=True)
        return None
    except Refused as exc:
        _failed(fetch, f"not an order we can read: {exc.extra or exc}", now, retry=False)
        return None
    if fetch.source.vendor_location and order.location_id != fetch.source.vendor_location:
        message = None
    with transaction.atomic():
        locked = SourceFetch.objects.select_for_update().get(pk=fetch.pk)
        if locked.done_at is not None:
            return None  # another scheduler finished it while this one was fetching
        record = WebhookMessage.objects.select_for_update().get(pk=locked.message_id)
        result = None
        if message is None:
            record.outcome = WebhookOutcome.IGNORED
        else:
            result = order_apply(source=fetch.source, message=message, now=now)
            record.order, record.outcome = result.order, result.outcome
        record.save(update_fields=["order", "outcome"])
        SourceFetch.objects.filter(pk=fetch.pk).update(
            done_at=now, attempts=F("attempts") + 1, last_error=""
        )
    return Fetched(result)


def _failed(fetch: SourceFetch, error: str, now: datetime, *, retry: bool) -> None:
    attempts = fetch.attempts + 1
    delay = retry_delay(settings.KDS_FETCH_RETRY_SCHEDULE, attempts) if retry else None
    update: dict[str, object] = {"attempts": attempts, "last_error": error[:300]}
    if delay is None:
        update["failed_at"] = now
        log.error("fetch of %s %s given up: %s", fetch.source.slug, fetch.external_id, error)
    else:
        update["next_attempt_at"] = now + delay
        log.warning(
            "fetch of %s %s failed (%s); again in %s",
            fetch.source.slug,
            fetch.external_id,
            error,
            delay,
        )
    SourceFetch.objects.filter(pk=fetch.pk).update(**update)
