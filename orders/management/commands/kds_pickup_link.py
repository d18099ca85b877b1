"""`manage.py kds_pickup_link [restaurant-slug] [--lang zh-hans] [--repeat 2] [--rotate | --revoke]`:
the pick-up board's link; a new one (the old link and the boards it opened stop), or none."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orders.actions.pickup import pickup_link_revoke, pickup_link_rotate
from orders.front_of_house.access import pickup_link
from orders.kitchen.language import shipped
from orders.management.lookups import named
from orders.models import Restaurant


class Command(BaseCommand):
    help = (
        "Prints the link of a restaurant's customer-facing pick-up board (numbers only); "
        "--rotate replaces it, --revoke switches it off. Boards opened with an old link close."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("restaurant", nargs="?", help="Restaurant slug (default: the first).")
        parser.add_argument("--lang", default="", help="Call-out language: en or zh-hans.")
        parser.add_argument(
            "--repeat", type=int, help="Call each number N times, 1 to 5 (the board's default: 2)."
        )
        change = parser.add_mutually_exclusive_group()
        change.add_argument(
            "--rotate", action="store_true", help="A new link; the old one stops working."
        )
        change.add_argument(
            "--revoke", action="store_true", help="No pick-up link until --rotate makes one."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = Restaurant.objects.order_by("pk")
        restaurant = (
            named(rows, slug=options["restaurant"]).first()
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
        if options["revoke"]:
            pickup_link_revoke(restaurant=restaurant)
            self.stdout.write(
                f"The pick-up link of {restaurant.slug} is revoked; open boards close."
            )
            return
        if options["rotate"]:
            pickup_link_rotate(restaurant=restaurant)
        elif not restaurant.pickup_token:
            raise CommandError(
                f"The pick-up link of {restaurant.slug} is revoked: --rotate makes a new one."
            )
        link = pickup_link(
            restaurant, base=settings.KDS_BASE_URL, lang=lang, repeat=options["repeat"]
        )
        self.stdout.write(link)
