"""`manage.py kds_bench`: how fast a running deployment is, measured from outside.

Against a running server it connects M screens over real WebSockets, measures two
baselines — the server's `/healthz` throughput (what the framework and the stack allow)
and the channel layer's own round trip (what Redis allows) — then posts signed orders
at a rising rate. Each rate step is held for a few seconds; the highest step whose
acknowledgement p99 stays under the limit with no errors is the sustainable rate.

Two latencies per order:

- acknowledgement: from sending the webhook POST to its 201 answer;
- end to end: from sending the POST to the moment the *last* of the M screens has the
  ticket (its key first appears in a `board` or a `patch` it received).

To keep the station's board the size a real kitchen's is, the bench bumps its oldest
tickets through a screen's socket once more than `keep_open` are on the board, as a
cook would; bumps are station changes too, so they are broadcast like orders.

Everything here is asyncio in one process; the client shares the machine with the
server when both run on one box, and the report says so.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import os
import platform
import resource
import statistics
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from tqdm import tqdm
from websockets.asyncio.client import ClientConnection, connect

from .signature import sign

# ---------------------------------------------------------------- options and results


@dataclass
class BenchOptions:
    url: str = "http://127.0.0.1:8000"
    screens: int = 50
    rates: Sequence[float] = (10, 20, 50, 100, 200)
    step_seconds: float = 4.0
    healthz_seconds: float = 3.0
    healthz_concurrency: int = 16
    layer_round_trips: int = 500
    ack_p99_limit_ms: float = 100.0
    # How long after the last POST of a step the screens may take to receive it.
    drain_seconds: float = 3.0
    keep_open: int = 30
    progress: bool = True
    label: str = ""
    # Server processes on this machine whose CPU time to account per order (/proc).
    server_pids: Sequence[int] = ()


@dataclass
class Target:
    """What to send to and who to listen as."""

    source: str
    secret: str
    station: str
    cookies: list[str]
    machine: dict[str, str] = field(default_factory=dict)


@dataclass
class Stats:
    samples: list[float] = field(default_factory=list)  # seconds

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)

    def _pct(self, q: float) -> float | None:
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        # Nearest rank: the smallest sample with at least q of them at or below it.
        index = min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def p50(self) -> float | None:
        return self._pct(0.50)

    @property
    def p99(self) -> float | None:
        return self._pct(0.99)

    @property
    def max(self) -> float | None:
        return max(self.samples) * 1000 if self.samples else None

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.samples) * 1000 if self.samples else None


@dataclass
class StepResult:
    rate: float
    sent: int = 0
    acked: int = 0
    errors: int = 0
    undelivered: int = 0
    seconds: float = 0.0
    ack: Stats = field(default_factory=Stats)
    e2e: Stats = field(default_factory=Stats)
    error_kinds: dict[str, int] = field(default_factory=dict)
    ack_p99_limit_ms: float = 100.0
    server_cpu_seconds: float | None = None

    @property
    def cpu_ms_per_order(self) -> float | None:
        if self.server_cpu_seconds is None or not self.acked:
            return None
        return self.server_cpu_seconds * 1000 / self.acked

    @property
    def achieved(self) -> float:
        return self.acked / self.seconds if self.seconds else 0.0

    @property
    def passed(self) -> bool:
        p99 = self.ack.p99
        return (
            self.errors == 0
            and self.undelivered == 0
            and self.acked == self.sent
            and p99 is not None
            and p99 < self.ack_p99_limit_ms
        )


@dataclass
class Baseline:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latency: Stats = field(default_factory=Stats)
    server_cpu_seconds: float | None = None

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_request(self) -> float | None:
        if self.server_cpu_seconds is None or not self.requests:
            return None
        return self.server_cpu_seconds * 1000 / self.requests


@dataclass
class BenchReport:
    options: BenchOptions
    target: Target
    screens_connected: int = 0
    connect_seconds: float = 0.0
    healthz: Baseline = field(default_factory=Baseline)
    layer: Baseline = field(default_factory=Baseline)
    layer_name: str = ""
    steps: list[StepResult] = field(default_factory=list)
    broadcasts_expected: int = 0
    broadcasts_received: int = 0
    # Of the tickets not every screen got: the share of screens that did get them.
    partial_reach: float | None = None
    seconds: float = 0.0

    @property
    def sustainable(self) -> StepResult | None:
        passed = [s for s in self.steps if s.passed]
        return max(passed, key=lambda s: s.rate) if passed else None


# Writes one line of output (a step's result as it finishes).
Emit = Callable[[str], object]


class BenchError(Exception):
    """The bench cannot run: a message for the operator."""


# ---------------------------------------------------------------- the machine


def machine_info(extra: dict[str, str] | None = None) -> dict[str, str]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info = {
        "platform": platform.platform(terse=True),
        "cpu": f"{os.cpu_count()} × {cpu or 'unknown CPU'}",
        "python": platform.python_version(),
    }
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kib = int(f.readline().split()[1])
        info["memory"] = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    info.update(extra or {})
    return info


def process_cpu_seconds(pids: Sequence[int]) -> float | None:
    """User + system CPU time of these processes (Linux /proc), or None when unknown."""
    if not pids:
        return None
    total = 0
    try:
        for pid in pids:
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, ValueError, IndexError):
        return None
    return total / os.sysconf("SC_CLK_TCK")


def raise_open_files_limit(needed: int) -> int:
    """Raises this process's soft limit on open files toward `needed` (one per socket)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        new = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        soft = new
    return soft


