"""`standard`: our own contract (docs/spec/order-webhook.md), signed per Standard Webhooks."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ...models import OrderSource
from .. import signature
from ..schema import PayloadError, TimeWindow, parse_message
from .base import Inbound, Request, invalid_payload, invalid_signature, unsupported_media_type

# What to paste where (the admin and `kds_source add` show it; docs/sources.md has more).
VENDOR_SECRET = False
SETUP = (
    _("Your system posts signed orders to {url} as docs/spec/order-webhook.md describes."),
    _("Sign with the secret shown here once (whsec_…), with any Standard Webhooks library."),
)


def receive(source: OrderSource, request: Request) -> Inbound:
    if request.content_type != "application/json":
        raise unsupported_media_type()
    try:
        webhook_id = signature.verify(
            headers=request.headers,
            body=request.body,
            secrets=source.valid_secrets(),
            tolerance=settings.KDS_WEBHOOK_TOLERANCE_SECONDS,
        )
    except signature.SignatureError as exc:
        raise invalid_signature(str(exc)) from None
    window = TimeWindow(
        placed_at=timedelta(days=settings.KDS_WEBHOOK_PLACED_AT_WINDOW_DAYS),
        fire_at_ahead=timedelta(days=settings.KDS_WEBHOOK_FIRE_AT_AHEAD_DAYS),
    )
    try:
        message = parse_message(request.body, window=window)
    except PayloadError as exc:
        raise invalid_payload(exc.violations) from None
    return Inbound(delivery_id=webhook_id, message=message)
