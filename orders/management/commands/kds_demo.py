"""`manage.py kds_demo`: loads the demo restaurant. Idempotent; used by `make run`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from orders.ops.demo import demo_load
from orders.ops.links import screen_lines


class Command(BaseCommand):
    help = (
        "Loads a demo Sichuan and hot-pot restaurant: menu, stations, routing rules, an order "
        "source and one screen per station. Creates only what is missing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
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
