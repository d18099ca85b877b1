"""Real server processes on a PostgreSQL database of their own and Redis, for production tests.

`fresh_database()` creates a database, `manage()` runs management commands against it
and `Daphne` starts a server process on a free port and waits for /healthz to answer 200.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx

ROOT = Path(__file__).resolve().parent.parent.parent
PG = "postgres://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


class Daphne:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "daphne"),
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "kds.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2, trust_env=False).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"daphne did not become healthy in {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None


def pair_screen(http: httpx.Client, url: str) -> str:
    """Opens a one-time pairing link like a browser (look, then confirm); the cookie."""
    from orders.bench import pair_link

    return pair_link(http, url)[0]
