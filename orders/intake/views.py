"""POST /webhooks/<source>/ — the order webhook. Thin: checks, then `order_ingest`."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, DataError, InterfaceError, InternalError, OperationalError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..models import OrderSource
from .fetch import fetch_accept, fetch_run
from .ingest import IngestResult, order_ingest
from .signature import ID_HEADER
from .sources import RECEIVERS, Inbound, Refused, Request

log = logging.getLogger("kds.webhook")

# What "the database is unavailable" looks like: no connection, a lost one, a timeout,
# a lock or a read-only failover. Only these are answered 503, which senders retry; a
# retry of anything else would fail the same way forever and stall the orders behind it.
UNAVAILABLE = (OperationalError, InterfaceError, InternalError)


def _error(status: int, code: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": code, **extra}, status=status)


def _unavailable() -> JsonResponse:
    response = _error(503, "unavailable")
    response["Retry-After"] = str(settings.KDS_WEBHOOK_RETRY_AFTER_SECONDS)
    return response


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The raw body, or None when it is over the limit; never reads more than limit + 1 bytes."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


# Webhooks of this process between arrival and answer (the event loop is one thread).
_in_flight = 0


@csrf_exempt
@require_POST
async def order_webhook(request: HttpRequest, source_slug: str) -> JsonResponse:
    """Async behind async middleware, so the request stays on the event loop but for one
    hop to the request's thread for the checks and the transaction (a sync view behind
    WhiteNoise's sync middleware hopped loop → thread → loop → thread)."""
    global _in_flight
    if _in_flight >= settings.KDS_WEBHOOK_MAX_IN_FLIGHT:
        log.warning(
            "webhook refused: %d in flight",
            _in_flight,
            extra={"source": source_slug, "status": 503, "outcome": "overloaded"},
        )
        return _unavailable()
    _in_flight += 1
    try:
        response: JsonResponse = await _in_worker(request, source_slug)
    finally:
        _in_flight -= 1
    return response


def _order_webhook(request: HttpRequest, source_slug: str) -> JsonResponse:
    # Structured fields of the one log line every request ends with (KDS_LOG_FORMAT=json
    # makes each a key): source, webhook_id, status, and the order when there is one.
    outcome: dict[str, Any] = {
        "source": source_slug,
        "webhook_id": request.headers.get(ID_HEADER, "")[:255],
    }
    try:
        source = (
            OrderSource.objects.filter(slug=source_slug, is_active=True)
            .select_related("restaurant")  # its menu version: orders.intake.menu
            .prefetch_related("secrets")
            .first()
        )
    except DatabaseError:
        log.error(
            "webhook unavailable: database error", extra={**outcome, "status": 503}, exc_info=True
        )
        return _unavailable()
    if source is None:
        log.info("webhook refused: unknown source", extra={**outcome, "status": 404})
        return _error(404, "unknown_source")

    body = _read_body(request, settings.KDS_WEBHOOK_MAX_BYTES)
    if body is None:
        log.info("webhook refused: payload too large", extra={**outcome, "status": 413})
        return _error(413, "payload_too_large")
    # The kind decides how the request is verified, deduplicated and mapped.
    receive = RECEIVERS[source.kind]
    try:
        inbound = receive(
            source,
            Request(
                headers=request.headers,
                body=body,
                content_type=request.content_type or "",
                url=settings.KDS_BASE_URL + request.path,
            ),
        )
    except Refused as exc:
        log.info(
            "webhook refused: %s", exc, extra={**outcome, "kind": source.kind, "status": exc.status}
        )
        return _error(exc.status, exc.code, **exc.extra)
    outcome["webhook_id"] = inbound.delivery_id[:255]

    try:
        if inbound.fetch_order_id:
            return _announced(source, inbound, outcome)
        if inbound.message is None:
            log.info("webhook acknowledged: %s", inbound.note, extra={**outcome, "status": 200})
            return JsonResponse({"status": "ignored", "reason": inbound.note}, status=200)
        result = order_ingest(
            source=source, webhook_id=inbound.delivery_id, message=inbound.message
        )
    except UNAVAILABLE:
        log.error(
            "webhook unavailable: order not stored",
            extra={**outcome, "status": 503},
            exc_info=True,
        )
        return _unavailable()
    except DataError as exc:
        # A value validation let through that the database refuses: the sender's data,
        # not our availability, so a retry cannot help. Validation should have said so.
        log.error(
            "webhook refused by the database", extra={**outcome, "status": 400}, exc_info=True
        )
        detail = [{"loc": "body", "msg": f"a value the database cannot store: {exc}"[:300]}]
        return _error(400, "invalid_payload", detail=detail)
    except DatabaseError:
        log.error(
            "webhook failed: order not stored", extra={**outcome, "status": 500}, exc_info=True
        )
        return _error(500, "internal_error")
    _log_result(result, outcome)
    return JsonResponse(result.as_json(), status=result.http_status)


def _announced(source: OrderSource, inbound: Inbound, outcome: dict[str, Any]) -> JsonResponse:
    """Square: the event is stored first (so 2xx still means nothing is lost), then the
    order is fetched at once; while that fails, the scheduler retries it."""
    fetch, record, duplicate = fetch_accept(source=source, inbound=inbound)
    if duplicate or fetch is None:
        log.info("webhook duplicate", extra={**outcome, "status": 200, "duplicate": True})
        order = str(record.order_id) if record.order_id else None
        return JsonResponse(
            {"order": order, "status": record.outcome, "duplicate": True}, status=200
        )
    fetched = fetch_run(fetch.pk)
    if fetched is None:
        log.info("webhook stored; order to fetch", extra={**outcome, "status": 202})
        return JsonResponse({"status": "pending", "duplicate": False}, status=202)
    if fetched.result is None:
        log.info("webhook acknowledged: nothing to cook", extra={**outcome, "status": 200})
        return JsonResponse({"status": "ignored", "reason": "nothing to cook"}, status=200)
    _log_result(fetched.result, outcome)
    return JsonResponse(fetched.result.as_json(), status=fetched.result.http_status)


def _log_result(result: IngestResult, outcome: dict[str, Any]) -> None:
    log.info(
        "webhook %s order=%s duplicate=%s",
        result.outcome,
        result.order.pk,
        result.duplicate,
        extra={
            **outcome,
            "status": result.http_status,
            "outcome": str(result.outcome),
            "order_id": result.order.pk,
            "order_external_id": result.order.external_id,
            "duplicate": result.duplicate,
        },
    )


# As Django runs any sync view: in the request's own thread (thread-sensitive), where
# the request_started/finished signals close connections broken or past their age, so
# a pooled connection goes back to the pool (and the test client's transaction holds).
_in_worker = sync_to_async(_order_webhook)
