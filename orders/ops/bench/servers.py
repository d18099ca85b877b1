"""`kds_bench --processes N`: N Daphne processes on this machine, started and stopped here.

Screens and orders are spread over them round-robin by the bench itself, as nginx's
round robin would (deploy/nginx.conf balances with least_conn, the same for screens
that connect together); the balancer's own cost is not in the figures. Each process
is the product as deployed: `daphne kds.asgi:application` with this process's
environment, so DATABASE_URL and REDIS_URL (which several processes need, to hear
each other's changes) are the bench's own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import httpx

from .results import BenchError


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Servers:
    count: int
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def start(self) -> None:
        if self.count > 1 and not os.environ.get("REDIS_URL"):
            raise BenchError(
                "--processes above 1 needs REDIS_URL: processes hear each other's changes "
                "through Redis"
            )
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kds.settings"}
        for _ in range(self.count):
            port = _free_port()
            log = tempfile.TemporaryFile()
            command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
            self.processes.append(
                subprocess.Popen(
                    [*command, "kds.asgi:application"],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            self.urls.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        for url, process in zip(self.urls, self.processes, strict=True):
            while True:
                if process.poll() is not None:
                    raise BenchError(f"the server for {url} exited with {process.returncode}")
                try:
                    if httpx.get(f"{url}/healthz", timeout=2, trust_env=False).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise BenchError(f"the server for {url} did not become healthy in 60 s")
                time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
