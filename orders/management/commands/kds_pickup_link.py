"""`manage.py kds_pickup_link [restaurant-slug] [--lang zh-hans] [--repeat 2]`: the pick-up board's URL."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orders.front_of_house.access import pickup_path
from orders.kitchen.language import shipped
from orders.models import Restaurant


class Command(BaseCommand):
    help = "Prints the URL of a restaurant's customer-facing pick-up board (numbers only)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("restaurant", nargs="?", help="Restaurant slug (default: the first).")
        parser.add_argument("--lang", default="", help="Call-out language: en or zh-hans.")
        parser.add_argument(
            "--repeat", type=int, help="Call each number N times, 1 to 5 (the board's default: 2)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = Restaurant.objects.order_by("pk")
        restaurant = (
            rows.filter(slug=options["restaurant"]).first()
            if options["restaurant"]
            else rows.first()
        )
        if restaurant is None:
            raise CommandError("No such restaurant.")
        lang = shipped(options["lang"]) or "" if options["lang"] else ""
        if options["lang"] and not lang:
            known = ", ".join(code for code, _name in settings.LANGUAGES)
            raise CommandError(f"--lang must be one of {known}; got {options['lang']!r}")
        if options["repeat"] is not None and not 1 <= options["repeat"] <= 5:
            raise CommandError("--repeat must be between 1 and 5")
        query = {k: v for k, v in (("lang", lang), ("repeat", options["repeat"])) if v}
        path = pickup_path(restaurant)
        suffix = f"?{urlencode(query)}" if query else ""
        self.stdout.write(f"{settings.KDS_BASE_URL}{path}{suffix}")
