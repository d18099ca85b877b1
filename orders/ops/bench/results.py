"""The benchmark's options, results and the machine it ran on."""

from __future__ import annotations

import math
import os
import platform
import resource
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


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
    e2e_p99_limit_ms: float = 250.0
    # Start this many Daphne processes here and spread screens and orders over them
    # (0: measure the server at `url`).
    processes: int = 0
    # How long after the last POST of a step the screens may take to receive it.
    drain_seconds: float = 3.0
    keep_open: int = 30
    progress: bool = True
    label: str = ""
    # Server processes on this machine whose CPU time to account per order (/proc).
    server_pids: Sequence[int] = ()
    # Several servers behind no balancer: screens and orders spread over them in turn.
    urls: Sequence[str] = ()


@dataclass
class Store:
    """One restaurant of a run: where its orders go and which screens (indexes into
    `Target.cookies`) show its station."""

    source: str
    secret: str
    screens: list[int]


@dataclass
class Target:
    """What to send to and who to listen as. With several restaurants (`stores`), orders
    go to each in turn and a ticket is delivered when every screen of its store has it."""

    source: str
    secret: str
    station: str
    cookies: list[str]
    machine: dict[str, str] = field(default_factory=dict)
    stores: list[Store] = field(default_factory=list)

    def all_stores(self) -> list[Store]:
        return self.stores or [Store(self.source, self.secret, list(range(len(self.cookies))))]


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
    e2e_p99_limit_ms: float = 250.0
    server_cpu_seconds: float | None = None
    # What screen 0 saw: patches and boards received, and changes folded into a patch
    # with others (a patch from seq 7 to seq 10 folds 2 changes into the third).
    patches: int = 0
    boards: int = 0
    coalesced: int = 0

    @property
    def cpu_ms_per_order(self) -> float | None:
        if self.server_cpu_seconds is None or not self.acked:
            return None
        return self.server_cpu_seconds * 1000 / self.acked

    @property
    def achieved(self) -> float:
        return self.acked / self.seconds if self.seconds else 0.0

    @property
    def kept_up(self) -> bool:
        """Every order stored and on every screen, at the rate offered: not past the knee."""
        return (
            self.errors == 0
            and self.undelivered == 0
            and self.acked == self.sent
            and self.achieved >= 0.9 * self.rate
        )

    @property
    def passed(self) -> bool:
        """Kept up, with acknowledgement and end-to-end p99 under their limits."""
        ack, e2e = self.ack.p99, self.e2e.p99
        return (
            self.kept_up
            and ack is not None
            and ack < self.ack_p99_limit_ms
            and e2e is not None
            and e2e < self.e2e_p99_limit_ms
        )

    @property
    def verdict(self) -> str:
        return "ok" if self.passed else "slow" if self.kept_up else "FAIL"


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
    # With several restaurants: the orders each one's screens all received.
    store_orders: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def sustainable(self) -> StepResult | None:
        passed = [s for s in self.steps if s.passed]
        return max(passed, key=lambda s: s.rate) if passed else None


# Writes one line of output (a step's result as it finishes).
Emit = Callable[[str], object]


class BenchError(Exception):
    """The bench cannot run: a message for the operator."""


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