# ---------------------------------------------------------------- screens


class Deliveries:
    """Which screens have which ticket: a ticket is delivered when every screen has it."""

    def __init__(self, screens: int) -> None:
        self.screens = screens
        self.counts: dict[str, int] = {}
        self.complete: dict[str, float] = {}
        self.waiters: dict[str, asyncio.Future[float]] = {}
        self.posted: set[str] = set()

    def arrived(self, key: str, at: float) -> None:
        count = self.counts.get(key, 0) + 1
        self.counts[key] = count
        if count >= self.screens and key not in self.complete:
            self.complete[key] = at
            waiter = self.waiters.pop(key, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(at)

    def wait(self, key: str) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if key in self.complete:
            future.set_result(self.complete[key])
        else:
            self.waiters[key] = future
        return future


class ScreenClient:
    def __init__(self, socket: ClientConnection, deliveries: Deliveries) -> None:
        self.socket = socket
        self.deliveries = deliveries
        self.seen: set[str] = set()
        self.messages = 0
        self.task: asyncio.Task[None] | None = None

    def _keys(self, message: dict[str, Any]) -> Iterable[str]:
        kind = message.get("type")
        if kind == "board":
            return (key for key, _html in message.get("tickets") or [])
        if kind == "patch":
            return (key for key, _html in message.get("upsert") or [])
        return ()

    async def read(self) -> None:
        try:
            async for raw in self.socket:
                now = time.perf_counter()
                message = json.loads(raw)
                self.messages += 1
                for key in self._keys(message):
                    if key not in self.seen:
                        self.seen.add(key)
                        self.deliveries.arrived(key, now)
        except Exception:  # the socket closed: the run notices undelivered tickets
            return


def ws_url(base: str) -> str:
    parts = urlsplit(base)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/ws/screen/"


async def connect_screen(base: str, cookie: str) -> tuple[ClientConnection, dict[str, Any]]:
    socket = await connect(
        ws_url(base),
        origin=base.rstrip("/"),  # type: ignore[arg-type]
        additional_headers={"Cookie": f"kds_screen={cookie}"},
        compression=None,
        proxy=None,
        open_timeout=30,
        ping_interval=None,
        max_size=None,
        max_queue=None,
    )
    first = json.loads(await asyncio.wait_for(socket.recv(), 30))
    if first.get("type") != "board":
        await socket.close()
        raise BenchError(
            "the server did not accept a screen cookie (answer: "
            f"{first.get('type')!r}). Run kds_bench with the server's SECRET_KEY and "
            "DATABASE_URL, or pass --pairing-urls."
        )
    return socket, first


# ---------------------------------------------------------------- the run


def order_message(run: str, n: int) -> bytes:
    body = {
        "type": "order.created",
        "timestamp": datetime.now(UTC).isoformat(),
        "data": {
            "id": f"bench-{run}-{n}",
            "number": f"B{n}",
            "channel": "dine_in",
            "items": [{"id": "1", "name": "Benchmark noodles", "quantity": 1}],
        },
    }
    return json.dumps(body).encode()


class Bench:
    def __init__(self, options: BenchOptions, target: Target, emit: Emit) -> None:
        self.options = options
        self.target = target
        self.emit = emit
        self.report = BenchReport(options=options, target=target)
        self.run_id = uuid.uuid4().hex[:8]
        self.counter = itertools.count(1)
        self.screens: list[ScreenClient] = []
        self.deliveries = Deliveries(len(target.cookies))
        self.open_tickets: deque[str] = deque()
        self.base = options.url.rstrip("/")

    def _bar(self, total: float | None, desc: str, unit: str = "it") -> tqdm[Any]:
        return tqdm(
            total=total,
            desc=desc,
            unit=unit,
            disable=not self.options.progress,
            leave=False,
            file=sys.stderr,
            dynamic_ncols=True,
        )

    # ------------------------------------------------------------ phases

    async def connect_screens(self) -> None:
        started = time.perf_counter()
        semaphore = asyncio.Semaphore(50)
        with self._bar(len(self.target.cookies), "connecting screens", "screen") as bar:

            async def one(cookie: str) -> ScreenClient:
                async with semaphore:
                    socket, first = await connect_screen(self.base, cookie)
                client = ScreenClient(socket, self.deliveries)
                for key, _html in first.get("tickets") or []:
                    client.seen.add(key)
                client.task = asyncio.create_task(client.read())
                bar.update(1)
                return client

            results = await asyncio.gather(
                *(one(c) for c in self.target.cookies), return_exceptions=True
            )
        self.screens = [r for r in results if isinstance(r, ScreenClient)]
        failures = [r for r in results if isinstance(r, BaseException)]
        self.report.screens_connected = len(self.screens)
        self.report.connect_seconds = time.perf_counter() - started
        if failures:
            first = failures[0]
            if isinstance(first, BenchError):
                raise first
            raise BenchError(
                f"{len(failures)} of {len(results)} screens could not connect: {first!r}"
            )

    async def healthz_baseline(self) -> None:
        o = self.options
        result = self.report.healthz
        deadline = time.perf_counter() + o.healthz_seconds
        limits = httpx.Limits(max_connections=o.healthz_concurrency)
        async with httpx.AsyncClient(limits=limits, timeout=10, trust_env=False) as client:
            with self._bar(o.healthz_seconds, "baseline: /healthz", "s") as bar:

                async def worker() -> None:
                    while time.perf_counter() < deadline:
                        t0 = time.perf_counter()
                        try:
                            response = await client.get(f"{self.base}/healthz")
                            ok = response.status_code == 200
                        except httpx.HTTPError:
                            ok = False
                        if ok:
                            result.requests += 1
                            result.latency.add(time.perf_counter() - t0)
                        else:
                            result.errors += 1

                async def ticker() -> None:
                    while time.perf_counter() < deadline:
                        await asyncio.sleep(0.25)
                        bar.update(0.25)

                started = time.perf_counter()
                cpu = process_cpu_seconds(o.server_pids)
                await asyncio.gather(ticker(), *(worker() for _ in range(o.healthz_concurrency)))
                result.seconds = time.perf_counter() - started
                after = process_cpu_seconds(o.server_pids)
                if cpu is not None and after is not None:
                    result.server_cpu_seconds = after - cpu

    async def layer_baseline(self) -> None:
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is None:
            self.report.layer_name = "none"
            return
        self.report.layer_name = type(layer).__name__
        if self.report.layer_name == "InMemoryChannelLayer":
            # This process's own memory says nothing about the server's Redis.
            self.report.layer_name = "not measured: run with the server's REDIS_URL"
            return
        result = self.report.layer
        channel = await layer.new_channel()
        started = time.perf_counter()
        with self._bar(self.options.layer_round_trips, "baseline: channel layer", "rt") as bar:
            for _ in range(self.options.layer_round_trips):
                t0 = time.perf_counter()
                try:
                    await layer.send(channel, {"type": "bench.ping"})
                    await asyncio.wait_for(layer.receive(channel), 5)
                except Exception:
                    result.errors += 1
                    continue
                result.requests += 1
                result.latency.add(time.perf_counter() - t0)
                bar.update(1)
        result.seconds = time.perf_counter() - started

    async def _bump_oldest(self) -> None:
        """Keeps the board at `keep_open` tickets: bumps the oldest through screen 0."""
        while len(self.open_tickets) > self.options.keep_open and self.screens:
            key = self.open_tickets.popleft()
            try:
                await self.screens[0].socket.send(
                    json.dumps({"action": "ticket_bump", "order": int(key[1:])})
                )
            except Exception:
                return

    async def _bump_all(self) -> None:
        """Leaves the station's board as it found it: bumps every bench ticket still on it."""
        keep, self.options.keep_open = self.options.keep_open, 0
        try:
            await self._bump_oldest()
        finally:
            self.options.keep_open = keep
        await asyncio.sleep(0.5)

    async def _post(self, client: httpx.AsyncClient, step: StepResult) -> None:
        n = next(self.counter)
        body = order_message(self.run_id, n)
        msg_id = f"msg_bench_{self.run_id}_{n}"
        headers = {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(time.time())),
        }
        headers["webhook-signature"] = sign(
            secret=self.target.secret,
            msg_id=msg_id,
            timestamp=int(headers["webhook-timestamp"]),
            body=body,
        )
        step.sent += 1
        t0 = time.perf_counter()
        try:
            response = await client.post(
                f"{self.base}/webhooks/{self.target.source}/", content=body, headers=headers
            )
        except httpx.HTTPError as exc:
            step.errors += 1
            kind = type(exc).__name__
            step.error_kinds[kind] = step.error_kinds.get(kind, 0) + 1
            return
        acked = time.perf_counter()
        if response.status_code != 201:
            step.errors += 1
            kind = f"HTTP {response.status_code}"
            step.error_kinds[kind] = step.error_kinds.get(kind, 0) + 1
            return
        step.acked += 1
        step.ack.add(acked - t0)
        key = f"t{response.json()['order']}"
        self.deliveries.posted.add(key)
        try:
            delivered = await asyncio.wait_for(
                self.deliveries.wait(key), self.options.step_seconds + self.options.drain_seconds
            )
        except TimeoutError:
            step.undelivered += 1
            return
        step.e2e.add(delivered - t0)
        self.open_tickets.append(key)
        await self._bump_oldest()

    async def run_step(self, rate: float, client: httpx.AsyncClient) -> StepResult:
        o = self.options
        step = StepResult(rate=rate, ack_p99_limit_ms=o.ack_p99_limit_ms)
        count = max(1, round(rate * o.step_seconds))
        interval = 1.0 / rate
        tasks: list[asyncio.Task[None]] = []
        started = time.perf_counter()
        cpu = process_cpu_seconds(o.server_pids)
        with self._bar(count, f"intake at {rate:g}/s", "order") as bar:
            for i in range(count):
                delay = started + i * interval - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                task = asyncio.create_task(self._post(client, step))
                task.add_done_callback(lambda _t: bar.update(1))
                tasks.append(task)
            sending = time.perf_counter() - started
            await asyncio.gather(*tasks)
        # Achieved rate: what was acknowledged over the time it took to send it all.
        step.seconds = max(sending, count * interval)
        after = process_cpu_seconds(o.server_pids)
        if cpu is not None and after is not None:
            # Everything the server did for the step: intake, broadcasts, renders, bumps.
            step.server_cpu_seconds = after - cpu
        return step

    async def run(self) -> BenchReport:
        started = time.perf_counter()
        try:
            await self.connect_screens()
            await self.healthz_baseline()
            await self.layer_baseline()
            limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
            async with httpx.AsyncClient(limits=limits, timeout=10, trust_env=False) as client:
                for rate in self.options.rates:
                    step = await self.run_step(rate, client)
                    self.report.steps.append(step)
                    self.emit(summary_step_line(step))
                    if not step.passed:
                        break
            await self._bump_all()
            delivered = sum(s.acked - s.undelivered for s in self.report.steps)
            self.report.broadcasts_expected = delivered + sum(
                s.undelivered for s in self.report.steps
            )
            self.report.broadcasts_received = delivered
            screens = max(1, len(self.target.cookies))
            missing = [
                self.deliveries.counts.get(key, 0) / screens
                for key in self.deliveries.counts
                if key not in self.deliveries.complete and key in self.deliveries.posted
            ]
            if missing:
                self.report.partial_reach = statistics.fmean(missing)
        finally:
            await asyncio.gather(
                *(screen.socket.close() for screen in self.screens), return_exceptions=True
            )
            for screen in self.screens:
                if screen.task is not None:
                    screen.task.cancel()
            # Let the server finish the work in flight for these screens before the
            # caller removes their station.
            await asyncio.sleep(1.0 if self.screens else 0)
        self.report.seconds = time.perf_counter() - started
        return self.report


