"""Delivering the outbox: the scheduler's job, outside any transaction.

Standard Webhooks to endpoints (signed with the endpoint's secret by the reference
`standardwebhooks` library: `webhook-id`, `webhook-timestamp`, `webhook-signature`),
and the vendors' status write-backs. A failed attempt is logged with the answer and
tried again on KDS_OUTBOX_RETRY_SCHEDULE, then given up; an endpoint that fails every
delivery for KDS_OUTBOX_DISABLE_AFTER_HOURS is switched off, and the admin shows it.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime, timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from ..models import (
    DeliveryAttempt,
    OutboxKind,
    OutboxMessage,
    OutboxState,
    WebhookEndpoint,
)
from ..vendors import deliverect, square
from ..vendors.http import VendorError
from .claims import claim_due, retry_delay

log = logging.getLogger("kds.outbox")


def outbox_deliver_due(*, now: datetime | None = None, limit: int = 20) -> int:
    """Delivers up to `limit` due messages; returns how many were attempted."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(state=OutboxState.PENDING).filter(
        Q(endpoint__isnull=True) | Q(endpoint__is_active=True)
    )
    ids = claim_due(due, now=now, limit=limit)
    claimed = OutboxMessage.objects.filter(pk__in=ids).select_related("endpoint", "source")
    for message in claimed.order_by("created_at", "pk"):  # in the order they happened
        _attempt(message, now=now)
    return len(ids)


def outbox_prune(*, now: datetime | None = None, batch: int = 1000) -> int:
    """Forgets delivered and given-up events (and their log) older than
    KDS_OUTBOX_KEEP_DAYS, a batch at a time; returns how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.KDS_OUTBOX_KEEP_DAYS)
    old = OutboxMessage.objects.filter(
        state__in=[OutboxState.DELIVERED, OutboxState.FAILED], created_at__lt=cutoff
    )
    ids = list(old.order_by().values_list("pk", flat=True)[:batch])
    if ids:
        OutboxMessage.objects.filter(pk__in=ids).delete()
    return len(ids)


def _attempt(message: OutboxMessage, *, now: datetime) -> None:
    started = time.monotonic()
    status: int | None = None
    error = ""
    try:
        status, error = _send(message)
    except VendorError as exc:
        status, error = exc.status, str(exc)
    except Exception as exc:  # a bug in one sender must not stop the others
        log.exception("outbox: sending %s failed", message.msg_id)
        error = f"{type(exc).__name__}: {exc}"
    ok = not error and status is not None and 200 <= status < 300
    _record(message, ok=ok, status=status, error=error, now=now, started=started)


def _send(message: OutboxMessage) -> tuple[int | None, str]:
    """Sends once; (HTTP status, error text: empty when it worked)."""
    if message.kind == OutboxKind.WEBHOOK:
        assert message.endpoint is not None
        return _post(message.endpoint, message)
    assert message.source is not None
    order_id = str(message.payload.get("order_id", ""))
    if message.kind == OutboxKind.SQUARE_FULFILLMENT:
        note = square.fulfillment_prepare(
            source=message.source, order_id=order_id, idempotency_key=message.msg_id
        )
    else:
        note = deliverect.order_status(
            source=message.source, order_id=order_id, status=deliverect.READY_FOR_PICKUP
        )
    log.info("outbox: %s for %s: %s", message.kind, order_id, note)
    return 200, ""


def _post(endpoint: WebhookEndpoint, message: OutboxMessage) -> tuple[int | None, str]:
    body = json.dumps(message.payload, ensure_ascii=False, separators=(",", ":"))
    sent_at = datetime.fromtimestamp(int(time.time()), UTC)
    signature = Webhook(endpoint.secret).sign(message.msg_id, sent_at, body)
    try:
        response = httpx.post(
            endpoint.url,
            content=body.encode(),
            headers={
                "content-type": "application/json",
                "user-agent": "KDS-Webhooks/1",
                "webhook-id": message.msg_id,
                "webhook-timestamp": str(int(sent_at.timestamp())),
                "webhook-signature": signature,
            },
            timeout=settings.KDS_OUTBOX_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"answered {response.status_code}"


def _record(
    message: OutboxMessage,
    *,
    ok: bool,
    status: int | None,
    error: str,
    now: datetime,
    started: float,
) -> None:
    attempts = message.attempts + 1
    update: dict[str, object] = {"attempts": attempts, "last_status": status, "last_error": error}
    if ok:
        update.update(state=OutboxState.DELIVERED, delivered_at=now)
    else:
        delay = retry_delay(settings.KDS_OUTBOX_RETRY_SCHEDULE, attempts)
        if delay is None:
            update["state"] = OutboxState.FAILED
        else:
            update["next_attempt_at"] = now + delay
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk).update(**update)
        DeliveryAttempt.objects.create(
            message=message,
            endpoint=message.endpoint,
            at=now,
            status_code=status,
            error=error[:300],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        if message.endpoint_id is not None:
            _endpoint_health(message.endpoint_id, ok=ok, now=now)


def _endpoint_health(endpoint_id: int, *, ok: bool, now: datetime) -> None:
    endpoints = WebhookEndpoint.objects.filter(pk=endpoint_id)
    if ok:
        endpoints.update(failing_since=None, last_success_at=now)
        return
    endpoints.filter(failing_since__isnull=True).update(failing_since=now)
    cutoff = now - timedelta(hours=settings.KDS_OUTBOX_DISABLE_AFTER_HOURS)
    disabled = endpoints.filter(is_active=True, failing_since__lte=cutoff).update(
        is_active=False, disabled_at=now
    )
    if disabled:
        log.warning(
            "outbox: endpoint %s disabled after failing since before %s", endpoint_id, cutoff
        )
