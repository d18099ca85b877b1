"""One way to call a vendor: a short timeout, JSON in and out, every failure one error."""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings


class VendorError(Exception):
    """A call that did not succeed; `status` is the HTTP status when there was an answer."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message[:300])
        self.status = status


def call(method: str, url: str, *, headers: dict[str, str], json: Any = None) -> dict[str, Any]:
    try:
        response = httpx.request(
            method,
            url,
            headers={"Accept": "application/json", **headers},
            json=json,
            timeout=settings.KDS_VENDOR_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        raise VendorError(f"{type(exc).__name__}: {exc}") from None
    if not 200 <= response.status_code < 300:
        raise VendorError(
            f"{response.status_code}: {response.text[:200]}", status=response.status_code
        )
    try:
        body = response.json()
    except ValueError:
        raise VendorError("answer is not JSON", status=response.status_code) from None
    if not isinstance(body, dict):
        raise VendorError("answer is not a JSON object", status=response.status_code)
    return body
