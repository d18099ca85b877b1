"""`shopify`: the `orders/create`, `orders/updated` and `orders/cancelled` webhooks.

Verified as Shopify documents (shopify.dev, "Verify webhooks"): `X-Shopify-Hmac-Sha256`
is the base64 HMAC-SHA256 of the raw body, keyed with the app's client secret (or the
key the store's notification settings show). Deduplicated on `X-Shopify-Webhook-Id`,
which a retry repeats; the order's `updated_at` orders updates. The body is the REST
Admin API order resource; what maps to what is in docs/sources.md.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr

from ...models import OrderSource
from ..schema import Message, Violation
from .base import (
    Inbound,
    Quantity,
    Request,
    Text,
    VendorModel,
    VendorTime,
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
VENDOR_SECRET = True
SETUP = (
    _("In the Shopify admin: Settings → Notifications → Webhooks → Create webhook."),
    _(
        "Event “Order creation”, format JSON, URL {url}; save. Again for “Order update” and “Order cancellation”."
    ),
    _(
        "Shopify shows the key the webhooks are signed with below the list: paste it here as the secret."
    ),
    _("(A Shopify app instead: the app's client secret is the secret.)"),
)

TOPICS = {
    "orders/create": "order.created",
    "orders/updated": "order.updated",
    "orders/cancelled": "order.cancelled",
}
# Shopify's order does not say whether a shipping line is a pickup (local pickup and
# local delivery look alike, docs/sources.md): a code or title with one of these is.
PICKUP_WORDS = ("pickup", "pick up", "pick-up", "collect", "自取", "到店")
# Line properties that are notes for the cook rather than choices.
NOTE_WORDS = ("note", "allerg", "备注", "过敏", "忌口")

Id = StrictInt | StrictStr
Scalar = StrictStr | StrictInt | StrictFloat | StrictBool | None


class Property(VendorModel):
    name: StrictStr
    value: Scalar = None


class LineItem(VendorModel):
    id: Id
    title: Text = None
    name: Text = None
    variant_title: Text = None
    sku: Text = None
    quantity: Quantity
    # Quantity after order edits and removals, where the API version sends it.
    current_quantity: Quantity | None = None
    gift_card: StrictBool = False
    properties: Annotated[list[Property], Field(max_length=200)] = []


class ShippingLine(VendorModel):
    title: Text = None
    code: Text = None


class Address(VendorModel):
    name: Text = None


class Customer(VendorModel):
    first_name: Text = None
    last_name: Text = None


class Order(VendorModel):
    id: Id
    name: Text = None
    order_number: StrictInt | None = None
    created_at: VendorTime | None = None
    updated_at: VendorTime | None = None
    cancelled_at: VendorTime | None = None
    note: Text = None
    note_attributes: Annotated[list[Property], Field(max_length=200)] = []
    line_items: Annotated[list[LineItem], Field(max_length=1000)] = []
    shipping_lines: Annotated[list[ShippingLine], Field(max_length=50)] = []
    shipping_address: Address | None = None
    billing_address: Address | None = None
    customer: Customer | None = None


def receive(source: OrderSource, request: Request) -> Inbound:
    verify_signed_json(source, request, header="X-Shopify-Hmac-Sha256", encoding="base64")
    webhook_id = request.headers.get("X-Shopify-Webhook-Id", "")
    if not webhook_id or len(webhook_id) > 255:
        raise invalid_payload(
            [Violation(loc="headers.X-Shopify-Webhook-Id", msg="missing or longer than 255")]
        )
    topic = request.headers.get("X-Shopify-Topic", "")
    raw = json_object(request.body)
    kind = TOPICS.get(topic)
    if kind is None:
        return Inbound(delivery_id=webhook_id, note=f"topic {topic[:40]!r} is not used")
    return mapped(webhook_id, to_message(validated(Order, raw), kind))


def to_message(order: Order, kind: str) -> Message | None:
    timestamp = order.updated_at or order.created_at
    if timestamp is None:
        raise invalid_payload([Violation(loc="updated_at", msg="missing updated_at")])
    if kind == "order.cancelled" or order.cancelled_at is not None:
        return cancel_message(order_id=str(order.id), timestamp=timestamp)
    return order_message(
        kind=kind,
        timestamp=timestamp,
        order={
            "id": str(order.id),
            "number": order.name or str(order.order_number or order.id),
            "channel": _channel(order),
            "customer_name": _customer(order),
            "notes": _notes(order),
            "placed_at": order.created_at,
        },
        items=[_item(line) for line in order.line_items if _cooked(line)],
    )


def _cooked(line: LineItem) -> bool:
    quantity = line.quantity if line.current_quantity is None else line.current_quantity
    return quantity > 0 and not line.gift_card


def _item(line: LineItem) -> dict[str, Any]:
    modifiers: list[str] = []
    notes: list[str] = []
    if line.variant_title and line.variant_title != "Default Title":
        modifiers.append(line.variant_title)
    for prop in line.properties:
        if prop.name.startswith("_") or prop.value in (None, ""):
            continue  # Shopify's convention: names starting with _ are private
        text = f"{prop.name}: {prop.value}"
        (notes if _is_note(prop.name) else modifiers).append(text)
    return item(
        id=line.id,
        sku=line.sku,
        name=line.title or line.name,
        quantity=line.quantity if line.current_quantity is None else line.current_quantity,
        modifiers=modifiers,
        notes="; ".join(notes),
    )


def _is_note(name: str) -> bool:
    folded = name.casefold()
    return any(word in folded for word in NOTE_WORDS)


def _channel(order: Order) -> str:
    if not order.shipping_lines:
        return "takeout"
    for line in order.shipping_lines:
        text = f"{line.code or ''} {line.title or ''}".casefold()
        if any(word in text for word in PICKUP_WORDS):
            return "takeout"
    return "delivery"


def _customer(order: Order) -> str:
    for address in (order.shipping_address, order.billing_address):
        if address is not None and address.name:
            return address.name
    if order.customer is not None:
        return " ".join(p for p in (order.customer.first_name, order.customer.last_name) if p)
    return ""


def _notes(order: Order) -> str:
    parts = [order.note or ""]
    parts += [
        f"{a.name}: {a.value}"
        for a in order.note_attributes
        if not a.name.startswith("_") and a.value not in (None, "")
    ]
    return " · ".join(p for p in parts if p)
