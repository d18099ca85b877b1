"""The run: baselines, then signed orders at a rising rate while the screens listen."""

from __future__ import annotations

import asyncio
import itertools
import json
import statistics
import sys
import time
import uuid
from collections import deque
from datetime import UTC, datetime
from typing import Any

import httpx
from tqdm import tqdm

from ..signing import signed_headers
from .clients import Deliveries, ScreenClient, connect_screen
from .results import (
    BenchError,
    BenchOptions,
    BenchReport,
    Emit,
    StepResult,
    Target,
    process_cpu_seconds,
    raise_open_files_limit,
)
from .summary import summary_step_line


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
        self.stores = target.all_stores()
        # Each screen's store, and how many screens show its station.
        self.store_of = {i: n for n, store in enumerate(self.stores) for i in store.screens}
        self.report.store_orders = [0] * len(target.stores)
        self.open_tickets: deque[tuple[str, int]] = deque()
        self.bases = [u.rstrip("/") for u in (options.urls or [options.url])]

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

            async def one(n: int, cookie: str) -> ScreenClient:
                async with semaphore:
                    socket, first = await connect_screen(self.bases[n % len(self.bases)], cookie)
                store = self.stores[self.store_of.get(n, 0)]
                client = ScreenClient(socket, self.deliveries, len(store.screens))
                for key, _html in first.get("tickets") or []:
                    client.seen.add(key)
                client.task = asyncio.create_task(client.read())
                bar.update(1)
                return client

            results = await asyncio.gather(
                *(one(n, c) for n, c in enumerate(self.target.cookies)), return_exceptions=True
            )
        # Kept in order (a failure leaves None), so a screen's index is its cookie's.
        self.by_index = [r if isinstance(r, ScreenClient) else None for r in results]
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

                async def worker(n: int) -> None:
                    base = self.bases[n % len(self.bases)]
                    while time.perf_counter() < deadline:
                        t0 = time.perf_counter()
                        try:
                            response = await client.get(f"{base}/healthz")
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
                await asyncio.gather(ticker(), *(worker(n) for n in range(o.healthz_concurrency)))
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
        """Keeps the boards at `keep_open` tickets: bumps the oldest through the first
        screen of its store, as a cook would."""
        keep = self.options.keep_open * len(self.stores)  # keep_open per station
        while len(self.open_tickets) > keep and self.screens:
            key, store = self.open_tickets.popleft()
            first = self.stores[store].screens[0]
            screen = self.by_index[first] if first < len(self.by_index) else None
            if screen is None:
                continue
            try:
                await screen.socket.send(
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
        store_index = n % len(self.stores)  # orders spread over the restaurants in turn
        store = self.stores[store_index]
        body = order_message(self.run_id, n)
        msg_id = f"msg_bench_{self.run_id}_{n}"
        headers = signed_headers(secret=store.secret, body=body, msg_id=msg_id)
        step.sent += 1
        t0 = time.perf_counter()
        try:
            response = await client.post(
                f"{self.bases[n % len(self.bases)]}/webhooks/{store.source}/",
                content=body,
                headers=headers,
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
        if self.report.store_orders:
            self.report.store_orders[store_index] += 1
        self.open_tickets.append((key, store_index))
        await self._bump_oldest()

    async def run_step(self, rate: float, client: httpx.AsyncClient) -> StepResult:
        o = self.options
        step = StepResult(
            rate=rate, ack_p99_limit_ms=o.ack_p99_limit_ms, e2e_p99_limit_ms=o.e2e_p99_limit_ms
        )
        watcher = self.screens[0] if self.screens else None
        seen = (watcher.boards, watcher.patches, watcher.coalesced) if watcher else (0, 0, 0)
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
        if watcher is not None:
            step.boards = watcher.boards - seen[0]
            step.patches = watcher.patches - seen[1]
            step.coalesced = watcher.coalesced - seen[2]
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
                    if not step.kept_up:
                        break  # the knee: past it every step only falls further behind
            await self._bump_all()
            delivered = sum(s.acked - s.undelivered for s in self.report.steps)
            self.report.broadcasts_expected = delivered + sum(
                s.undelivered for s in self.report.steps
            )
            self.report.broadcasts_received = delivered
            # Screens are dealt to the stores in turn, so each has about this many.
            screens = max(1, len(self.target.cookies) // len(self.stores))
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


def run(options: BenchOptions, target: Target, emit: Emit = print) -> BenchReport:
    raise_open_files_limit(len(target.cookies) + 512)
    return asyncio.run(Bench(options, target, emit).run())
