"""`manage.py kds_station list [--json]`: the stations, for scripted set-ups."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from orders.management.lookups import named
from orders.models import Restaurant, Station


class Command(BaseCommand):
    help = "Lists stations: slug, name, kind and which one is the fallback."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        list_ = sub.add_parser("list", help="List stations.")
        list_.add_argument("--json", action="store_true", help="Print a JSON array.")
        list_.add_argument("--restaurant", help="Only this restaurant's stations (slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "list":  # pragma: no cover - argparse refuses others
            raise CommandError(f"Unknown action {options['action']!r}")
        stations = Station.objects.select_related("restaurant").order_by(
            "restaurant__slug", "position", "name"
        )
        if options.get("restaurant"):
            if not named(Restaurant.objects.all(), slug=options["restaurant"]).exists():
                raise CommandError(f"No restaurant with slug {options['restaurant']!r}.")
            stations = stations.filter(restaurant__slug=options["restaurant"])
        rows = [
            {
                "slug": s.slug,
                "name": s.name,
                "kind": s.kind,
                "fallback": s.is_fallback,
                "restaurant": s.restaurant.slug,
                "warning_minutes": s.warning_minutes,
                "late_minutes": s.late_minutes,
            }
            for s in stations
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No stations.")
            return
        for row in rows:
            fallback = "fallback" if row["fallback"] else ""
            self.stdout.write(f"{row['slug']:<16} {row['kind']:<5} {fallback:<8} {row['name']}")