# ---------------------------------------------------------------- the summary


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def summary_step_line(step: StepResult) -> str:
    verdict = "ok" if step.passed else "FAIL"
    return (
        f"  step {step.rate:>6g}/s: {step.acked}/{step.sent} acked, {step.errors} errors, "
        f"ack p99 {_ms(step.ack.p99)} ms, end-to-end p99 {_ms(step.e2e.p99)} ms — {verdict}"
    )


def _table(rows: list[list[str]], header: list[str]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).rjust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    sep = "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"
    return [line(header), sep, *(line(r) for r in rows)]


def summary(report: BenchReport) -> str:
    o = report.options
    t = report.target
    lines: list[str] = []
    lines.append(f"KDS benchmark{' — ' + o.label if o.label else ''}")
    lines.append("")
    for name, value in t.machine.items():
        lines.append(f"  {name:<14} {value}")
    lines.append(f"  {'server':<14} {o.url}")
    lines.append(
        f"  {'screens':<14} {report.screens_connected} connected to station {t.station!r} "
        f"in {report.connect_seconds:.1f} s"
    )
    lines.append(
        f"  {'settings':<14} rates {', '.join(f'{r:g}' for r in o.rates)}/s × "
        f"{o.step_seconds:g} s, ack p99 limit {o.ack_p99_limit_ms:g} ms, "
        f"board kept at ≤ {o.keep_open} tickets"
    )
    lines.append("")
    h, layer = report.healthz, report.layer
    lines.append("Baselines")
    lines.extend(
        _table(
            [
                [
                    f"GET /healthz, {o.healthz_concurrency} concurrent",
                    f"{h.per_second:.0f}/s",
                    _ms(h.latency.p50),
                    _ms(h.latency.p99),
                    _ms(h.latency.max),
                    str(h.errors),
                    _ms(h.cpu_ms_per_request),
                ],
                [
                    f"channel layer round trip ({report.layer_name})",
                    f"{layer.per_second:.0f}/s",
                    _ms(layer.latency.p50),
                    _ms(layer.latency.p99),
                    _ms(layer.latency.max),
                    str(layer.errors),
                    "—",
                ],
            ],
            ["baseline", "throughput", "p50 ms", "p99 ms", "max ms", "errors", "server CPU ms/req"],
        )
    )
    lines.append("")
    lines.append(f"Intake with {report.screens_connected} screens (latencies in ms)")
    rows = []
    for s in report.steps:
        rows.append(
            [
                f"{s.rate:g}/s",
                f"{s.achieved:.1f}/s",
                str(s.errors + s.undelivered),
                _ms(s.ack.p50),
                _ms(s.ack.p99),
                _ms(s.ack.max),
                _ms(s.e2e.p50),
                _ms(s.e2e.p99),
                _ms(s.e2e.max),
                _ms(s.cpu_ms_per_order),
                "ok" if s.passed else "FAIL",
            ]
        )
    lines.extend(
        _table(
            rows,
            [
                "offered",
                "achieved",
                "errors+late",
                "ack p50",
                "ack p99",
                "ack max",
                "e2e p50",
                "e2e p99",
                "e2e max",
                "CPU/order",
                "verdict",
            ],
        )
    )
    for s in report.steps:
        if s.error_kinds:
            kinds = ", ".join(f"{k}: {v}" for k, v in sorted(s.error_kinds.items()))
            lines.append(f"  errors at {s.rate:g}/s: {kinds}")
    lines.append("")
    best = report.sustainable
    lines.append("Summary")
    if best is None:
        lines.append("  sustainable intake: none of the steps (see the table)")
    else:
        ratio = best.achieved / h.per_second if h.per_second else 0.0
        lines.append(
            f"  sustainable intake: {best.rate:g} orders/s "
            f"= {ratio:.2f} × /healthz throughput ({h.per_second:.0f}/s)"
        )
        if best is report.steps[-1] and best.passed:
            lines.append("  (the highest step offered: the real limit may be higher)")
        if best.e2e.p99 is not None and layer.latency.p50:
            lines.append(
                f"  end-to-end p99 at {best.rate:g}/s: {best.e2e.p99:.1f} ms "
                f"= {best.e2e.p99 / layer.latency.p50:.0f} × a channel-layer round trip "
                f"({layer.latency.p50:.2f} ms)"
            )
    first_ack, healthz_p50 = (report.steps[0].ack.p50 if report.steps else None), h.latency.p50
    if first_ack and healthz_p50:
        lines.append(
            f"  ack p50 at {report.steps[0].rate:g}/s: {first_ack:.1f} ms "
            f"= {first_ack / healthz_p50:.1f} × /healthz p50 under load ({healthz_p50:.1f} ms)"
        )
    lines.append(
        f"  every screen got every ticket: {report.broadcasts_received}/"
        f"{report.broadcasts_expected} orders reached all {report.screens_connected} screens"
    )
    if report.partial_reach is not None:
        lines.append(
            f"  the tickets that did not reach every screen in time reached "
            f"{report.partial_reach:.0%} of them on average"
        )
    lines.append(f"  run took {report.seconds:.1f} s")
    return "\n".join(lines)


