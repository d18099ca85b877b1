"""`manage.py kds_screen add --station SLUG [--name NAME] [--json]`: a screen, its pairing URL."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orders.actions.screens import screen_pairing_link
from orders.management.lookups import named
from orders.models import Screen, Station


def _name(given: str | None, *, default: str) -> str:
    """The screen's name as the admin would take it, or a CommandError saying why not."""
    longest = Screen._meta.get_field("name").max_length or 60
    if given is None:
        return default[:longest]
    if not given.strip() or len(given) > longest or not given.isprintable():
        raise CommandError(f"--name must be 1 to {longest} printable characters")
    return given.strip()


class Command(BaseCommand):
    help = "Adds a screen to a station and prints its one-time pairing URL."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add a screen and print its pairing URL.")
        add.add_argument("--station", required=True, help="The station's slug.")
        add.add_argument("--name", help="The screen's name (default: the station's name).")
        add.add_argument("--restaurant", help="The restaurant's slug, when slugs repeat.")
        add.add_argument("--json", action="store_true", help='Print {"url": ...} as JSON.')

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "add":  # pragma: no cover - argparse refuses others
            raise CommandError(f"Unknown action {options['action']!r}")
        stations = named(Station.objects.all(), slug=options["station"])
        if options.get("restaurant"):
            stations = named(stations, restaurant__slug=options["restaurant"])
        found = list(stations.select_related("restaurant")[:2])
        if not found:
            known = ", ".join(Station.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"No station with slug {options['station']!r}. Known stations: {known or 'none'}."
            )
        if len(found) > 1:
            raise CommandError(
                f"Several restaurants have a station {options['station']!r}; "
                "say which with --restaurant SLUG."
            )
        station = found[0]
        name = _name(options.get("name"), default=f"{station.name} screen")
        with transaction.atomic():
            screen = Screen.objects.create(
                restaurant=station.restaurant, station=station, name=name
            )
            url = screen_pairing_link(screen=screen)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"url": url, "screen": screen.pk, "station": station.slug, "name": screen.name},
                    ensure_ascii=False,
                )
            )
        else:
            self.stdout.write(url)
