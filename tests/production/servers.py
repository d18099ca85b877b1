"""Real server processes on a PostgreSQL database of their own and Redis, for production tests.

`fresh_database()` creates a database, `manage()` runs management commands against it
and `Daphne` starts a server process on a free port and waits for /healthz to answer 200.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tests.daphne import ROOT, DaphneProcess, free_port

__all__ = ["ROOT", "Daphne", "free_port", "fresh_database", "manage", "pair_screen"]
PG = "postgres://postgres@127.0.0.1:5432"


@contextmanager
def fresh_database(prefix: str, template: str | None = None) -> Iterator[str]:
    """A new PostgreSQL database (empty, or a copy of `template`); its URL. Dropped afterwards."""
    import psycopg

    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield f"{PG}/{name}"
    finally:
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KDS_", "REDIS_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kds.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "DEBUG": "0",
            "KDS_LOG_LEVEL": "WARNING",
            "NO_PROXY": "127.0.0.1,localhost",
            **extra,
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


MAKE_KITCHEN = (
    "import json; from tests import factories; k = factories.make_kitchen({slug!r}); "
    "print(json.dumps({{'source': k.source.slug, 'secret': k.secret, "
    "'station': k.fallback.slug, 'restaurant': k.restaurant.slug}}))"
)


def make_kitchen(env: dict[str, str], slug: str = "prod") -> dict[str, Any]:
    """A restaurant with a fallback station "kitchen" and a signed source, made in `env`'s DB."""
    out = manage(env, "shell", "-c", MAKE_KITCHEN.format(slug=slug))
    return dict(json.loads(out.strip().splitlines()[-1]))


class Daphne(DaphneProcess):
    """Ready when /healthz answers 200: its database and channel layer both work."""

    def ready(self) -> bool:
        response = self._get("/healthz")
        return response is not None and response.status_code == 200


def pair_screen(http: httpx.Client, url: str) -> str:
    """Opens a one-time pairing link like a browser (look, then confirm); the cookie."""
    from orders.ops.bench import pair_link

    return pair_link(http, url)[0]