def run(options: BenchOptions, target: Target, emit: Emit = print) -> BenchReport:
    raise_open_files_limit(len(target.cookies) + 512)
    return asyncio.run(Bench(options, target, emit).run())


# ---------------------------------------------------------------- setting up (local mode)

BENCH_SLUG = "kds-bench"


def local_cleanup() -> None:
    """Removes what an earlier local run left: the bench restaurant, its orders and screens."""
    from .models import Order, Restaurant

    Order.objects.filter(restaurant__slug=BENCH_SLUG).delete()
    Restaurant.objects.filter(slug=BENCH_SLUG).delete()


def local_target(screens: int) -> Target:
    """A restaurant of the bench's own in this process's database: one fallback station,
    a signed source and `screens` paired screens (their cookies made here, so the server
    must share this process's SECRET_KEY and DATABASE_URL)."""
    from django.db import transaction

    from .models import OrderSource, Restaurant, Screen, SourceSecret, Station
    from .screens import screen_cookie_value, screen_pair

    local_cleanup()
    with transaction.atomic():
        restaurant = Restaurant.objects.create(name="KDS benchmark", slug=BENCH_SLUG)
        station = Station.objects.create(
            restaurant=restaurant, name="Bench", slug="bench", is_fallback=True, position=1
        )
        source = OrderSource.objects.create(
            restaurant=restaurant, name="Benchmark", slug=BENCH_SLUG
        )
        secret = SourceSecret.objects.create(source=source).secret
        Screen.objects.bulk_create(
            [
                Screen(restaurant=restaurant, station=station, name=f"bench {i + 1}")
                for i in range(screens)
            ]
        )
    cookies = []
    for screen in Screen.objects.filter(station=station).order_by("pk"):
        paired = screen_pair(token=screen.pairing_token or "")
        if paired is None:
            raise BenchError(f"could not pair bench screen {screen.pk}")
        cookies.append(screen_cookie_value(screen=paired))
    return Target(source=source.slug, secret=secret, station=station.slug, cookies=cookies)


