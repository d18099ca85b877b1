"""`manage.py kds_scheduler`: the worker that fires held lines when their time comes.

Courses on a delay, paced lines and scheduled orders are held with a due time in
the database; this loop makes them live within a fraction of a second of it.
Nothing is kept in memory, so a restart simply catches up with what is overdue,
and several schedulers may run at once (rows are claimed with SKIP LOCKED).
"""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections

from orders.actions.firing import fire_due


class Command(BaseCommand):
    help = "Fires held lines (courses on a delay, pacing, scheduled orders) when they are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=0.25, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        interval: float = options["interval"]
        if not 0.01 <= interval <= 60:
            raise CommandError("--interval must be between 0.01 and 60 seconds")
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Scheduler running, checking every {interval:g} s.")
        fired_total = 0
        while not stopping:
            try:
                fired = fire_due()
            except DatabaseError as exc:
                # The database going away must not end the worker: try again shortly.
                self.stderr.write(f"scheduler: database unavailable ({exc}); retrying")
                close_old_connections()
                fired = 0
                time.sleep(min(5.0, interval * 8))
            if fired:
                fired_total += fired
                self.stdout.write(f"fired {fired} line(s)")
                self.stdout.flush()
            if options["once"]:
                break
            time.sleep(interval)
        self.stdout.write(f"Scheduler stopped; fired {fired_total} line(s).")
