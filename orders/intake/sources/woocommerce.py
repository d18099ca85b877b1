"""`woocommerce`: the `order.created` and `order.updated` webhooks (and `order.deleted`).

Verified as WooCommerce does it (`WC_Webhook::generate_signature`): the
`X-WC-Webhook-Signature` header is the base64 HMAC-SHA256 of the raw body with the
webhook's secret. Saving a webhook in WooCommerce first sends an unsigned ping
(`webhook_id=<n>` as the body), answered 200 with nothing stored.

`X-WC-Webhook-Delivery-ID` is a hash of the webhook id and the current second
(`WC_Webhook::get_new_delivery_id`), so two different deliveries within a second share
it: the delivery is deduplicated on that id together with a digest of the body. The
body is the REST API (v3) order; `date_modified_gmt` orders updates.
"""

from __future__ import annotations

import html
import re
from typing import Annotated, Any

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from pydantic import Field, StrictInt, StrictStr

from ...models import OrderSource
from ..schema import Message, Violation
from .base import (
    Inbound,
    Quantity,
    Request,
    Text,
    VendorModel,
    VendorTime,
    body_digest,
    cancel_message,
    invalid_payload,
    item,
    json_object,
    mapped,
    order_message,
    validated,
    verify_signed_json,
)

# What to paste where (the admin and `kds_source add` show it; docs/sources.md has more).
VENDOR_SECRET = False
SETUP = (
    _("In WordPress: WooCommerce → Settings → Advanced → Webhooks → Add webhook."),
    _("Status Active, topic “Order created”, delivery URL {url}, API version WP REST API v3."),
    _(
        "Paste the secret shown here into “Secret” and save (WooCommerce checks the URL with a ping)."
    ),
    _("Add a second webhook the same way with topic “Order updated”."),
)

PING = re.compile(rb"webhook_id=\d{1,20}")
TOPICS = {"order.created": "order.created", "order.updated": "order.updated"}
# Statuses of orders not yet paid for: nothing for the kitchen yet.
NOT_YET = {"pending", "on-hold", "checkout-draft", "draft", "auto-draft"}
CANCELLED = {"cancelled", "refunded", "failed", "trash"}
PICKUP_METHODS = {"local_pickup", "pickup_location"}
NOTE_WORDS = ("note", "allerg", "备注", "过敏", "忌口")


class Meta(VendorModel):
    key: StrictStr = ""
    value: Any = None
    display_key: Text = None
    display_value: Any = None


class LineItem(VendorModel):
    id: StrictInt | StrictStr
    name: Text = None
    sku: Text = None
    quantity: Quantity
    meta_data: Annotated[list[Meta], Field(max_length=200)] = []


class ShippingLine(VendorModel):
    method_id: Text = None
    method_title: Text = None


class Person(VendorModel):
    first_name: Text = None
    last_name: Text = None


class Order(VendorModel):
    id: StrictInt | StrictStr
    number: Text = None
    status: StrictStr = "processing"
    date_created_gmt: VendorTime | None = None
    date_modified_gmt: VendorTime | None = None
    customer_note: Text = None
    billing: Person | None = None
    shipping: Person | None = None
    line_items: Annotated[list[LineItem], Field(max_length=1000)] = []
    shipping_lines: Annotated[list[ShippingLine], Field(max_length=50)] = []


class Deleted(VendorModel):
    id: StrictInt | StrictStr


def receive(source: OrderSource, request: Request) -> Inbound:
    signature = request.headers.get("X-WC-Webhook-Signature", "")
    if not signature and PING.fullmatch(request.body.strip()):
        return Inbound(delivery_id="", note="ping")
    verify_signed_json(source, request, header="X-WC-Webhook-Signature", encoding="base64")
    delivery = request.headers.get("X-WC-Webhook-Delivery-ID", "")
    if not delivery or len(delivery) > 200:
        raise invalid_payload(
            [Violation(loc="headers.X-WC-Webhook-Delivery-ID", msg="missing or too long")]
        )
    delivery_id = f"{delivery}:{body_digest(request.body)}"
    topic = request.headers.get("X-WC-Webhook-Topic", "")
    raw = json_object(request.body)
    if topic == "order.deleted":
        deleted = validated(Deleted, raw)
        return Inbound(
            delivery_id=delivery_id,
            message=cancel_message(order_id=str(deleted.id), timestamp=timezone.now()),
        )
    kind = TOPICS.get(topic)
    if kind is None:
        return Inbound(delivery_id=delivery_id, note=f"topic {topic[:40]!r} is not used")
    order = validated(Order, raw)
    if order.status in NOT_YET:
        return Inbound(delivery_id=delivery_id, note=f"status {order.status!r}: not paid yet")
    return mapped(delivery_id, to_message(order, kind))


def to_message(order: Order, kind: str) -> Message | None:
    timestamp = order.date_modified_gmt or order.date_created_gmt
    if timestamp is None:
        raise invalid_payload([Violation(loc="date_modified_gmt", msg="missing")])
    if order.status in CANCELLED:
        return cancel_message(order_id=str(order.id), timestamp=timestamp)
    return order_message(
        kind=kind,
        timestamp=timestamp,
        order={
            "id": str(order.id),
            "number": order.number or str(order.id),
            "channel": _channel(order),
            "customer_name": _person(order.shipping) or _person(order.billing),
            "notes": _text(order.customer_note),
            "placed_at": order.date_created_gmt,
        },
        items=[_item(line) for line in order.line_items if line.quantity > 0],
    )


def _text(value: Any) -> str:
    """WooCommerce text is HTML-escaped ("&ndash;"), and plugins' values may be markup."""
    if value is None or isinstance(value, dict | list):
        return ""
    return html.unescape(strip_tags(str(value))).strip()


def _item(line: LineItem) -> dict[str, Any]:
    modifiers: list[str] = []
    notes: list[str] = []
    for meta in line.meta_data:
        if meta.key.startswith("_"):
            continue  # WooCommerce's hidden meta (_reduced_stock, _product_addons…)
        label = _text(meta.display_key) or _text(meta.key).removeprefix("pa_")
        value = _text(meta.display_value if meta.display_value is not None else meta.value)
        if not value:
            continue
        text = f"{label}: {value}" if label else value
        folded = label.casefold()
        (notes if any(w in folded for w in NOTE_WORDS) else modifiers).append(text)
    return item(
        id=line.id,
        sku=line.sku,
        name=_text(line.name),
        quantity=line.quantity,
        modifiers=modifiers,
        notes="; ".join(notes),
    )


def _channel(order: Order) -> str:
    if not order.shipping_lines:
        return "takeout"
    if any((s.method_id or "") in PICKUP_METHODS for s in order.shipping_lines):
        return "takeout"
    return "delivery"


def _person(person: Person | None) -> str:
    if person is None:
        return ""
    return " ".join(_text(p) for p in (person.first_name, person.last_name) if p).strip()
