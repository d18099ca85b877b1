"""`deliverect`: Deliverect's order notifications (POS and KDS integrations).

Verified as Deliverect documents ("HMAC Authentication"): the
`x-server-authorization-hmac-sha256` header is the hex HMAC-SHA256 of the raw body,
keyed with the secret Deliverect gives the integration (in its staging environment,
the channel link ID). `channelOrderDisplayId` is the ticket number; a cancellation is
the same order sent again with `"status": 100`, bearing the original `_id`.

Deliverect sends no delivery id and no updates besides cancellations, so a delivery is
deduplicated on the order's id, its status and a digest of the body.
"""

from __future__ import annotations

from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import Field, StrictBool, StrictInt, StrictStr

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
VENDOR_SECRET = True
SETUP = (
    _(
        "Deliverect sets the order webhook URL of your location to {url} (your Deliverect contact or the partner portal)."
    ),
    _(
        "Paste the HMAC secret Deliverect gave your integration here as the secret (in Deliverect's staging: the channel link ID)."
    ),
    _("For “ready” to reach Deliverect, paste the integration's client ID and client secret too."),
    _("Optional: the Deliverect location ID, to take only that location's orders."),
)

CANCEL = 100
# orderType: 1 pickup, 2 delivery, 3 eat in, 4 curbside (5: drive-through, KDS API).
ORDER_TYPES = {1: "takeout", 2: "delivery", 3: "dine_in", 4: "takeout", 5: "drive_thru"}
SUB_ITEM_DEPTH = 5


class SubItem(VendorModel):
    plu: Text = None
    name: Text = None
    quantity: Quantity = 1
    remark: Text = None
    itemRemark: Text = None
    subItems: Annotated[list[SubItem], Field(max_length=100)] = []


class Item(SubItem):
    quantity: Quantity


class Customer(VendorModel):
    name: Text = None


class Order(VendorModel):
    # `_id` in the POS order model, `orderId` in the KDS one.
    id: Annotated[StrictStr, Field(min_length=1, max_length=64)] | None = Field(
        default=None, alias="_id"
    )
    orderId: Annotated[StrictStr, Field(min_length=1, max_length=64)] | None = None
    channelOrderId: Text = None
    channelOrderDisplayId: Text = None
    location: Text = None
    status: StrictInt = 0
    orderType: StrictInt | None = None
    created: VendorTime | None = Field(default=None, alias="_created")
    updated: VendorTime | None = Field(default=None, alias="_updated")
    pickupTime: VendorTime | None = None
    deliveryIsAsap: StrictBool | None = None
    note: Text = None
    brandName: Text = None
    customerName: Text = None
    customer: Customer | None = None
    items: Annotated[list[Item], Field(max_length=1000)] = []
    isTest: StrictBool | None = None


def receive(source: OrderSource, request: Request) -> Inbound:
    verify_signed_json(source, request, header="x-server-authorization-hmac-sha256", encoding="hex")
    order = validated(Order, json_object(request.body))
    order_id = order.id or order.orderId
    if not order_id:
        raise invalid_payload([Violation(loc="_id", msg="missing _id (or orderId)")])
    delivery_id = f"{order_id[:64]}:{order.status}:{body_digest(request.body)}"
    if source.vendor_location and order.location != source.vendor_location:
        return Inbound(delivery_id=delivery_id, note="another Deliverect location")
    return mapped(delivery_id, to_message(order, order_id))


def to_message(order: Order, order_id: str) -> Message | None:
    timestamp = order.updated or order.created or timezone.now()
    if order.status == CANCEL:
        return cancel_message(order_id=order_id, timestamp=timestamp)
    notes = [order.brandName or "", "Curbside" if order.orderType == 4 else "", order.note or ""]
    customer = order.customerName or (order.customer.name if order.customer else None)
    return order_message(
        kind="order.created",
        timestamp=timestamp,
        order={
            "id": order_id,
            "number": order.channelOrderDisplayId or order.channelOrderId or order_id[-6:],
            "channel": ORDER_TYPES.get(order.orderType or 1, "takeout"),
            "customer_name": customer,
            "notes": " · ".join(n for n in notes if n),
            "placed_at": order.created,
            "fire_at": order.pickupTime if order.deliveryIsAsap is False else None,
        },
        items=[
            item(
                id=str(index + 1),
                sku=line.plu,
                name=line.name,
                quantity=line.quantity,
                modifiers=_modifiers(line.subItems, depth=0),
                notes="; ".join(_remarks(line, depth=0)),
            )
            for index, line in enumerate(order.items)
            if line.quantity > 0
        ],
    )


def _modifiers(subs: list[SubItem], *, depth: int, prefix: str = "") -> list[str]:
    found: list[str] = []
    if depth >= SUB_ITEM_DEPTH:
        return found
    for sub in subs:
        if not sub.name or sub.quantity == 0:
            continue
        label = prefix + sub.name + (f" × {sub.quantity}" if sub.quantity > 1 else "")
        found.append(label)
        found += _modifiers(sub.subItems, depth=depth + 1, prefix=f"{sub.name} › ")
    return found


def _remarks(line: SubItem, *, depth: int) -> list[str]:
    found = [r for r in (line.remark, line.itemRemark) if r]
    if depth < SUB_ITEM_DEPTH:
        for sub in line.subItems:
            found += [f"{sub.name}: {r}" for r in _remarks(sub, depth=depth + 1)]
    return found
