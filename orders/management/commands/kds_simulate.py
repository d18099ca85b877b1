"""`manage.py kds_simulate --source SLUG`: a realistic, signed order feed against a server.

Without --url it posts to the running server (KDS_BASE_URL, else the address `make run`
serves on). It stops when --duration is up, retries included, and stops with a clear
error when nothing listens at the address, at the start or for --give-up-after seconds
on end.
"""

from __future__ import annotations

import socket
import time
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kds.settings import is_web_address
from orders.models import MenuItem, OrderSource
from orders.ops.simulate import Delivery, Dish, Simulator


def _listening(url: str) -> bool:
    """Whether something accepts connections at the URL's host and port."""
    parsed = urlparse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        with socket.create_connection((parsed.hostname or "", port), timeout=3):
            return True
    except (OSError, ValueError):
        return False


class Command(BaseCommand):
    help = (
        "Sends a realistic order feed to a running server: dine-in, takeout and delivery orders "
        "from the menu, some updates, voids and cancels, and some deliberate duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, help="slug of the order source")
        parser.add_argument(
            "--url",
            help="webhook URL (default: the running server's, KDS_BASE_URL + the source's path)",
        )
        parser.add_argument("--secret", help="signing secret (default: the source's current one)")
        parser.add_argument("--rate", type=float, default=0.5, help="messages per second")
        parser.add_argument(
            "--duration", type=float, default=60.0, help="seconds; 0 runs until Ctrl-C"
        )
        parser.add_argument(
            "--count",
            type=int,
            help="stop after this many messages (with --duration, whichever comes first)",
        )
        parser.add_argument(
            "--give-up-after",
            type=float,
            default=10.0,
            help="stop when nothing has listened at the address for this many seconds",
        )
        parser.add_argument("--seed", type=int, help="random seed, for a repeatable feed")
        parser.add_argument("--quiet", action="store_true", help="no line per message")

    def handle(self, *args: Any, **options: Any) -> None:
        rate: float = options["rate"]
        duration: float = options["duration"]
        if not 0 < rate <= 1000:
            raise CommandError("--rate must be above 0 and at most 1000 messages per second")
        if not 0 <= duration <= 366 * 86400:
            raise CommandError("--duration must be 0 (until Ctrl-C) or a number of seconds")
        if options["count"] is not None and not 0 < options["count"] <= 10_000_000:
            raise CommandError("--count must be between 1 and 10,000,000 messages")
        give_up: float = options["give_up_after"]
        if not 0 < give_up <= 86400:
            raise CommandError("--give-up-after must be above 0 and at most a day in seconds")
        source = OrderSource.objects.filter(slug=options["source"]).first()
        if source is None:
            known = ", ".join(OrderSource.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No order source {options['source']!r} (known: {known}).")
        secret = options["secret"] or next(iter(source.valid_secrets()), None)
        if not secret:
            raise CommandError(
                f"Source {source.slug!r} has no valid secret: kds_source rotate {source.slug}"
            )
        dishes = [
            Dish(sku=sku, name=name)
            for sku, name in MenuItem.objects.filter(
                restaurant_id=source.restaurant_id, is_active=True
            ).values_list("sku", "name")
        ] or [Dish(sku="SIM-1", name="House special")]
        url = options["url"] or settings.KDS_BASE_URL + source.webhook_path
        if not is_web_address(url):
            raise CommandError(f"--url must be an http:// or https:// address; got {url!r}")
        if not _listening(url):
            where = "" if options["url"] else " (KDS_BASE_URL, or where make run last served)"
            raise CommandError(
                f"Nothing is listening at {url}{where}. Start the server with `make run`, "
                "or give the webhook's address with --url."
            )

        total = int(rate * duration) if duration else None
        if options["count"] is not None:
            total = min(total or options["count"], options["count"])
        bar = tqdm(
            total=total, unit="msg", desc="simulate", disable=options["quiet"] and total is None
        )

        def report(delivery: Delivery, outcome: str) -> None:
            if not options["quiet"]:
                bar.write(f"→ {delivery.kind:<16} #{delivery.number:<6} ← {outcome}")
            bar.update(1)

        started = time.monotonic()
        deadline = started + duration if duration else None
        simulator = Simulator(
            url=url,
            secret=secret,
            dishes=dishes,
            seed=options["seed"],
            on_result=report,
            deadline=deadline,
        )
        self.stdout.write(
            f"Sending to {url} at {rate:g}/s "
            + (f"for {duration:g} s" if duration else "until Ctrl-C")
        )
        sent = 0
        lost: float | None = None
        try:
            while total is None or sent < total:
                due = started + sent / rate
                if deadline is not None and max(due, time.monotonic()) >= deadline:
                    break
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                simulator.step()
                sent += 1
                gone = simulator.unreachable_since
                if gone is not None and time.monotonic() - gone >= give_up:
                    lost = gone
                    break
        except KeyboardInterrupt:
            pass
        finally:
            bar.close()
        elapsed = time.monotonic() - started
        self.stdout.write(f"{sent} messages in {elapsed:.1f} s\n{simulator.tally.summary()}")
        if lost is not None:
            raise CommandError(
                f"Nothing has been listening at {url} for {time.monotonic() - lost:.0f} s; "
                "stopped. Is the server still running?"
            )
        if simulator.tally.failures:
            raise CommandError(f"{simulator.tally.failures} message(s) were never accepted")
