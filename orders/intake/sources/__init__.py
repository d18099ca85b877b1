"""One module per kind of order source: how its requests are verified and mapped.

Every kind ends at the same `Message` (orders/intake/schema.py) that `order_ingest`
applies; docs/sources.md says per kind what maps to what. Each module also says what
a manager pastes where (`SETUP`) and whether the vendor gives the secret.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from types import ModuleType

from django.utils.functional import Promise

from ...models import SourceKind, new_webhook_secret
from . import deliverect, shopify, square, standard, woocommerce
from .base import Inbound, Receiver, Refused, Request


@dataclass(frozen=True)
class Kind:
    receive: Receiver
    setup: tuple[Promise, ...]
    # The vendor makes the secret (we are told it); otherwise we make one to paste there.
    vendor_secret: bool
    # Credentials the kind uses: Square's access token; Deliverect's client ID and secret.
    api_token: bool = False
    api_client_id: bool = False
    location: bool = False


def _kind(module: ModuleType, **uses: bool) -> Kind:
    return Kind(module.receive, module.SETUP, module.VENDOR_SECRET, **uses)


KINDS: dict[str, Kind] = {
    SourceKind.STANDARD: _kind(standard),
    SourceKind.SHOPIFY: _kind(shopify),
    SourceKind.WOOCOMMERCE: _kind(woocommerce),
    SourceKind.SQUARE: _kind(square, api_token=True, location=True),
    SourceKind.DELIVERECT: _kind(deliverect, api_token=True, api_client_id=True, location=True),
}
RECEIVERS: dict[str, Receiver] = {kind: k.receive for kind, k in KINDS.items()}


def secret_for(kind: str) -> str:
    """A new secret we make for a kind whose vendor takes ours (standard: whsec_…)."""
    return new_webhook_secret() if kind == SourceKind.STANDARD else secrets.token_urlsafe(24)


def setup_steps(kind: str, *, url: str) -> list[str]:
    return [str(step).format(url=url) for step in KINDS[kind].setup]


__all__ = ["KINDS", "RECEIVERS", "Inbound", "Refused", "Request", "secret_for", "setup_steps"]
