"""The webhook body, as `docs/spec/order-webhook.md` (from ../shared/spec) defines it.

Validation collects every violation with its location ("data.items.0.quantity"),
so a sender fixes its payload in one round trip.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
)

from .. import safe_json
from ..safe_json import storable_text

EventType = Literal["order.created", "order.updated", "order.cancelled"]
ChannelName = Literal["dine_in", "takeout", "delivery", "drive_thru"]
PriorityName = Literal["normal", "rush", "vip"]


def _rfc3339_string(value: Any) -> Any:
    # Pydantic would also take a number of seconds; the contract says RFC 3339 text.
    if not isinstance(value, str):
        raise ValueError("must be an RFC 3339 date-time string with an offset")
    return value


def _storable_time(value: datetime) -> datetime:
    # "9999-12-31T23:59:59-05:00" is a valid RFC 3339 time in year 10000 UTC, which no
    # database column (nor Python) holds; converting it is what would fail later.
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("must fall within the years 1–9999 in UTC") from None


DateTime = Annotated[
    AwareDatetime, BeforeValidator(_rfc3339_string), AfterValidator(_storable_time)
]


@dataclass(frozen=True)
class TimeWindow:
    """How far from the time of receipt an order's times may be (settings.KDS_WEBHOOK_*).

    Beyond them a time is a sender's placeholder ("9999-12-31" for "no date") or a clock
    gone wrong, and every screen would show it forever ("starts in 2,900,000 days").
    """

    placed_at: timedelta = timedelta(days=365)  # either side of now
    fire_at_ahead: timedelta = timedelta(days=30)
    now: datetime | None = None


def _window(info: ValidationInfo) -> tuple[TimeWindow, datetime]:
    window = (info.context or {}).get("window") or TimeWindow()
    return window, window.now or datetime.now(UTC)


def _placed_at_window(value: datetime, info: ValidationInfo) -> datetime:
    window, now = _window(info)
    if abs(value - now) > window.placed_at:
        raise ValueError(f"must be within {window.placed_at.days} days of now")
    return value


def _fire_at_window(value: datetime, info: ValidationInfo) -> datetime:
    window, now = _window(info)
    if value - now > window.fire_at_ahead:
        raise ValueError(f"must be at most {window.fire_at_ahead.days} days ahead")
    if now - value > window.placed_at:
        raise ValueError(f"must be within {window.placed_at.days} days of now")
    return value


Text = Annotated[StrictStr, AfterValidator(storable_text)]
Id = Annotated[Text, Field(min_length=1, max_length=64)]
Sku = Annotated[Text, Field(max_length=64)]
Number = Annotated[Text, Field(min_length=1, max_length=16)]
Short = Annotated[Text, Field(max_length=16)]
Name = Annotated[Text, Field(max_length=64)]
DishName = Annotated[Text, Field(min_length=1, max_length=120)]
Modifier = Annotated[Text, Field(max_length=120)]
Note = Annotated[Text, Field(max_length=500)]
# Covers and seat numbers: the contract says "≥ 1"; anything past four digits is a bug
# upstream, and past 2³¹ - 1 PostgreSQL's integer column refuses it.
Count = Annotated[StrictInt, Field(ge=1, le=9999)]


class _Model(BaseModel):
    # Unknown fields are ignored: senders may send more than we read.
    model_config = ConfigDict(extra="ignore", frozen=True)


class ItemIn(_Model):
    id: Id
    sku: Sku | None = None
    name: DishName
    quantity: Annotated[StrictInt, Field(ge=1, le=999)]
    modifiers: Annotated[list[Modifier], Field(max_length=30)] = []
    notes: Note | None = None
    course: Annotated[StrictInt, Field(ge=1, le=9)] | None = None
    seat: Count | None = None


class OrderIn(_Model):
    id: Id
    number: Number
    channel: ChannelName
    table: Short | None = None
    guests: Count | None = None
    customer_name: Name | None = None
    priority: PriorityName | None = None
    notes: Note | None = None
    placed_at: Annotated[DateTime, AfterValidator(_placed_at_window)] | None = None
    fire_at: Annotated[DateTime, AfterValidator(_fire_at_window)] | None = None
    items: Annotated[list[ItemIn], Field(min_length=1, max_length=200)]


class CancelIn(_Model):
    id: Id


class Envelope(_Model):
    type: EventType
    timestamp: DateTime
    data: dict[str, Any]


class Violation(BaseModel):
    loc: str
    msg: str


class PayloadError(Exception):
    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(f"{len(violations)} violation(s)")
        self.violations = violations


class Message(BaseModel):
    """What `order_ingest` applies, whatever the kind of source (orders/intake/sources/)."""

    type: EventType
    timestamp: datetime
    order: OrderIn | None
    cancel: CancelIn | None
    # The sender's version of the order, where it numbers them (Square): never go back.
    version: int | None = None

    @property
    def order_id(self) -> str:
        if self.order is not None:
            return self.order.id
        assert self.cancel is not None
        return self.cancel.id


def _loc(prefix: tuple[str | int, ...], loc: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in (*prefix, *loc))


def _violations(exc: ValidationError, prefix: tuple[str | int, ...] = ()) -> list[Violation]:
    return [
        Violation(loc=_loc(prefix, tuple(e["loc"])) or "body", msg=e["msg"]) for e in exc.errors()
    ]


def _duplicate_item_ids(data: dict[str, Any]) -> list[Violation]:
    items = data.get("items")
    if not isinstance(items, list):
        return []
    seen: set[str] = set()
    found = []
    for index, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            if item["id"] in seen:
                found.append(
                    Violation(loc=f"data.items.{index}.id", msg="duplicate item id in this order")
                )
            seen.add(item["id"])
    return found


def parse_message(body: bytes, *, window: TimeWindow | None = None) -> Message:
    """Decodes and validates a webhook body; raises PayloadError listing every violation."""
    try:
        raw = safe_json.loads(body)
    except safe_json.JsonError as exc:
        raise PayloadError([Violation(loc="body", msg=str(exc))]) from None
    context = {"window": window or TimeWindow()}
    if not isinstance(raw, dict):
        raise PayloadError([Violation(loc="body", msg="must be a JSON object")])

    violations: list[Violation] = []
    envelope: Envelope | None = None
    try:
        envelope = Envelope.model_validate(raw, context=context)
    except ValidationError as exc:
        violations += _violations(exc)

    data = raw.get("data")
    kind = raw.get("type")
    order: OrderIn | None = None
    cancel: CancelIn | None = None
    if isinstance(data, dict):
        model: type[_Model] = CancelIn if kind == "order.cancelled" else OrderIn
        try:
            parsed = model.model_validate(data, context=context)
        except ValidationError as exc:
            violations += _violations(exc, ("data",))
        else:
            if isinstance(parsed, OrderIn):
                order = parsed
            else:
                cancel = parsed  # type: ignore[assignment]
        if model is OrderIn:
            violations += _duplicate_item_ids(data)

    if violations or envelope is None:
        raise PayloadError(violations)
    return Message(type=envelope.type, timestamp=envelope.timestamp, order=order, cancel=cancel)
