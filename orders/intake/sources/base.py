"""What every kind of source has in common: the request it reads and what it makes of it.

Each kind (one module beside this one) verifies a request the way its vendor signs,
names the delivery it deduplicates on, and maps the body to the same `Message` our own
contract parses to, so `order_ingest` keeps every promise for every kind: 2xx means
stored, a retry changes nothing, bad input is a 4xx with nothing stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, TypeVar

from django.conf import settings
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
)

from ... import safe_json
from ...models import OrderSource
from ..schema import (
    CancelIn,
    Message,
    OrderIn,
    Violation,
    _violations,
)
from ..signature import SignatureError

# What the contract allows (orders/intake/schema.py); vendors' longer text is cut to fit.
NAME_MAX, NOTE_MAX, NUMBER_MAX, SHORT_MAX, CUSTOMER_MAX = 120, 500, 16, 16, 64
MODIFIER_MAX, MODIFIERS_MAX, ITEMS_MAX, QUANTITY_MAX, ID_MAX = 120, 30, 200, 999, 64


@dataclass(frozen=True)
class Request:
    headers: Mapping[str, str]
    body: bytes
    content_type: str
    # The URL the sender posted to, as it sees it: KDS_BASE_URL + the path (Square signs it).
    url: str


@dataclass(frozen=True)
class Inbound:
    """One verified request. `message` None: acknowledged with nothing stored (`note` says why)."""

    delivery_id: str
    message: Message | None = None
    note: str = ""
    # Square: the order is announced, not sent; fetch it (orders/intake/fetch.py).
    fetch_order_id: str = ""
    fetch_version: int | None = None
    event_type: str = ""


class Refused(Exception):
    """Bad input: answered with `status` and a JSON error, nothing stored."""

    def __init__(self, status: int, code: str, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        self.status = status
        self.code = code
        self.extra = extra


def unsupported_media_type() -> Refused:
    return Refused(415, "unsupported_media_type", "unsupported media type")


def invalid_signature(reason: str) -> Refused:
    return Refused(401, "invalid_signature", reason)


def invalid_payload(violations: list[Violation]) -> Refused:
    return Refused(
        400,
        "invalid_payload",
        f"{len(violations)} violation(s)",
        detail=[v.model_dump() for v in violations],
    )


# ---------------------------------------------------------------- signatures


def hmac_matches(*, given: str, secrets: Iterable[str], message: bytes, encoding: str) -> None:
    """Raises SignatureError unless `given` is the HMAC-SHA256 of `message` with one secret.

    `encoding` is how the vendor writes the digest: "base64" or "hex". Every secret is
    tried (rotation keeps two valid), in constant time per comparison.
    """
    if not given or len(given) > 200 or not given.isascii():
        raise SignatureError("missing or malformed signature header")
    try:
        if encoding == "hex":
            expected_bytes = bytes.fromhex(given.strip())
        else:
            expected_bytes = base64.b64decode(given.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError("signature is not valid " + encoding) from None
    matched = False
    for secret in secrets:
        digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
        matched |= hmac.compare_digest(digest, expected_bytes)
    if not matched:
        raise SignatureError("no matching signature")


def verify_signed_json(
    source: OrderSource,
    request: Request,
    *,
    header: str,
    encoding: str,
    signed_prefix: bytes = b"",
) -> None:
    """Every vendor's first checks: a JSON body, and the vendor's HMAC in `header` over
    `signed_prefix` and the body (Square prefixes its notification URL)."""
    if request.content_type != "application/json":
        raise unsupported_media_type()
    try:
        hmac_matches(
            given=request.headers.get(header, ""),
            secrets=source.valid_secrets(),
            message=signed_prefix + request.body,
            encoding=encoding,
        )
    except SignatureError as exc:
        raise invalid_signature(str(exc)) from None


def mapped(delivery_id: str, message: Message | None) -> Inbound:
    """What a mapping made of a delivery: the message, or an acknowledgement of nothing."""
    if message is None:
        return Inbound(delivery_id=delivery_id, note="no line to cook")
    return Inbound(delivery_id=delivery_id, message=message)


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


# ---------------------------------------------------------------- parsing


# Vendors' fields: text that may be missing, and a count of dishes.
Text = StrictStr | None
Quantity = Annotated[StrictInt, Field(ge=0, le=QUANTITY_MAX)]


class VendorModel(BaseModel):
    """A vendor's payload: unknown fields ignored, as the vendors add fields over time."""

    model_config = ConfigDict(extra="ignore", frozen=True)


def json_object(body: bytes) -> dict[str, Any]:
    try:
        raw = safe_json.loads(body)
    except safe_json.JsonError as exc:
        raise invalid_payload([Violation(loc="body", msg=str(exc))]) from None
    if not isinstance(raw, dict):
        raise invalid_payload([Violation(loc="body", msg="must be a JSON object")])
    return raw


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], raw: Any, prefix: tuple[str | int, ...] = ()) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise invalid_payload(_violations(exc, prefix)) from None


