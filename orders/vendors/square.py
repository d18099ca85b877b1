"""Square's Orders API: `RetrieveOrder`, and `UpdateOrder` to mark a fulfillment PREPARED.

Base URL KDS_SQUARE_API_URL (https://connect.squareup.com; the sandbox is
https://connect.squareupsandbox.com); every call carries the source's access token
as a Bearer token and the `Square-Version` it was written against.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings

from ..models import OrderSource
from .http import VendorError, call

SQUARE_VERSION = "2025-01-23"
# Fulfillment states a kitchen can still move on to PREPARED (Square's FulfillmentState).
OPEN_STATES = {"PROPOSED", "RESERVED"}


def _headers(source: OrderSource) -> dict[str, str]:
    if not source.api_secret:
        raise VendorError("no Square access token on this source")
    return {"Authorization": f"Bearer {source.api_secret}", "Square-Version": SQUARE_VERSION}


def _url(order_id: str) -> str:
    return f"{settings.KDS_SQUARE_API_URL}/v2/orders/{quote(order_id, safe='')}"


def order_retrieve(*, source: OrderSource, order_id: str) -> dict[str, Any]:
    """The `RetrieveOrder` answer: `{"order": {...}}`."""
    return call("GET", _url(order_id), headers=_headers(source))


def fulfillment_prepare(*, source: OrderSource, order_id: str, idempotency_key: str) -> str:
    """Moves the order's open fulfillments to PREPARED; says what it did.

    UpdateOrder needs the order's latest version, so the order is read first; a
    version that moved on in between fails the call, and the outbox retries it. The
    idempotency key is the event's with the version: Square answers a repeat of one
    request from its first answer but refuses a key sent again with another request,
    so a retry for a newer version needs a key of its own.
    """
    order = order_retrieve(source=source, order_id=order_id).get("order") or {}
    fulfillments = [
        {"uid": f["uid"], "state": "PREPARED"}
        for f in order.get("fulfillments") or []
        if isinstance(f, dict) and f.get("uid") and f.get("state") in OPEN_STATES
    ]
    if not fulfillments:
        return "no open fulfillment"
    call(
        "PUT",
        _url(order_id),
        headers=_headers(source),
        json={
            "idempotency_key": f"{idempotency_key}-v{order.get('version')}",
            "order": {
                "location_id": order.get("location_id"),
                "version": order.get("version"),
                "fulfillments": fulfillments,
            },
        },
    )
    return f"{len(fulfillments)} fulfillment(s) PREPARED"
