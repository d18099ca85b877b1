"""`manage.py kds_demo [--restaurants N]`: loads the demo restaurant, or a chain of N
stores each with the demo kitchen. Idempotent; used by `make run`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orders.ops.demo import MAX_RESTAURANTS, chain_stores, demo_load
from orders.ops.links import screen_lines


class Command(BaseCommand):
    help = (
        "Loads a demo Sichuan and hot-pot restaurant: menu, stations, routing rules, an order "
        "source and one screen per station. Creates only what is missing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--restaurants",
            type=int,
            default=1,
            help=f"Load a chain of N stores, 1 to {MAX_RESTAURANTS} (default 1).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        n = options["restaurants"]
        if not 1 <= n <= MAX_RESTAURANTS:
            raise CommandError(f"--restaurants must be between 1 and {MAX_RESTAURANTS}")
        if n == 1:
            self._one()
            return
        for store in chain_stores(n):
            result = demo_load(store=store)
            made = "loaded" if result.changed else "already loaded"
            self.stdout.write(f"{store.slug:<10} {store.name}: {made}")
        self.stdout.write(
            self.style.SUCCESS(f"Demo chain of {n} restaurants. Its screens: manage.py kds_screen.")
        )
        self.stdout.write(f"The chain page: {settings.KDS_BASE_URL}/chain/")

    def _one(self) -> None:
        result = demo_load()
        if result.changed:
            made = ", ".join(f"{n} {kind}" for kind, n in result.created.items() if n)
            self.stdout.write(self.style.SUCCESS(f"Demo restaurant loaded: {made}."))
        else:
            self.stdout.write(f"Demo restaurant {result.restaurant.slug!r} is already loaded.")

        url = settings.KDS_BASE_URL + result.source.webhook_path
        self.stdout.write(f"Order source {result.source.slug!r}: {url}")
        if result.new_secret:
            self.stdout.write(f"  signing secret (shown once): {result.new_secret}")
        else:
            self.stdout.write(
                f"  new signing secret: manage.py kds_source rotate {result.source.slug}"
            )

        self.stdout.write("Screens (open a pairing link on the device):")
        screens = [info.screen for info in result.screens]
        for line in screen_lines(base=settings.KDS_BASE_URL, screens=screens):
            self.stdout.write(line)
