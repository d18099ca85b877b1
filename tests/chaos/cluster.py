"""The chaos run's cluster: a private Redis, a PostgreSQL database of its own, two Daphne
processes, and a TCP proxy that can cut the servers off from PostgreSQL.

Everything here is started on free ports and stopped by the test that started it; the
system Redis and the test database other tests use are never touched.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

from tests.production.servers import ROOT, Daphne, free_port, manage, server_env


class PrivateRedis:
    """A redis-server of our own, which can be killed and started again on the same port."""

    def __init__(self, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._ping():
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start; see {self.log_path}")

    def _ping(self) -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.3) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None


class Server(Daphne):
    """A Daphne process that can also be killed with SIGKILL and started again on its port."""

    def start_quietly(self, timeout: float = 30) -> None:
        """Starts and waits for any answer (not a healthy one: /healthz needs every dependency)."""
        self.start(timeout, ready=lambda: self._get("/healthz") is not None)


class TcpProxy:
    """A TCP proxy in a thread of its own. cut() drops every connection and refuses new
    ones, as a pulled cable or a dead database host would; restore() lets them through."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.port = free_port()
        self.target = (target_host, target_port)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server: asyncio.AbstractServer | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    def start(self) -> None:
        self.thread.start()
        self._call(self._listen())

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=10)

    async def _listen(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self.writers -= {writer, up_writer}

    async def _cut(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        for writer in list(self.writers):
            transport = writer.transport
            transport.abort()
        self.writers.clear()

    def cut(self) -> None:
        self._call(self._cut())

    def restore(self) -> None:
        if self.server is None:
            self._call(self._listen())

    def stop(self) -> None:
        self._call(self._cut())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


# The kitchen: three prep stations with routed dishes, an unmapped dish for the fallback,
# and screens paired by link. Built from DISHES by `manage.py shell` in the cluster's
# database; `stations_for` is what that routing must give each dish (the audit's check).
DISHES = [
    ("G1", "Lamb skewer", "grill"),
    ("G2", "Grilled fish", "grill"),
    ("F1", "Fries", "fryer"),
    ("F2", "Spring rolls", "fryer"),
    ("K1", "Mapo tofu", None),
    ("K2", "Fried rice", None),
]
UNMAPPED = {"sku": "X9", "name": "Chef's special"}  # not on the menu: the fallback's
FALLBACK, EXPO = "kitchen", "expo"  # tests/factories.py: make_kitchen()


def stations_for(sku: str) -> set[str]:
    """The stations the chaos kitchen's routing gives a dish: its own or the fallback,
    and expo, which sees every line."""
    routed = {s: station for s, _name, station in DISHES}.get(sku)
    return {routed or FALLBACK, EXPO}


SETUP = """
import json
from orders.models import MenuItem, RoutingRule, Screen, Station
from tests import factories

k = factories.make_kitchen("chaos")
grill = Station.objects.create(restaurant=k.restaurant, name="Grill", slug="grill", position=2)
fryer = Station.objects.create(restaurant=k.restaurant, name="Fryer", slug="fryer", position=3)
stations = {"grill": grill, "fryer": fryer}
dishes = []
for sku, name, station in DISHES:
    item = MenuItem.objects.create(restaurant=k.restaurant, sku=sku, name=name)
    if station is not None:
        rule = RoutingRule.objects.create(restaurant=k.restaurant, menu_item=item, position=1)
        rule.stations.add(stations[station])
    dishes.append({"sku": sku, "name": name})
dishes.append(UNMAPPED)
screens = []
for station in (k.fallback, grill, fryer):
    for n in range(SCREENS_PER_STATION):
        screen = Screen.objects.create(
            restaurant=k.restaurant, station=station, name=f"{station.slug}-{n}"
        )
        screens.append(
            {"station": station.pk, "name": screen.name, "token": screen.pairing_token}
        )
print(json.dumps({"source": k.source.slug, "secret": k.secret, "dishes": dishes,
                  "screens": screens}))
"""


def setup_kitchen(env: dict[str, str], screens_per_station: int) -> dict[str, Any]:
    script = (
        f"DISHES = {DISHES!r}\nUNMAPPED = {UNMAPPED!r}\n"
        f"SCREENS_PER_STATION = {screens_per_station}\n{SETUP}"
    )
    out = manage(env, "shell", "-c", script)
    return dict(json.loads(out.strip().splitlines()[-1]))


def snapshot(env: dict[str, str]) -> dict[str, Any]:
    """What the database holds, and what each station's board is, read by a fresh process."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.chaos.snapshot"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"snapshot failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def cluster_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    settings = {
        "SECRET_KEY": secrets.token_urlsafe(40),
        "KDS_LOG_LEVEL": "ERROR",
        # A small connection pool per process where the settings offer one: PostgreSQL's
        # connection limit is shared with every other test on the machine.
        "KDS_DB_POOL": "1",
        "KDS_DB_POOL_SIZE": "8",
    }
    return server_env(database_url, redis_url, **{**settings, **extra})
