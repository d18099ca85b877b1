"""PostgreSQL connections come from Django's psycopg pool; KDS_DB_POOL=0 turns it off.

Never persistent connections: under ASGI each request's thread would leave its own open.
"""

from __future__ import annotations

import json

from tests.settings_probe import run_python

PROBE = (
    "import django, json; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps([db['ENGINE'], db.get('CONN_MAX_AGE'), db['OPTIONS'].get('pool')]))"
)


def probe(**env: str) -> list[object]:
    result = run_python("-c", PROBE, unset=("KDS_DB", "DATABASE_URL"), **env)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_it_pools_postgresql_connections() -> None:
    url = "postgres://postgres@127.0.0.1:5432/kds"
    assert probe(DATABASE_URL=url, KDS_DB_POOL_SIZE="7") == [
        "django.db.backends.postgresql",
        0,
        {"min_size": 2, "max_size": 7, "timeout": 10},
    ]


def test_it_closes_connections_after_each_request_without_the_pool() -> None:
    url = "postgres://postgres@127.0.0.1:5432/kds"
    assert probe(DATABASE_URL=url, KDS_DB_POOL="0") == ["django.db.backends.postgresql", 0, None]


def test_it_leaves_sqlite_alone() -> None:
    engine, _age, pool = probe(KDS_DB_POOL="1")
    assert (engine, pool) == ("django.db.backends.sqlite3", None)
