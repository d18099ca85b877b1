"""A real Daphne server in a subprocess, which a test can kill -9 and start again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_env(settings_dict: dict[str, object]) -> dict[str, str]:
    """Environment that points a server process at the database these settings name."""
    engine = str(settings_dict["ENGINE"])
    if engine.endswith("sqlite3"):
        name = str(settings_dict["NAME"])
        if not name or name == ":memory:" or "mode=memory" in name:
            raise RuntimeError("the browser tests need a file-based SQLite test database")
        return {"DATABASE_URL": "", "KDS_SQLITE_PATH": name}
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return {"DATABASE_URL": f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"}


class KdsServer:
    def __init__(self, *, env: dict[str, str], log_path: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.env = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "kds.settings"}
        self.env.setdefault("KDS_LOG_LEVEL", "WARNING")
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20) -> None:
        daphne = Path(sys.executable).parent / "daphne"
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(daphne), "-b", "127.0.0.1", "-p", str(self.port), "kds.asgi:application"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited; see {self.log_path}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"daphne did not start in {timeout} s; see {self.log_path}")

    def kill(self) -> None:
        """kill -9: no clean close for anyone."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self) -> None:
        # Nothing to flush: the database holds everything, so no graceful shutdown.
        self.kill()
