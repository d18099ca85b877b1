"""First run: the project as a newcomer meets it, management commands run as processes.

Each test gets an installation of its own, as `make run` leaves one: a var/ directory
(KDS_VAR_DIR) with a migrated SQLite database, no KDS_BASE_URL, no Redis. The schema is
migrated once per session and copied.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.daphne import free_port, port_open
from tests.settings_probe import ROOT, run_python

# What a fresh shell on the kitchen box has: none of the test run's settings.
UNSET = ("DATABASE_URL", "REDIS_URL", "KDS_", "ALLOWED_HOSTS", "DJANGO_")
URL = re.compile(r"https?://[^\s)'\"]+")


def _manage(var: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return run_python("manage.py", *args, unset=UNSET, KDS_VAR_DIR=str(var), **env)


@pytest.fixture(scope="session")
def migrated_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    var = tmp_path_factory.mktemp("first-run-template") / "var"
    done = _manage(var, "migrate", "--noinput")
    assert done.returncode == 0, done.stderr
    return var


@dataclass
class Install:
    var: Path
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def manage(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return _manage(self.var, *args, **env)

    def start(self, *args: str, **extra: str) -> Server:
        """`manage.py kds_run ARGS` on a free port, read until it has printed its links;
        `extra` is added to its environment."""
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(UNSET)}
        process = subprocess.Popen(
            [sys.executable, "manage.py", "kds_run", "--port", str(port), *args],
            cwd=ROOT,
            env={**env, "KDS_VAR_DIR": str(self.var), "KDS_LOG_LEVEL": "WARNING", **extra},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.processes.append(process)
        assert process.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                raise AssertionError("kds_run exited:\n" + "".join(lines))
            lines.append(line)
            if "a new screen:" in line:
                break
        server = Server(port=port, process=process, output="".join(lines))
        server.wait_until_listening()
        return server

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@dataclass
class Server:
    port: int
    process: subprocess.Popen[str]
    output: str

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def urls(self) -> list[str]:
        return URL.findall(self.output)

    def listening(self) -> bool:
        return port_open(self.port)

    def wait_until_listening(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.listening():
                return
            assert self.process.poll() is None, "kds_run exited"
            time.sleep(0.1)
        raise AssertionError(f"nothing listens on {self.port}")


@pytest.fixture
def install(migrated_var: Path, tmp_path: Path) -> Iterator[Install]:
    """A fresh installation (var/ with a migrated database), as `make run` leaves one."""
    var = tmp_path / "var"
    shutil.copytree(migrated_var, var)
    found = Install(var=var)
    yield found
    found.stop_all()
