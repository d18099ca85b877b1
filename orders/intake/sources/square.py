"""`square`: the `order.created`, `order.updated` and `order.fulfillment.updated` webhooks.

Verified as Square documents ("Validate notifications"; the vector in Square's SDKs is
a test fixture): `x-square-hmacsha256-signature` is the base64 HMAC-SHA256, keyed with
the subscription's signature key, of the notification URL followed by the raw body.
The URL is the one Square posts to, which we know as KDS_BASE_URL + the path.

The event names the order and its version but does not carry it: the order is fetched
from the Orders API (`RetrieveOrder`) by `orders.intake.fetch`, after the event is
stored, and retried by the scheduler while Square's API fails. Deduplicated on the
event's `event_id`; the order's `version` orders updates (a lower one never applies).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.utils.translation import gettext_lazy as _
from pydantic import Field, StrictBool, StrictInt, StrictStr

from ...models import OrderSource
from ..schema import Message, Violation
from .base import (
    QUANTITY_MAX,
    Inbound,
    Request,
    Text,
    VendorModel,
    VendorTime,
    cancel_message,
    invalid_payload,
    item,
    json_object,
    order_message,
    validated,
    verify_signed_json,
)

# What to paste where (the admin and `kds_source add` show it; docs/sources.md has more).
VENDOR_SECRET = True
SETUP = (
    _(
        "In the Square Developer Console: your application → Webhooks → Subscriptions → Add subscription."
    ),
    _(
        "Notification URL {url} (exactly: Square signs it), events order.created, order.updated, order.fulfillment.updated."
    ),
    _("Open the subscription, Show the signature key: paste it here as the secret."),
    _(
        "Paste the application's access token (Credentials) here too: the orders are fetched with it."
    ),
    _("Optional: the Square location ID, to take only that location's orders."),
)

EVENTS = {
    "order.created": "order_created",
    "order.updated": "order_updated",
    "order.fulfillment.updated": "order_fulfillment_updated",
}


class EventOrder(VendorModel):
    # Square's ids are about 30 characters; our order ids hold 64, and the id is what the
    # order is fetched and written back with, so a longer one is refused, not shortened.
    order_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    version: StrictInt | None = None
    location_id: Text = None


class EventData(VendorModel):
    type: Text = None
    id: Text = None
    object: dict[str, Any] = {}


class Event(VendorModel):
    event_id: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    type: StrictStr
    merchant_id: Text = None
    data: EventData = EventData()


def receive(source: OrderSource, request: Request) -> Inbound:
    verify_signed_json(
        source,
        request,
        header="x-square-hmacsha256-signature",
        encoding="base64",
        signed_prefix=request.url.encode(),
    )
    event = validated(Event, json_object(request.body))
    key = EVENTS.get(event.type)
    if key is None:
        return Inbound(delivery_id=event.event_id, note=f"event {event.type[:40]!r} is not used")
    announced = validated(EventOrder, event.data.object.get(key), ("data", "object", key))
    if source.vendor_location and announced.location_id != source.vendor_location:
        return Inbound(delivery_id=event.event_id, note="another Square location")
    return Inbound(
        delivery_id=event.event_id,
        fetch_order_id=announced.order_id,
        fetch_version=announced.version,
        event_type=event.type,
    )


# ---------------------------------------------------------------- the fetched order


class Recipient(VendorModel):
    display_name: Text = None


class PickupDetails(VendorModel):
    recipient: Recipient | None = None
    note: Text = None
    schedule_type: Text = None
    pickup_at: VendorTime | None = None
    is_curbside_pickup: StrictBool | None = None


class DeliveryDetails(VendorModel):
    recipient: Recipient | None = None
    note: Text = None
    schedule_type: Text = None
    deliver_at: VendorTime | None = None


class ShipmentDetails(VendorModel):
    recipient: Recipient | None = None


class Fulfillment(VendorModel):
    uid: Text = None
    type: Text = None
    state: Text = None
    pickup_details: PickupDetails | None = None
    delivery_details: DeliveryDetails | None = None
    shipment_details: ShipmentDetails | None = None


class Modifier(VendorModel):
    name: Text = None
    quantity: Text = None


class LineItem(VendorModel):
    uid: Text = None
    name: Text = None
    quantity: StrictStr
    variation_name: Text = None
    note: Text = None
    item_type: Text = None
    modifiers: Annotated[list[Modifier], Field(max_length=100)] = []


class Order(VendorModel):
    id: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    location_id: Text = None
    state: Text = None
    version: StrictInt | None = None
    created_at: VendorTime | None = None
    updated_at: VendorTime | None = None
    ticket_name: Text = None
    reference_id: Text = None
    line_items: Annotated[list[LineItem], Field(max_length=1000)] = []
    fulfillments: Annotated[list[Fulfillment], Field(max_length=20)] = []


class Retrieved(VendorModel):
    order: Order


def order_from_response(raw: Any) -> Order:
    """The order in a `RetrieveOrder` response body; Refused(400) when it is not one."""
    return validated(Retrieved, raw).order


def to_message(order: Order, *, created: bool) -> Message | None:
    """The order as our message; None when there is nothing for the kitchen (a draft)."""
    timestamp = order.updated_at or order.created_at
    if timestamp is None:
        raise invalid_payload([Violation(loc="order.updated_at", msg="missing")])
    states = {f.state for f in order.fulfillments}
    if order.state == "CANCELED" or (states and states <= {"CANCELED", "FAILED"}):
        return cancel_message(order_id=order.id, timestamp=timestamp, version=order.version)
    if order.state == "DRAFT":
        return None
    fulfillment = order.fulfillments[0] if order.fulfillments else None
    channel, customer, notes, fire_at = _fulfillment_facts(fulfillment)
    items = []
    for index, line in enumerate(order.line_items):
        if line.item_type == "GIFT_CARD":
            continue
        quantity, measure = _quantity(line.quantity, f"order.line_items.{index}.quantity")
        if quantity == 0:
            continue
        modifiers = [measure] if measure else []
        if line.variation_name and line.variation_name != "Regular":
            modifiers.append(line.variation_name)
        modifiers += [_modifier(m) for m in line.modifiers if m.name]
        items.append(
            item(
                id=line.uid or str(index),
                name=line.name,
                quantity=quantity,
                modifiers=modifiers,
                notes=line.note,
            )
        )
    return order_message(
        kind="order.created" if created else "order.updated",
        timestamp=timestamp,
        version=order.version,
        order={
            "id": order.id,
            "number": order.ticket_name or order.reference_id or order.id[-6:].upper(),
            "channel": channel,
            "customer_name": customer,
            "notes": notes,
            "placed_at": order.created_at,
            "fire_at": fire_at,
        },
        items=items,
    )


def _quantity(raw: str, loc: str) -> tuple[int, str]:
    """Square's decimal quantity as a count, with the measure as a modifier ("× 1.5")."""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value > QUANTITY_MAX:
        raise invalid_payload([Violation(loc=loc, msg=f"not a quantity from 0 to {QUANTITY_MAX}")])
    if value == value.to_integral_value():
        return int(value), ""
    return 1, f"× {value.normalize()}"


