"""On SQLite, one writer at a time: a large menu import is written in short transactions
with a pause between them, so a webhook waiting for the write lock is not kept waiting
until it answers 503 (the library held one transaction for the whole file, a minute for
two thousand rows, the preview's dry run too)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from orders.models import MenuCategory, MenuItem
from tests import factories
from tests.admin.test_menu_files_within_bounds import dish
from tests.admin.test_menu_import import csv_format_index, upload
from tests.admin.test_menu_import_preview import confirm, rows_csv

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer")


@contextmanager
def dishes_written_per_transaction() -> Iterator[Counter[int]]:
    """How many menu items each of the request's outermost atomic blocks wrote (its
    transactions; inside the test's own transaction they are its outermost savepoints)."""
    per_transaction: Counter[int] = Counter()
    depth, number = [0], [0]

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if sql.startswith(("BEGIN", "SAVEPOINT")):
            depth[0] += 1
            number[0] += depth[0] == 1
        elif sql.startswith("RELEASE SAVEPOINT"):
            depth[0] -= 1
        elif re.match(r'(INSERT INTO|UPDATE) "orders_menuitem"', sql):
            assert depth[0] >= 1, "a write outside a transaction"
            per_transaction[number[0]] += 1
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        yield per_transaction


def test_a_large_import_and_its_preview_hold_the_write_lock_for_a_batch_at_a_time(
    kitchen: factories.Kitchen, manager_client: Client, settings: Any
) -> None:
    settings.KDS_IMPORT_ROWS_PER_TRANSACTION = 20
    rows = [dish(n) for n in range(70)]
    rows[45] = dish(45, prep="soon")
    rows[3][3] = rows[60][3] = "Noodles"

    with dishes_written_per_transaction() as preview_writes:
        response = upload(manager_client, rows_csv(*rows), fmt=csv_format_index(manager_client))
    result = response.context["result"]
    assert result.total_rows == 70
    assert [row.number for row in result.invalid_rows] == [46], result.invalid_rows[0].error_dict
    assert result.kds_new_categories == ["Noodles"]
    assert not MenuItem.objects.exists() and not MenuCategory.objects.exists()

    with dishes_written_per_transaction() as import_writes:
        assert confirm(manager_client, response).status_code == 302

    assert MenuItem.objects.count() == 69
    assert MenuCategory.objects.get().name == "Noodles"
    for writes in (preview_writes, import_writes):
        assert sum(writes.values()) == 69
        assert max(writes.values()) <= 20, writes
