"""`manage.py kds_bench`: measures a running server — screens, intake rate, latencies.

Local mode (the default) runs with the server's own environment (DATABASE_URL,
REDIS_URL, SECRET_KEY): it creates a restaurant "kds-bench" with one station, a source
and M paired screens, and removes them afterwards.

    DATABASE_URL=... REDIS_URL=... SECRET_KEY=... manage.py kds_bench --url http://127.0.0.1:8000

Remote mode measures any deployment, given a source and one pairing link per screen
(`manage.py kds_screen add --station SLUG` on the server prints them):

    manage.py kds_bench --url https://kds.example.com --source bench --secret whsec_... \\
        --pairing-urls links.txt
"""

from __future__ import annotations

import math
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from orders.ops import bench


def _rates(raw: str) -> list[float]:
    try:
        rates = [float(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"--rates must be numbers separated by commas; got {raw!r}") from None
    if not rates or not _positive(*rates):
        raise CommandError("--rates must be positive numbers, e.g. 10,20,50")
    return rates


def _positive(*values: float) -> bool:
    """Finite and above 0 (argparse's float() also takes "nan" and "inf")."""
    return all(math.isfinite(v) and v > 0 for v in values)


def _pairing_urls(options: dict[str, Any]) -> list[str] | None:
    """Remote mode's pairing URLs, at least --screens of them; None when not remote."""
    if options.get("source") is None:
        return None
    if not options.get("secret") or not options.get("pairing_urls"):
        raise CommandError("--source needs --secret and --pairing-urls")
    path: Path = options["pairing_urls"]
    try:
        urls = [u.strip() for u in path.read_text().splitlines() if u.strip()]
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from None
    if len(urls) < options["screens"]:
        raise CommandError(f"{path} has {len(urls)} pairing URLs; --screens asks for more")
    return urls[: options["screens"]]


class Command(BaseCommand):
    help = (
        "Benchmarks a running server: connects M screens over WebSockets, measures the "
        "/healthz and channel-layer baselines, then posts signed orders at rising rates "
        "and prints acknowledgement and end-to-end latencies with the sustainable rate."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        d = bench.BenchOptions()
        parser.add_argument("--url", default=d.url, help=f"The server (default {d.url}).")
        parser.add_argument(
            "--screens", type=int, default=d.screens, help="Screens to connect, 1 to 1000."
        )
        parser.add_argument(
            "--rates",
            default=",".join(f"{r:g}" for r in d.rates),
            help="Orders per second of each step, rising; stops at the first failing step.",
        )
        parser.add_argument("--step-seconds", type=float, default=d.step_seconds)
        parser.add_argument("--healthz-seconds", type=float, default=d.healthz_seconds)
        parser.add_argument("--healthz-concurrency", type=int, default=d.healthz_concurrency)
        parser.add_argument("--layer-round-trips", type=int, default=d.layer_round_trips)
        parser.add_argument(
            "--ack-p99-ms",
            type=float,
            default=d.ack_p99_limit_ms,
            help="A step is sustainable when its acknowledgement p99 is under this.",
        )
        parser.add_argument(
            "--e2e-p99-ms",
            type=float,
            default=d.e2e_p99_limit_ms,
            help="... and its end-to-end p99 under this.",
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=0,
            help="Start N Daphne processes here (with this environment) and spread screens "
            "and orders over them; --url is then not used.",
        )
        parser.add_argument(
            "--keep-open",
            type=int,
            default=d.keep_open,
            help="Bump the oldest ticket once more than this many are on the board.",
        )
        parser.add_argument(
            "--drain-seconds",
            type=float,
            default=d.drain_seconds,
            help="How long after a step the screens may take to receive its last tickets.",
        )
        parser.add_argument(
            "--restaurants",
            type=int,
            default=1,
            help="Local mode: a chain of N bench restaurants (1 to 1000), one station each, "
            "the screens dealt to them in turn and the orders sent to each in turn.",
        )
        parser.add_argument("--label", default="", help="Describes the deployment in the report.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bars.")
        parser.add_argument(
            "--server-pid",
            type=int,
            action="append",
            default=[],
            help="A server process on this machine (repeatable): reports its CPU ms per order.",
        )
        remote = parser.add_argument_group("remote mode (a server whose database is not ours)")
        remote.add_argument("--source", help="The order source's slug.")
        remote.add_argument("--secret", help="The source's signing secret (whsec_...).")
        remote.add_argument(
            "--pairing-urls", type=Path, help="A file with one pairing URL per line."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        screens = options["screens"]
        if not 1 <= screens <= 1000:
            raise CommandError("--screens must be between 1 and 1000")
        restaurants = options["restaurants"]
        if not 1 <= restaurants <= 1000:
            raise CommandError("--restaurants must be between 1 and 1000")
        if restaurants > screens:
            raise CommandError("--restaurants needs at least one screen each (--screens)")
        if restaurants > 1 and options.get("source") is not None:
            raise CommandError("--restaurants makes local restaurants: it cannot go with --source")
        if not _positive(options["step_seconds"], options["healthz_seconds"]):
            raise CommandError("--step-seconds and --healthz-seconds must be positive")
        if not _positive(options["ack_p99_ms"], options["e2e_p99_ms"]):
            raise CommandError("--ack-p99-ms and --e2e-p99-ms must be positive")
        if not (math.isfinite(options["drain_seconds"]) and options["drain_seconds"] >= 0):
            raise CommandError("--drain-seconds must be 0 or more")
        if not 0 <= options["processes"] <= 16:
            raise CommandError("--processes must be between 1 and 16 (0: the server at --url)")
        if options["processes"] and options.get("source") is not None:
            raise CommandError("--processes starts local servers: it cannot go with --source")
        # Every argument is checked before anything is started or contacted.
        options["rates"] = _rates(options["rates"])
        options["pairing_urls"] = _pairing_urls(options)
        servers = bench.Servers(options["processes"])
        if servers.count:
            self.stderr.write(f"kds_bench: starting {servers.count} Daphne processes")
            try:
                servers.start()
            except bench.BenchError as exc:
                servers.stop()
                raise CommandError(str(exc)) from None
        try:
            self._run(servers, options)
        finally:
            servers.stop()

    def _run(self, servers: bench.Servers, options: dict[str, Any]) -> None:
        screens = options["screens"]
        opts = bench.BenchOptions(
            url=servers.urls[0] if servers.urls else options["url"].rstrip("/"),
            screens=screens,
            rates=options["rates"],
            step_seconds=options["step_seconds"],
            healthz_seconds=options["healthz_seconds"],
            healthz_concurrency=max(1, options["healthz_concurrency"]),
            layer_round_trips=max(1, options["layer_round_trips"]),
            ack_p99_limit_ms=options["ack_p99_ms"],
            e2e_p99_limit_ms=options["e2e_p99_ms"],
            processes=servers.count,
            urls=tuple(servers.urls),
            keep_open=max(0, options["keep_open"]),
            drain_seconds=options["drain_seconds"],
            progress=not options["no_progress"],
            label=options["label"],
            server_pids=tuple(options["server_pid"]) + tuple(servers.pids),
        )
        remote = options.get("source") is not None
        try:
            stack = bench.server_stack(opts.url)
            if remote:
                target = self._remote(opts, options)
            else:
                stack.update(bench.local_stack())
                target = bench.local_target(screens, options["restaurants"])
            target.machine = bench.machine_info(stack)
            self.stderr.write(
                f"kds_bench: {len(target.cookies)} screens, rates {','.join(f'{r:g}' for r in opts.rates)}/s "
                f"against {opts.url}"
            )
            try:
                report = bench.run(opts, target, self.stdout.write)
            finally:
                if not remote:
                    bench.local_cleanup()
        except bench.BenchError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write("")
        self.stdout.write(bench.summary(report))
        sys.stdout.flush()

    def _remote(self, opts: bench.BenchOptions, options: dict[str, Any]) -> bench.Target:
        return bench.remote_target(
            base=opts.url,
            source=options["source"],
            secret=options["secret"],
            pairing_urls=options["pairing_urls"],
            progress=opts.progress,
        )