def _modifier(modifier: Modifier) -> str:
    name = modifier.name or ""
    if modifier.quantity and modifier.quantity not in ("1", "0"):
        return f"{name} × {modifier.quantity}"
    return name


def _fulfillment_facts(f: Fulfillment | None) -> tuple[str, str, str, Any]:
    """Channel, customer name, note and scheduled time from the order's fulfillment."""
    if f is None:
        return "dine_in", "", "", None
    if f.type == "PICKUP" and f.pickup_details is not None:
        d = f.pickup_details
        notes = " · ".join(p for p in ("Curbside" if d.is_curbside_pickup else "", d.note) if p)
        fire_at = d.pickup_at if d.schedule_type == "SCHEDULED" else None
        return "takeout", _name(d.recipient), notes, fire_at
    if f.type == "DELIVERY" and f.delivery_details is not None:
        d2 = f.delivery_details
        fire_at = d2.deliver_at if d2.schedule_type == "SCHEDULED" else None
        return "delivery", _name(d2.recipient), d2.note or "", fire_at
    if f.type == "SHIPMENT":
        shipment = f.shipment_details
        return "delivery", _name(shipment.recipient if shipment else None), "", None
    return "takeout", "", "", None


def _name(recipient: Recipient | None) -> str:
    return recipient.display_name or "" if recipient is not None else ""
