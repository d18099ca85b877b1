"""GET /healthz answers 503 when the database cannot run a query."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client


def test_it_answers_503_naming_the_database(
    client: Client, db: None, in_memory_layer: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_execute = CursorWrapper.execute

    def execute(self: CursorWrapper, sql: str, params: Any = None) -> Any:
        # Only the probe's query fails: the test database's own teardown still works.
        if sql.strip().upper() == "SELECT 1":
            raise OperationalError("server closed the connection unexpectedly (injected)")
        return real_execute(self, sql, params)

    monkeypatch.setattr(CursorWrapper, "execute", execute)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is False
    assert body["database"]["error"] == "OperationalError"
    assert body["channel_layer"]["ok"] is True
