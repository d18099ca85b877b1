"""POST /webhooks/<source>/ — the order webhook. Thin: checks, then `order_ingest`."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import signature
from .intake import order_ingest
from .models import OrderSource
from .schema import PayloadError, parse_message

log = logging.getLogger("kds.webhook")


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


@csrf_exempt
@require_POST
def order_webhook(request: HttpRequest, source_slug: str) -> JsonResponse:
    outcome = {"source": source_slug, "webhook_id": request.headers.get("webhook-id", "")[:255]}
    try:
        source = (
            OrderSource.objects.filter(slug=source_slug, is_active=True)
            .prefetch_related("secrets")
            .first()
        )
    except DatabaseError:
        log.error("webhook unavailable: database error", extra=outcome, exc_info=True)
        return _unavailable()
    if source is None:
        return _error(404, "unknown_source")

    body = _read_body(request, settings.KDS_WEBHOOK_MAX_BYTES)
    if body is None:
        return _error(413, "payload_too_large")
    if request.content_type != "application/json":
        return _error(415, "unsupported_media_type")

    try:
        webhook_id = signature.verify(
            headers=request.headers,
            body=body,
            secrets=source.valid_secrets(),
            tolerance=settings.KDS_WEBHOOK_TOLERANCE_SECONDS,
        )
    except signature.SignatureError as exc:
        log.info("webhook refused: invalid signature (%s)", exc, extra=outcome)
        return _error(401, "invalid_signature")

    try:
        message = parse_message(body)
    except PayloadError as exc:
        log.info("webhook refused: %d violation(s)", len(exc.violations), extra=outcome)
        return _error(400, "invalid_payload", detail=[v.model_dump() for v in exc.violations])

    try:
        result = order_ingest(source=source, webhook_id=webhook_id, message=message)
    except DatabaseError:
        log.error("webhook unavailable: order not stored", extra=outcome, exc_info=True)
        return _unavailable()
    log.info(
        "webhook %s order=%s duplicate=%s",
        result.outcome,
        result.order.pk,
        result.duplicate,
        extra=outcome,
    )
    return JsonResponse(result.as_json(), status=result.http_status)
