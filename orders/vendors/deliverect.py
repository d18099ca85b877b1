"""Deliverect's KDS API: `POST /kds/orderStatus/{orderId}`, after an OAuth token.

Base URL KDS_DELIVERECT_API_URL (https://api.deliverect.com; staging is
https://api.staging.deliverect.com). The token comes from `POST /oauth/token` with the
source's client ID and secret (client credentials) and is kept until it expires, as
Deliverect asks ("cache and reuse tokens until expiry").
"""

from __future__ import annotations

import threading
import time
from urllib.parse import quote

from django.conf import settings

from ..models import OrderSource
from .http import VendorError, call

# Deliverect's KDS order statuses.
PREPARING, PREPARED, READY_FOR_PICKUP, IN_DELIVERY = 50, 60, 70, 80
AUDIENCE = "https://api.deliverect.com"

_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_lock = threading.Lock()


def _token(source: OrderSource) -> str:
    if not source.api_client_id or not source.api_secret:
        raise VendorError("no Deliverect client ID and secret on this source")
    key = (settings.KDS_DELIVERECT_API_URL, source.api_client_id)
    with _lock:
        cached = _tokens.get(key)
        if cached and cached[1] > time.time() + 60:
            return cached[0]
    answer = call(
        "POST",
        f"{settings.KDS_DELIVERECT_API_URL}/oauth/token",
        headers={},
        json={
            "client_id": source.api_client_id,
            "client_secret": source.api_secret,
            "audience": AUDIENCE,
            "grant_type": "client_credentials",
        },
    )
    token = answer.get("access_token")
    if not isinstance(token, str) or not token:
        raise VendorError("no access_token in Deliverect's answer")
    expires = answer.get("expires_at")
    expires_at = float(expires) if isinstance(expires, int | float) else time.time() + 300
    with _lock:
        _tokens[key] = (token, expires_at)
    return token


def order_status(*, source: OrderSource, order_id: str, status: int) -> str:
    call(
        "POST",
        f"{settings.KDS_DELIVERECT_API_URL}/kds/orderStatus/{quote(order_id, safe='')}",
        headers={"Authorization": f"Bearer {_token(source)}"},
        json={"orderId": order_id, "status": status},
    )
    return f"status {status}"
