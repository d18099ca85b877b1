"""The webhook body, as `docs/spec/order-webhook.md` (from ../shared/spec) defines it.

Validation collects every violation with its location ("data.items.0.quantity"),
so a sender fixes its payload in one round trip.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
)

EventType = Literal["order.created", "order.updated", "order.cancelled"]
ChannelName = Literal["dine_in", "takeout", "delivery", "drive_thru"]
PriorityName = Literal["normal", "rush", "vip"]


def _rfc3339_string(value: Any) -> Any:
    # Pydantic would also take a number of seconds; the contract says RFC 3339 text.
    if not isinstance(value, str):
        raise ValueError("must be an RFC 3339 date-time string with an offset")
    return value


DateTime = Annotated[AwareDatetime, BeforeValidator(_rfc3339_string)]


Id = Annotated[StrictStr, Field(min_length=1, max_length=64)]
Sku = Annotated[StrictStr, Field(max_length=64)]
Number = Annotated[StrictStr, Field(min_length=1, max_length=16)]
Short = Annotated[StrictStr, Field(max_length=16)]
Name = Annotated[StrictStr, Field(max_length=64)]
DishName = Annotated[StrictStr, Field(min_length=1, max_length=120)]
Modifier = Annotated[StrictStr, Field(max_length=120)]
Note = Annotated[StrictStr, Field(max_length=500)]


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
    seat: Annotated[StrictInt, Field(ge=1)] | None = None


class OrderIn(_Model):
    id: Id
    number: Number
    channel: ChannelName
    table: Short | None = None
    guests: Annotated[StrictInt, Field(ge=1)] | None = None
    customer_name: Name | None = None
    priority: PriorityName | None = None
    notes: Note | None = None
    placed_at: DateTime | None = None
    fire_at: DateTime | None = None
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
    type: EventType
    timestamp: datetime
    order: OrderIn | None
    cancel: CancelIn | None

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


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_message(body: bytes) -> Message:
    """Decodes and validates a webhook body; raises PayloadError listing every violation."""
    try:
        raw = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise PayloadError([Violation(loc="body", msg="body is not UTF-8")]) from None
    except ValueError as exc:
        raise PayloadError([Violation(loc="body", msg=f"malformed JSON: {exc}")]) from None
    if not isinstance(raw, dict):
        raise PayloadError([Violation(loc="body", msg="must be a JSON object")])

    violations: list[Violation] = []
    envelope: Envelope | None = None
    try:
        envelope = Envelope.model_validate(raw)
    except ValidationError as exc:
        violations += _violations(exc)

    data = raw.get("data")
    kind = raw.get("type")
    order: OrderIn | None = None
    cancel: CancelIn | None = None
    if isinstance(data, dict):
        model: type[_Model] = CancelIn if kind == "order.cancelled" else OrderIn
        try:
            parsed = model.model_validate(data)
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
