"""Data at the edges of what a database stores: a clear 400 with its location, never a 500
and never a 503 (which a Standard Webhooks sender would retry forever, stalling every
later order behind it). Runs on SQLite and, in CI's second pass, on PostgreSQL, which
refuses NUL in text, integers over 2³¹ - 1 and times outside years 1–9999."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import Line, LineStation, Order, OrderEvent, WebhookMessage
from tests import factories

pytestmark = pytest.mark.django_db


def stored() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Order, Line, LineStation, OrderEvent, WebhookMessage))


def send(kitchen: factories.Kitchen, body: Any, **headers: str) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    signed = factories.signed_headers(kitchen.secret, raw, msg_id=f"msg_{uuid.uuid4().hex}")
    signed.pop("content-type")
    signed.update(headers)
    return Client().post(
        f"/webhooks/{kitchen.source.slug}/", raw, content_type="application/json", headers=signed
    )


def iso(moment: datetime) -> str:
    return moment.isoformat()


def now() -> datetime:
    return datetime.now(UTC)


def order_with(**fields: Any) -> dict[str, Any]:
    """A valid order.created whose data (or, with `item__x`, first item) has these fields."""
    item: dict[str, Any] = {"id": "l-1", "name": "Mapo tofu", "quantity": 1}
    data: dict[str, Any] = {}
    for name, value in fields.items():
        if name.startswith("item__"):
            item[name.removeprefix("item__")] = value
        else:
            data[name] = value
    body = factories.order_body(f"o-{uuid.uuid4().hex[:8]}", items=[item])
    body["data"].update(data)
    return body


def assert_refused(response: Any, loc: str) -> None:
    assert response.status_code == 400, (response.status_code, response.content)
    body = json.loads(response.content)
    assert body["error"] == "invalid_payload"
    assert loc in {d["loc"] for d in body["detail"]}, body["detail"]


NUL_FIELDS: dict[str, dict[str, Any]] = {
    "data.id": {"id": "o\x00"},
    "data.number": {"number": "4\x002"},
    "data.table": {"table": "T\x00"},
    "data.customer_name": {"customer_name": "Ann\x00"},
    "data.notes": {"notes": "ring \x00 twice"},
    "data.items.0.id": {"item__id": "l\x00"},
    "data.items.0.sku": {"item__sku": "s\x00"},
    "data.items.0.name": {"item__name": "Tofu\x00"},
    "data.items.0.notes": {"item__notes": "nut allergy\x00"},
    "data.items.0.modifiers.0": {"item__modifiers": ["no\x00 chili"]},
}


@pytest.mark.parametrize("loc", NUL_FIELDS)
def test_it_refuses_a_nul_character_in_any_text(kitchen: factories.Kitchen, loc: str) -> None:
    assert_refused(send(kitchen, order_with(**NUL_FIELDS[loc])), loc)
    assert stored() == (0, 0, 0, 0, 0)


def test_it_refuses_a_lone_surrogate_in_text(kitchen: factories.Kitchen) -> None:
    # JSON can spell half of a UTF-16 pair; no database can store it as UTF-8.
    raw = json.dumps(order_with(notes="x")).replace('"x"', '"\\ud800"').encode()
    assert_refused(send(kitchen, raw), "data.notes")


def test_it_refuses_a_nul_in_the_cancelled_order_id(kitchen: factories.Kitchen) -> None:
    body = factories.order_body("o\x00", kind="order.cancelled")
    assert_refused(send(kitchen, body), "data.id")


def test_it_refuses_a_nul_in_the_webhook_id(kitchen: factories.Kitchen) -> None:
    raw = json.dumps(order_with()).encode()
    response = Client().post(
        f"/webhooks/{kitchen.source.slug}/",
        raw,
        content_type="application/json",
        headers={
            k: v
            for k, v in factories.signed_headers(kitchen.secret, raw, msg_id="msg\x00").items()
            if k != "content-type"
        },
    )
    assert response.status_code == 401
    assert stored() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"guests": 2**31}, "data.guests"),
        ({"guests": 2**63}, "data.guests"),
        ({"guests": 10**30}, "data.guests"),
        ({"item__seat": 2**31}, "data.items.0.seat"),
        ({"item__seat": 2**64}, "data.items.0.seat"),
        ({"item__quantity": 2**63}, "data.items.0.quantity"),
        ({"item__course": 2**63}, "data.items.0.course"),
    ],
    ids=["guests 2^31", "guests 2^63", "guests 10^30", "seat 2^31", "seat 2^64", "qty", "course"],
)
def test_it_refuses_integers_beyond_their_bounds(
    kitchen: factories.Kitchen, fields: dict[str, Any], loc: str
) -> None:
    assert_refused(send(kitchen, order_with(**fields)), loc)
    assert stored() == (0, 0, 0, 0, 0)


def test_it_accepts_the_largest_guests_and_seat(kitchen: factories.Kitchen) -> None:
    response = send(kitchen, order_with(guests=9999, item__seat=9999))
    assert response.status_code == 201, response.content
    assert Order.objects.get().guests == 9999


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("placed_at", "9999-12-31T23:59:59+00:00"),
        ("placed_at", "9999-12-31T23:59:59-05:00"),  # year 10000 in UTC
        ("placed_at", "0001-01-01T00:00:00+05:00"),  # year 0 in UTC
        ("placed_at", "0001-01-01T00:00:00+00:00"),
        ("fire_at", "9999-12-31T00:00:00+00:00"),  # a common "no date"
        ("fire_at", "9999-12-31T23:59:59-14:00"),
        ("fire_at", "0001-01-01T00:00:00+14:00"),
    ],
)
def test_it_refuses_times_at_the_calendars_ends(
    kitchen: factories.Kitchen, field: str, value: str
) -> None:
    assert_refused(send(kitchen, order_with(**{field: value})), f"data.{field}")
    assert stored() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+05:00"])
def test_it_refuses_a_message_timestamp_at_the_calendars_ends(
    kitchen: factories.Kitchen, value: str
) -> None:
    body = order_with()
    body["timestamp"] = value
    assert_refused(send(kitchen, body), "timestamp")


@pytest.mark.parametrize(
    ("field", "offset", "accepted"),
    [
        ("placed_at", timedelta(days=364), True),
        ("placed_at", -timedelta(days=364), True),
        ("placed_at", timedelta(days=367), False),
        ("placed_at", -timedelta(days=367), False),
        ("fire_at", timedelta(days=29), True),
        ("fire_at", timedelta(days=31), False),
        ("fire_at", -timedelta(hours=1), True),
    ],
)
def test_it_keeps_order_times_within_a_sane_window(
    kitchen: factories.Kitchen, field: str, offset: timedelta, accepted: bool
) -> None:
    response = send(kitchen, order_with(**{field: iso(now() + offset)}))
    if accepted:
        assert response.status_code == 201, response.content
    else:
        assert_refused(response, f"data.{field}")


def nested(depth: int) -> bytes:
    return ('{"type": "order.created", "x": ' + "[" * depth + "]" * depth + "}").encode()


@pytest.mark.parametrize("depth", [65, 20_000, 200_000])
def test_it_refuses_json_nested_too_deep(kitchen: factories.Kitchen, depth: int) -> None:
    # 200,000 brackets are 400 KB: over the size limit, refused before parsing.
    response = send(kitchen, nested(depth))
    if depth > 100_000:
        assert response.status_code == 413
        return
    assert response.status_code == 400, response.content
    assert "nested" in json.loads(response.content)["detail"][0]["msg"]


def test_it_accepts_unknown_fields_nested_a_little(kitchen: factories.Kitchen) -> None:
    body = order_with(extra={"a": [{"b": [{"c": [1, 2]}]}]})
    assert send(kitchen, body).status_code == 201


def test_it_refuses_integers_of_more_digits_than_python_reads(kitchen: factories.Kitchen) -> None:
    raw = json.dumps(order_with()).replace('"quantity": 1', '"quantity": ' + "9" * 5000)
    response = send(kitchen, raw.encode())
    assert response.status_code == 400


def test_it_answers_400_not_503_when_the_database_refuses_a_value(
    kitchen: factories.Kitchen, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever validation misses and the database refuses is the sender's data: a retry
    # would fail the same way forever, so it must not be answered "try again".
    from django.db import DataError
    from django.db.backends.utils import CursorWrapper

    real = CursorWrapper.execute

    def execute(self: CursorWrapper, sql: str, params: Any = None) -> Any:
        if 'INSERT INTO "orders_order"' in sql:
            raise DataError("value out of range (injected)")
        return real(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)
    response = send(kitchen, order_with())
    assert_refused(response, "body")
    assert "Retry-After" not in response
    assert stored() == (0, 0, 0, 0, 0)


# ------------------------------------------------------------------ properties

FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT_FIELDS = ["id", "number", "table", "customer_name", "notes"]
ITEM_TEXT_FIELDS = ["id", "sku", "name", "notes"]
edge_text = st.text(
    alphabet=st.characters(codec="utf-8")
    | st.sampled_from(["\x00", "\ud800", "\ufffe", "\U0010ffff"]),
    min_size=1,
    max_size=10,
)
edge_int = st.integers() | st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 2**64, -(2**63)])
edge_time = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()
).map(lambda d: d.isoformat()) | st.sampled_from(
    ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"]
)


@FUZZ
@given(
    text=st.dictionaries(st.sampled_from(TEXT_FIELDS), edge_text, max_size=3),
    item_text=st.dictionaries(st.sampled_from(ITEM_TEXT_FIELDS), edge_text, max_size=3),
    ints=st.dictionaries(st.sampled_from(["guests", "item__seat", "item__quantity"]), edge_int),
    times=st.dictionaries(st.sampled_from(["placed_at", "fire_at"]), edge_time),
)
def test_it_answers_every_edge_value_with_2xx_or_400_and_its_location(
    kitchen: factories.Kitchen,
    text: dict[str, str],
    item_text: dict[str, str],
    ints: dict[str, int],
    times: dict[str, str],
) -> None:
    fields: dict[str, Any] = {**text, **ints, **times}
    fields.update({f"item__{k}": v for k, v in item_text.items()})
    before = stored()
    response = send(kitchen, order_with(**fields))
    # 200: a generated order id repeated an earlier example's, so this was an update.
    assert response.status_code in (200, 201, 400), (response.status_code, response.content)
    if response.status_code == 400:
        assert stored() == before
        detail = json.loads(response.content)["detail"]
        assert all(d["loc"].startswith("data.") for d in detail), detail
    else:
        order = Order.objects.get(pk=json.loads(response.content)["order"])
        for name in ("notes", "table", "customer_name"):
            if name in text:
                assert getattr(order, name) == text[name]
