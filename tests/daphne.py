"""A real Daphne process on a free port: the one launcher the browser, production and
chaos tests share. Each kind waits for its own idea of ready (see `ready`)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent


def port_open(port: int) -> bool:
    """Whether something on this machine accepts connections on the port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def xdist_worker() -> int | None:
    """This process's pytest-xdist worker number (gw3: 3), or None outside xdist."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name[2:]) if name.startswith("gw") else None


def with_redis_db(url: str, db: int) -> str:
    """The Redis URL with another database number."""
    base, _, last = url.rpartition("/")
    return f"{base}/{db}" if base.startswith("redis") and last.isdigit() else f"{url}/{db}"


def apart_from_other_workers(env: dict[str, str]) -> dict[str, str]:
    """A server that would use the pass's Redis (REDIS_URL, inherited) gets a database of
    its worker's own: group names are station ids, and every worker's test database
    numbers its stations from 1, so two workers' servers on one database would each
    deliver the other's tickets to their screens."""
    worker = xdist_worker()
    url = env.get("REDIS_URL")
    if worker is None or not url or url != os.environ.get("REDIS_URL"):
        return env
    return {**env, "REDIS_URL": with_redis_db(url, 1 + worker)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DaphneProcess:
    def __init__(
        self,
        env: dict[str, str],
        log_path: Path,
        port: int | None = None,
        app: str = "kds.asgi:application",
    ) -> None:
        self.port = port or free_port()
        self.app = app  # the ASGI application, as daphne's argument names it
        self.env = apart_from_other_workers(env)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ready(self) -> bool:
        """The port accepts connections."""
        return port_open(self.port)

    def start(self, timeout: float = 30, ready: Callable[[], bool] | None = None) -> None:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "daphne"),
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                self.app,
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
                raise RuntimeError(f"daphne exited:\n{self.log()[-3000:]}")
            if (ready or self.ready)():
                return
            time.sleep(0.05)
        raise RuntimeError(f"daphne was not ready in {timeout} s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """kill -9: no clean close for anyone."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._forget()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._forget()

    def _forget(self) -> None:
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def _get(self, path: str) -> httpx.Response | None:
        try:
            return httpx.get(f"{self.url}{path}", timeout=2, trust_env=False)
        except httpx.HTTPError:
            return None
