"""Random bodies, headers and signatures thrown at the webhook: never a 500, never a partial write."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import Line, LineStation, Order, OrderEvent, WebhookMessage
from tests import factories

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Order, Line, LineStation, OrderEvent, WebhookMessage))


def send(kitchen: factories.Kitchen, raw: bytes, headers: dict[str, str] | None = None) -> Any:
    signed = factories.signed_headers(kitchen.secret, raw, msg_id=f"msg_{uuid.uuid4().hex}")
    signed.update(headers or {})
    content_type = signed.pop("content-type", "application/json")
    return Client().generic(
        "POST", f"/webhooks/{kitchen.source.slug}/", raw, content_type=content_type, headers=signed
    )


def assert_all_or_nothing(response: Any, before: tuple[int, ...]) -> None:
    assert response.status_code != 500
    assert response["Content-Type"] == "application/json"
    json.loads(response.content)
    if response.status_code >= 400:
        assert counts() == before, response.content


@FUZZ
@given(raw=st.binary(max_size=300))
def test_it_never_fails_on_random_bytes(kitchen: factories.Kitchen, raw: bytes) -> None:
    before = counts()
    response = send(kitchen, raw)
    # The test client sends no content type with an empty body.
    assert response.status_code in ((415,) if not raw else (400,))
    assert_all_or_nothing(response, before)


@FUZZ
@given(body=json_values)
def test_it_never_fails_on_random_json(kitchen: factories.Kitchen, body: Any) -> None:
    before = counts()
    response = send(kitchen, json.dumps(body).encode())
    assert response.status_code == 400
    assert_all_or_nothing(response, before)


FIELDS = [
    "type",
    "timestamp",
    "data",
    "data.id",
    "data.number",
    "data.channel",
    "data.table",
    "data.guests",
    "data.priority",
    "data.placed_at",
    "data.fire_at",
    "data.items",
    "data.items.0",
    "data.items.0.id",
    "data.items.0.quantity",
    "data.items.0.modifiers",
    "data.items.0.course",
    "data.items.0.name",
    "data.items.1.seat",
]


def _set(body: dict[str, Any], path: str, value: Any) -> None:
    target: Any = body
    parts = path.split(".")
    for part in parts[:-1]:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(parts[-1])] = value
    else:
        target[parts[-1]] = value


@FUZZ
@given(changes=st.lists(st.tuples(st.sampled_from(FIELDS), json_values), min_size=1, max_size=3))
def test_it_stores_all_or_nothing_of_a_mutated_order(
    kitchen: factories.Kitchen, changes: list[tuple[str, Any]]
) -> None:
    body = factories.order_body(
        f"o-{uuid.uuid4().hex[:8]}",
        items=[
            {"id": "1", "name": "Beef", "quantity": 2},
            {"id": "2", "name": "Tofu", "quantity": 1},
        ],
    )
    for path, value in changes:
        try:
            _set(body, path, value)
        except (KeyError, IndexError, TypeError, ValueError):
            pass
    before = counts()
    response = send(kitchen, json.dumps(body).encode())
    assert response.status_code in (200, 201, 400), response.content
    assert_all_or_nothing(response, before)
    if response.status_code == 201:
        order = Order.objects.get(pk=json.loads(response.content)["order"])
        assert order.lines.count() == len(body["data"]["items"])


header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=80)


@FUZZ
@given(
    msg_id=header_text,
    timestamp=header_text | st.integers(min_value=-(10**12), max_value=10**13).map(str),
    signature=header_text | st.lists(header_text, max_size=3).map(" ".join),
)
def test_it_answers_401_to_random_signature_headers(
    kitchen: factories.Kitchen, msg_id: str, timestamp: str, signature: str
) -> None:
    before = counts()
    raw = json.dumps(factories.order_body()).encode()
    response = send(
        kitchen,
        raw,
        {"webhook-id": msg_id, "webhook-timestamp": timestamp, "webhook-signature": signature},
    )
    assert response.status_code == 401
    assert json.loads(response.content) == {"error": "invalid_signature"}
    assert counts() == before


@FUZZ
@given(skew=st.integers(min_value=-3600, max_value=3600))
def test_it_accepts_exactly_the_timestamps_within_five_minutes(
    kitchen: factories.Kitchen, skew: int
) -> None:
    raw = json.dumps(factories.order_body(f"o-{uuid.uuid4().hex[:8]}")).encode()
    signed = factories.signed_headers(kitchen.secret, raw, timestamp=int(time.time()) + skew)
    response = send(kitchen, raw, signed)
    if abs(skew) <= 295:
        assert response.status_code == 201
    elif abs(skew) > 305:
        assert response.status_code == 401