def local_stack() -> dict[str, str]:
    """The database and channel layer this process is configured with, with versions."""
    from django.conf import settings
    from django.db import connection

    info: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                info["database"] = f"PostgreSQL {cursor.fetchone()[0]}"  # type: ignore[index]
            else:
                cursor.execute("select sqlite_version()")
                info["database"] = f"SQLite {cursor.fetchone()[0]}"  # type: ignore[index]
    except Exception as exc:
        info["database"] = f"{connection.vendor} ({type(exc).__name__})"
    backend = str(settings.CHANNEL_LAYERS["default"]["BACKEND"]).rsplit(".", 1)[-1]
    info["channel layer"] = backend
    redis_url = getattr(settings, "REDIS_URL", None)
    if backend == "RedisChannelLayer" and redis_url:
        try:
            import redis

            client = redis.Redis.from_url(redis_url, socket_timeout=2)
            info["channel layer"] = f"{backend}, Redis {client.info()['redis_version']}"
            client.close()
        except Exception:
            pass
    return info


# ---------------------------------------------------------------- setting up (remote mode)


def pair_link(client: httpx.Client, url: str) -> tuple[str, str]:
    """Pairs as a browser would from a link like https://host/pair/#<token>.

    Returns the screen cookie and the station's name. The token goes only in POST
    bodies, as kds/pair.js sends it, never in a URL. The client's cookies are cleared
    afterwards, so the next link pairs as a new device.
    """
    import re

    page_url, _, token = url.partition("#")
    if not token:
        raise BenchError(f"{url} is not a pairing link (expected …/pair/#<code>)")
    page = client.get(page_url)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or csrf is None:
        raise BenchError(f"{page_url} is not a pairing page (HTTP {page.status_code})")
    form = {"csrfmiddlewaretoken": csrf.group(1), "token": token}
    headers = {"Referer": page_url}
    confirm = client.post(page_url, data=form, headers=headers)
    if confirm.status_code != 200:
        raise BenchError(f"{page_url}: the pairing code does not work (HTTP {confirm.status_code})")
    found = re.search(r"<strong>([^<]+)</strong>", confirm.text)
    paired = client.post(page_url, data={**form, "confirm": "1"}, headers=headers)
    cookie = paired.cookies.get("kds_screen")
    if paired.status_code != 302 or not cookie:
        raise BenchError(f"pairing at {page_url} failed (HTTP {paired.status_code})")
    client.cookies.clear()
    return cookie, found.group(1) if found else "?"


