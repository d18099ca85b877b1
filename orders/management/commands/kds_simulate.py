"""`manage.py kds_simulate --source SLUG`: a realistic, signed order feed against a server."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from orders.models import MenuItem, OrderSource
from orders.ops.simulate import Delivery, Dish, Simulator


class Command(BaseCommand):
    help = (
        "Sends a realistic order feed to a running server: dine-in, takeout and delivery orders "
        "from the menu, some updates, voids and cancels, and some deliberate duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", required=True, help="slug of the order source")
        parser.add_argument("--url", help="webhook URL (default: KDS_BASE_URL + the source's path)")
        parser.add_argument("--secret", help="signing secret (default: the source's current one)")
        parser.add_argument("--rate", type=float, default=0.5, help="messages per second")
        parser.add_argument(
            "--duration", type=float, default=60.0, help="seconds; 0 runs until Ctrl-C"
        )
        parser.add_argument("--seed", type=int, help="random seed, for a repeatable feed")
        parser.add_argument("--quiet", action="store_true", help="no line per message")

    def handle(self, *args: Any, **options: Any) -> None:
        rate: float = options["rate"]
        duration: float = options["duration"]
        if rate <= 0 or rate > 1000:
            raise CommandError("--rate must be above 0 and at most 1000 messages per second")
        if duration < 0:
            raise CommandError("--duration must be 0 (until Ctrl-C) or a number of seconds")
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

        total = int(rate * duration) if duration else None
        bar = tqdm(
            total=total, unit="msg", desc="simulate", disable=options["quiet"] and total is None
        )

        def report(delivery: Delivery, outcome: str) -> None:
            if not options["quiet"]:
                bar.write(f"→ {delivery.kind:<16} #{delivery.number:<6} ← {outcome}")
            bar.update(1)

        simulator = Simulator(
            url=url, secret=secret, dishes=dishes, seed=options["seed"], on_result=report
        )
        self.stdout.write(
            f"Sending to {url} at {rate:g}/s "
            + (f"for {duration:g} s" if duration else "until Ctrl-C")
        )
        started = time.monotonic()
        sent = 0
        try:
            while total is None or sent < total:
                due = started + sent / rate
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                simulator.step()
                sent += 1
        except KeyboardInterrupt:
            pass
        finally:
            bar.close()
        elapsed = time.monotonic() - started
        self.stdout.write(f"{sent} messages in {elapsed:.1f} s\n{simulator.tally.summary()}")
        if simulator.tally.failures:
            raise CommandError(f"{simulator.tally.failures} message(s) were never accepted")
