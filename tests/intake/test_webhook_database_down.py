"""The database failing mid-message: 503 with Retry-After, nothing half-written, a retry works."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from orders.models import Line, LineStation, Order, OrderEvent, WebhookMessage
from tests import factories
from tests.intake.conftest import Post


@pytest.fixture
def fail_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Makes every SQL statement containing the given text fail as a lost connection would."""
    patterns: list[str] = []
    real_execute = CursorWrapper.execute
    real_executemany = CursorWrapper.executemany

    def check(sql: str) -> None:
        if any(p in sql for p in patterns):
            raise OperationalError("server closed the connection unexpectedly (injected)")

    def execute(self: CursorWrapper, sql: str, params: Any = None) -> Any:
        check(sql)
        return real_execute(self, sql, params)

    def executemany(self: CursorWrapper, sql: str, param_list: Any) -> Any:
        check(sql)
        return real_executemany(self, sql, param_list)

    monkeypatch.setattr(CursorWrapper, "execute", execute)
    monkeypatch.setattr(CursorWrapper, "executemany", executemany)
    yield patterns.append
    patterns.clear()


def _stored() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Order, Line, LineStation, OrderEvent, WebhookMessage))


@pytest.mark.parametrize(
    "table", ["orders_order", "orders_line", "orders_linestation", "orders_orderevent"]
)
def test_it_answers_503_and_stores_nothing_when_a_write_fails(
    post: Post, fail_on: Callable[[str], None], table: str
) -> None:
    body = factories.order_body("o-1", items=[{"id": "1", "name": "Beef", "quantity": 2}])
    fail_on(f'INSERT INTO "{table}"')

    response = post(body, msg_id="msg_1")

    assert response.status_code == 503
    assert response.json() == {"error": "unavailable"}
    assert response.headers["Retry-After"] == "5"
    assert _stored() == (0, 0, 0, 0, 0)


def test_it_stores_the_order_on_retry_once_the_database_is_back(
    post: Post, monkeypatch: pytest.MonkeyPatch, fail_on: Callable[[str], None]
) -> None:
    body = factories.order_body("o-1")
    fail_on('INSERT INTO "orders_line"')
    assert post(body, msg_id="msg_1").status_code == 503
    monkeypatch.undo()

    retry = post(body, msg_id="msg_1")

    assert retry.status_code == 201
    assert _stored() == (1, 1, 2, 1, 1)


def test_it_answers_503_when_the_source_cannot_be_read(
    post: Post, fail_on: Callable[[str], None]
) -> None:
    fail_on('FROM "orders_ordersource"')
    response = post(factories.order_body())
    assert response.status_code == 503
    assert "Retry-After" in response.headers
