"""`manage.py kds_scheduler`: the worker for everything that happens because time passed.

A loop of independent periodic jobs, each in its own thread so a slow one (a printer
that does not answer) never delays another (firing held lines on time):

- fire: held lines (courses on a delay, pacing, scheduled orders) go live when due;
- presence: stations that lost or regained every screen; backup printing;
- print: print jobs to the kitchen printers, with back-off;
- outbox: the kitchen's events to outgoing webhooks and vendors' status write-backs
  (orders/outbox), with back-off; what was delivered is forgotten after a month;
- fetch: orders vendors announced without sending them (Square), with back-off;
- forget: the ids of screen actions older than a week (`orders.actions.once`), every
  ten minutes: by then no screen can still be sending them again.

Nothing is kept in memory, so a restart simply catches up with what is overdue, and
several schedulers may run at once (rows are claimed with SKIP LOCKED or by
conditional updates).
"""

from __future__ import annotations

import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections, connection

from orders.actions.firing import fire_due
from orders.actions.once import action_records_prune
from orders.actions.presence import stations_presence_check
from orders.actions.printing import print_jobs_send
from orders.intake.fetch import source_fetch_due
from orders.outbox.deliver import outbox_deliver_due, outbox_prune
from orders.printing.fonts import FontMissing, font_files


@dataclass(frozen=True)
class Periodic:
    """A job the scheduler runs every `every` seconds; `run` returns a line to log, or ""."""

    name: str
    every: float
    run: Callable[[], str]


def _fire() -> str:
    fired = fire_due()
    return f"fired {fired} line(s)" if fired else ""


def _presence() -> str:
    changes = stations_presence_check()
    if not changes.count:
        return ""
    return (
        f"stations without a live screen: +{len(changes.offline)} -{len(changes.online)}; "
        f"backup printing started: {len(changes.backup)}; catch-up slips: {changes.caught_up}"
    )


def _print() -> str:
    outcome = print_jobs_send()
    if not (outcome.printed or outcome.failed):
        return ""
    return f"printed {outcome.printed} slip(s), {outcome.failed} failed"


def _outbox() -> str:
    tried = outbox_deliver_due()
    return f"{tried} outgoing event(s) sent or retried" if tried else ""


def _outbox_prune() -> str:
    gone = outbox_prune()
    return f"forgot {gone} old outgoing event(s)" if gone else ""


def _fetch() -> str:
    tried = source_fetch_due()
    return f"{tried} vendor order(s) fetched or retried" if tried else ""


def _forget() -> str:
    forgotten = action_records_prune()
    return f"forgot {forgotten} old screen action id(s)" if forgotten else ""


class Command(BaseCommand):
    help = (
        "Fires held lines when due, watches the screens' presence, sends print jobs, "
        "outgoing webhooks and status write-backs, and fetches vendors' orders."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=0.25, help="seconds between checks for firing"
        )
        parser.add_argument("--once", action="store_true", help="run each job once and exit")

    def jobs(self, interval: float) -> list[Periodic]:
        return [
            Periodic("fire", interval, _fire),
            Periodic("presence", max(interval, 1.0), _presence),
            Periodic("print", max(interval, 0.5), _print),
            Periodic("outbox", max(interval, 0.5), _outbox),
            Periodic("fetch", max(interval, 1.0), _fetch),
            Periodic("outbox-prune", 3600.0, _outbox_prune),
            Periodic("forget", 600.0, _forget),
        ]

    def handle(self, *args: Any, **options: Any) -> None:
        interval: float = options["interval"]
        if not 0.01 <= interval <= 60:
            raise CommandError("--interval must be between 0.01 and 60 seconds")
        try:
            font_files()
        except FontMissing as exc:
            self.stderr.write(f"scheduler: {exc}")
        jobs = self.jobs(interval)
        if options["once"]:
            for job in jobs:
                self._run(job)
            return
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(
            "Scheduler running: " + ", ".join(f"{j.name} every {j.every:g} s" for j in jobs) + "."
        )
        self.stdout.flush()
        threads = [
            threading.Thread(target=self._loop, args=(job, stopping), name=job.name, daemon=True)
            for job in jobs
        ]
        for thread in threads:
            thread.start()
        while not stopping.wait(0.5):
            pass
        for thread in threads:
            thread.join(timeout=15)
        self.stdout.write("Scheduler stopped.")

    def _loop(self, job: Periodic, stopping: threading.Event) -> None:
        try:
            while not stopping.is_set():
                pause = job.every if self._run(job) else min(5.0, job.every * 8 + 1)
                stopping.wait(pause)
        finally:
            connection.close()

    def _run(self, job: Periodic) -> bool:
        """Runs the job once; False if the database was unavailable (the loop waits longer)."""
        try:
            said = job.run()
        except DatabaseError as exc:
            # The database going away must not end the worker: try again shortly.
            self.stderr.write(f"scheduler: {job.name}: database unavailable ({exc}); retrying")
            close_old_connections()
            return False
        except Exception:
            # A bug in one job must not stop it for good, nor the others: log, go on.
            self.stderr.write(f"scheduler: {job.name} failed:\n{traceback.format_exc()}")
            return False
        if said:
            self.stdout.write(f"{job.name}: {said}")
            self.stdout.flush()
        return True
