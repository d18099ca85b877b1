"""Random bytes, random JSON and mutated orders, correctly signed, for every kind of source:
never a 500, never a partial write; what is stored is the whole order."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import Order, OrderSource, SourceKind, SourceSecret
from tests import factories
from tests.sources import test_deliverect, test_shopify, test_woocommerce
from tests.sources.conftest import counts, signed
from tests.sources.fake_square import TOKEN, FakeSquare, chinese_order, fake_square
from tests.sources.test_square import event

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KINDS = [SourceKind.SHOPIFY, SourceKind.WOOCOMMERCE, SourceKind.SQUARE, SourceKind.DELIVERECT]
BASE_URL = "http://testserver"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "\x00", "1.5", "-1"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@pytest.fixture
def square_api(settings: Any) -> Iterator[FakeSquare]:
    with fake_square() as fake:
        settings.KDS_SQUARE_API_URL = fake.http.url
        yield fake


@pytest.fixture
def sources(db: None, settings: Any, square_api: FakeSquare) -> dict[str, OrderSource]:
    settings.KDS_BASE_URL = BASE_URL
    k = factories.make_kitchen()
    made: dict[str, OrderSource] = {}
    for kind in KINDS:
        source = OrderSource.objects.create(
            restaurant=k.restaurant, name=kind, slug=f"fz-{kind}", kind=kind, api_secret=TOKEN
        )
        SourceSecret.objects.create(source=source, secret=f"secret-{kind}")
        made[kind] = source
    return made


def post(source: OrderSource, raw: bytes, **extra: str) -> Any:
    url = f"{BASE_URL}{source.webhook_path}"
    headers = signed(source.kind, f"secret-{source.kind}", raw, url, **extra)
    headers = {**headers, "X-WC-Webhook-Delivery-ID": uuid.uuid4().hex}
    headers["X-Shopify-Webhook-Id"] = str(uuid.uuid4())
    content_type = headers.pop("content-type")
    return Client().generic(
        "POST", source.webhook_path, raw, content_type=content_type, headers=headers
    )


def check(response: Any, before: tuple[int, ...]) -> None:
    assert response.status_code != 500, response.content
    assert response["Content-Type"] == "application/json"
    json.loads(response.content)
    if response.status_code >= 400:
        assert counts() == before, response.content


@FUZZ
@given(kind=st.sampled_from(KINDS), raw=st.binary(max_size=300))
def test_random_bytes_never_fail(sources: dict[str, OrderSource], kind: str, raw: bytes) -> None:
    before = counts()
    check(post(sources[kind], raw), before)


@FUZZ
@given(kind=st.sampled_from(KINDS), body=json_values)
def test_random_json_never_fails(sources: dict[str, OrderSource], kind: str, body: Any) -> None:
    before = counts()
    response = post(sources[kind], json.dumps(body).encode())
    assert response.status_code in (200, 400), response.content
    check(response, before)


def base_order(kind: str) -> dict[str, Any]:
    unique = uuid.uuid4().int % 10**12
    if kind == SourceKind.SHOPIFY:
        return test_shopify.shopify_order(unique)
    if kind == SourceKind.WOOCOMMERCE:
        return test_woocommerce.wc_order(unique)
    if kind == SourceKind.DELIVERECT:
        return test_deliverect.deliverect_order(f"fz{unique}")
    return chinese_order(f"fz{unique}")


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*prefix, index)
            yield from _paths(child, (*prefix, index))


def mutate(body: dict[str, Any], choices: list[tuple[int, Any]]) -> dict[str, Any]:
    body = copy.deepcopy(body)
    for pick, value in choices:
        paths = list(_paths(body))
        if not paths:
            break
        path = paths[pick % len(paths)]
        target: Any = body
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return body


@FUZZ
@given(
    kind=st.sampled_from(KINDS),
    choices=st.lists(st.tuples(st.integers(min_value=0, max_value=500), json_values), max_size=3),
)
def test_a_mutated_order_is_stored_whole_or_not_at_all(
    sources: dict[str, OrderSource],
    square_api: FakeSquare,
    kind: str,
    choices: list[tuple[int, Any]],
) -> None:
    source = sources[kind]
    body = mutate(base_order(kind), choices)
    before = counts()
    if kind == SourceKind.SQUARE:
        # The event is Square's example; the order Square answers with is the mutated one.
        order_id = str(body.get("id", "x"))[:60] or "x"
        square_api.orders[order_id] = body
        raw = json.dumps(event("order.created", order_id=order_id) | {"event_id": uuid.uuid4().hex})
        response = post(source, raw.encode())
    else:
        response = post(source, json.dumps(body, ensure_ascii=False).encode())
    check(response, before)
    if response.status_code == 201:
        order = Order.objects.get(pk=response.json()["order"])
        assert order.lines.exists()
        assert all(line.placements.exists() for line in order.lines.all())


def _nested(depth: int) -> Any:
    value: Any = {"name": "x", "quantity": 1, "subItems": []}
    for _ in range(depth):
        value = {"name": "x", "quantity": 1, "subItems": [value]}
    return value


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "extreme",
    ["deep", "deep_sub_items", "big_int", "nul", "year_9999", "huge_text", "many_lines"],
)
def test_extremes_get_an_answer_not_a_crash(
    sources: dict[str, OrderSource], square_api: FakeSquare, kind: str, extreme: str
) -> None:
    body = base_order(kind)
    raw: bytes | None = None
    if extreme == "deep":
        raw = b"[" * 100_000 + b"]" * 100_000
    elif extreme == "deep_sub_items":
        body["items" if kind == SourceKind.DELIVERECT else "note"] = [_nested(400)]
    elif extreme == "big_int":
        body["id"] = 2**63
        for key in ("line_items", "items"):
            for line in body.get(key, []):
                line["quantity"] = 2**63
    elif extreme == "nul":
        body["note"] = body["customer_note"] = "\x00" * 50
    elif extreme == "year_9999":
        for key in ("created_at", "updated_at", "date_modified_gmt", "_updated"):
            if key in body:
                body[key] = "9999-12-31T23:59:59+00:00"
    elif extreme == "huge_text":
        body["note"] = body["customer_note"] = "长" * 60_000
    elif extreme == "many_lines":
        key = {"square": "line_items", "deliverect": "items"}.get(kind, "line_items")
        body[key] = [
            {
                "id": n,
                "uid": f"u{n}",
                "title": "x",
                "name": "x",
                "quantity": 1 if kind != "square" else "1",
            }
            for n in range(250)
        ]
    before = counts()
    if kind == SourceKind.SQUARE and raw is None:
        square_api.orders[str(body["id"])[:60]] = body
        raw = json.dumps(
            event("order.created", order_id=str(body["id"])[:60]) | {"event_id": uuid.uuid4().hex}
        ).encode()
    response = post(sources[kind], raw if raw is not None else json.dumps(body).encode())
    check(response, before)
