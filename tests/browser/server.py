"""A real Daphne server in a subprocess, which a test can kill -9 and start again."""

from __future__ import annotations

import os
from pathlib import Path

from tests.daphne import DaphneProcess, free_port

__all__ = ["KdsServer", "database_env", "free_port"]


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


class KdsServer(DaphneProcess):
    """A server for one test, started in this process's environment plus `env`; ready
    when its port accepts, stopped with kill -9 (the database holds everything)."""

    def __init__(self, *, env: dict[str, str], log_path: Path, port: int | None = None) -> None:
        merged = {**os.environ, **env, "DJANGO_SETTINGS_MODULE": "kds.settings"}
        merged.setdefault("KDS_LOG_LEVEL", "WARNING")
        super().__init__(merged, log_path, port)

    def stop(self) -> None:
        self.kill()
