"""One module per kind of order source: how its requests are verified and mapped.

Every kind ends at the same `Message` (orders/intake/schema.py) that `order_ingest`
applies; docs/sources.md says per kind what maps to what.
"""

from __future__ import annotations

from ...models import SourceKind
from . import deliverect, shopify, square, standard, woocommerce
from .base import Inbound, Receiver, Refused, Request

RECEIVERS: dict[str, Receiver] = {
    SourceKind.STANDARD: standard.receive,
    SourceKind.SHOPIFY: shopify.receive,
    SourceKind.WOOCOMMERCE: woocommerce.receive,
    SourceKind.SQUARE: square.receive,
    SourceKind.DELIVERECT: deliverect.receive,
}

__all__ = ["RECEIVERS", "Inbound", "Refused", "Request"]