def remote_target(
    *, base: str, source: str, secret: str, pairing_urls: list[str], progress: bool
) -> Target:
    """Pairs one screen per pairing URL over HTTP, as a browser would."""
    cookies: list[str] = []
    station = ""
    with (
        httpx.Client(trust_env=False, timeout=10) as client,
        tqdm(total=len(pairing_urls), desc="pairing screens", disable=not progress) as bar,
    ):
        for url in pairing_urls:
            cookie, station_name = pair_link(client, url)
            station = station or station_name
            cookies.append(cookie)
            bar.update(1)
    return Target(source=source, secret=secret, station=station, cookies=cookies)


def server_stack(base: str) -> dict[str, str]:
    """The server's own view of its database and channel layer, from /healthz."""
    try:
        response = httpx.get(f"{base.rstrip('/')}/healthz", timeout=10, trust_env=False)
    except httpx.HTTPError as exc:
        raise BenchError(f"the server at {base} does not answer: {exc}") from None
    if response.status_code != 200:
        raise BenchError(f"{base}/healthz answered {response.status_code}: {response.text[:200]}")
    body = response.json()
    return {
        "server database": str(body.get("database", {}).get("vendor", "?")),
        "server layer": str(body.get("channel_layer", {}).get("backend", "?")),
    }