def cut(text: str | None, limit: int) -> str:
    """Vendor text made to fit the contract: NULs dropped, a lone surrogate (which JSON
    can spell and no database stores) replaced, cut with an ellipsis."""
    clean = (text or "").replace("\x00", "")
    clean = clean.encode("utf-8", "replace").decode("utf-8").strip()
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def external_id(value: object) -> str:
    """A vendor id as our contract's string id (1–64 characters): long ones are hashed."""
    text = str(value)
    return text if len(text) <= ID_MAX else "h:" + hashlib.sha256(text.encode()).hexdigest()[:40]


def join_modifiers(modifiers: list[str]) -> list[str]:
    """At most 30 modifiers of at most 120 characters; the rest joined into the last one."""
    kept = [cut(m, MODIFIER_MAX) for m in modifiers if m and m.strip()]
    if len(kept) > MODIFIERS_MAX:
        kept = [*kept[: MODIFIERS_MAX - 1], cut("; ".join(kept[MODIFIERS_MAX - 1 :]), MODIFIER_MAX)]
    return kept


def item(
    *,
    id: object,
    name: str | None,
    quantity: int,
    sku: str | None = None,
    modifiers: list[str] | None = None,
    notes: str | None = None,
) -> dict[str, Any]:
    """One line in the contract's shape (validated with the whole order)."""
    return {
        "id": external_id(id),
        "sku": cut(sku, 64) or None,
        "name": cut(name, NAME_MAX) or "?",
        "quantity": quantity,
        "modifiers": join_modifiers(modifiers or []),
        "notes": cut(notes, NOTE_MAX) or None,
    }


def order_message(
    *,
    kind: str,
    timestamp: datetime,
    order: dict[str, Any],
    items: list[dict[str, Any]],
    version: int | None = None,
) -> Message | None:
    """A create/update message from mapped fields, or None when no line is left to cook."""
    if not items:
        return None
    if len(items) > ITEMS_MAX:
        raise invalid_payload(
            [Violation(loc="items", msg=f"more than {ITEMS_MAX} lines in one order")]
        )
    seen: set[str] = set()
    for index, line in enumerate(items):
        if line["id"] in seen:
            raise invalid_payload(
                [Violation(loc=f"items.{index}.id", msg="duplicate line id in this order")]
            )
        seen.add(line["id"])
    fields = {
        **order,
        "id": external_id(order["id"]),
        "number": cut(order.get("number"), NUMBER_MAX) or "?",
        "table": cut(order.get("table"), SHORT_MAX) or None,
        "customer_name": cut(order.get("customer_name"), CUSTOMER_MAX) or None,
        "notes": cut(order.get("notes"), NOTE_MAX) or None,
        "items": items,
    }
    _keep_times_in_window(fields)
    for name in ("placed_at", "fire_at"):
        if isinstance(fields.get(name), datetime):
            fields[name] = fields[name].isoformat()  # the contract reads RFC 3339 text
    # The mapping keeps within the contract; this check is what guarantees it.
    data = validated(OrderIn, fields, ("mapped",))
    return Message(type=kind, timestamp=timestamp, order=data, cancel=None, version=version)  # type: ignore[arg-type]


def _keep_times_in_window(fields: dict[str, Any]) -> None:
    """A vendor's order is never refused for its clock (the vendor would resend it
    forever): a placed time outside the contract's window is dropped (the time received
    counts), and a scheduled time too far ahead is kept in the notes instead."""
    now = datetime.now(UTC)
    window = timedelta(days=settings.KDS_WEBHOOK_PLACED_AT_WINDOW_DAYS)
    ahead = timedelta(days=settings.KDS_WEBHOOK_FIRE_AT_AHEAD_DAYS)
    placed, fire = fields.get("placed_at"), fields.get("fire_at")
    if isinstance(placed, datetime) and abs(placed - now) > window:
        fields["placed_at"] = None
    if isinstance(fire, datetime) and now - fire > window:
        fields["fire_at"] = None
    elif isinstance(fire, datetime) and fire - now > ahead:
        fields["fire_at"] = None
        note = f"{fields.get('notes') or ''} · for {fire:%Y-%m-%d %H:%M} UTC".strip(" ·")
        fields["notes"] = cut(note, NOTE_MAX)


def cancel_message(*, order_id: str, timestamp: datetime, version: int | None = None) -> Message:
    return Message(
        type="order.cancelled",
        timestamp=timestamp,
        order=None,
        cancel=CancelIn(id=external_id(order_id)),
        version=version,
    )


def _in_utc(value: datetime) -> datetime:
    # Times without an offset are UTC (WooCommerce's *_gmt fields); a time that cannot
    # be expressed in UTC (year 1 at +14:00) is a violation, not a crash when stored.
    try:
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("date-time out of range") from None


VendorTime = Annotated[datetime, AfterValidator(_in_utc)]


Receiver = Callable[[OrderSource, Request], Inbound]
