"""`manage.py kds_source add|rotate|list`: order sources and their webhook secrets."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug
from django.db import transaction

from orders.models import OrderSource, Restaurant, SourceSecret


def webhook_url(source: OrderSource) -> str:
    return settings.KDS_BASE_URL + source.webhook_path


class Command(BaseCommand):
    help = "Adds an order source, rotates its signing secret, or lists the sources."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add a source; prints its webhook URL and secret.")
        add.add_argument("slug", help="Appears in the webhook URL: /webhooks/<slug>/.")
        add.add_argument("--name", help="A name for people (default: the slug).")
        add.add_argument(
            "--restaurant", help="The restaurant's slug (optional when there is only one)."
        )
        add.add_argument("--json", action="store_true", help="Print slug, url and secret as JSON.")

        rotate = sub.add_parser(
            "rotate", help="A new secret; the old one is still accepted for a grace period."
        )
        rotate.add_argument("slug")
        rotate.add_argument(
            "--json", action="store_true", help="Print slug, url and secret as JSON."
        )

        list_ = sub.add_parser("list", help="List sources (without secrets).")
        list_.add_argument("--json", action="store_true", help="Print a JSON array.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            self._add(options)
        elif action == "rotate":
            self._rotate(options)
        else:
            self._list(options)

    def _restaurant(self, slug: str | None) -> Restaurant:
        if slug:
            try:
                return Restaurant.objects.get(slug=slug)
            except Restaurant.DoesNotExist:
                raise CommandError(f"No restaurant with slug {slug!r}.") from None
        restaurants = list(Restaurant.objects.all()[:2])
        if not restaurants:
            raise CommandError(
                "There is no restaurant yet: create one in the admin or run manage.py kds_demo."
            )
        if len(restaurants) > 1:
            raise CommandError("There are several restaurants; say which with --restaurant SLUG.")
        return restaurants[0]

    def _add(self, options: dict[str, Any]) -> None:
        slug: str = options["slug"]
        try:
            validate_slug(slug)
        except ValidationError:
            raise CommandError(
                f"{slug!r} is not a valid slug: use letters, digits, hyphens and underscores."
            ) from None
        if OrderSource.objects.filter(slug=slug).exists():
            raise CommandError(
                f"An order source with slug {slug!r} already exists. "
                f"To get a new secret for it, run: manage.py kds_source rotate {slug}"
            )
        restaurant = self._restaurant(options.get("restaurant"))
        with transaction.atomic():
            source = OrderSource.objects.create(
                restaurant=restaurant, slug=slug, name=options.get("name") or slug
            )
            secret = SourceSecret.objects.create(source=source).secret
        self._print_secret(source, secret, as_json=options["json"])

    def _rotate(self, options: dict[str, Any]) -> None:
        slug: str = options["slug"]
        try:
            source = OrderSource.objects.get(slug=slug)
        except OrderSource.DoesNotExist:
            known = ", ".join(OrderSource.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"No order source with slug {slug!r}. Known sources: {known or 'none'}."
            ) from None
        with transaction.atomic():
            secret = source.rotate_secret().secret
        if not options["json"]:
            hours = settings.KDS_SECRET_ROTATION_GRACE_HOURS
            self.stdout.write(
                f"New secret for {slug}; the old one is accepted for {hours} more hours."
            )
        self._print_secret(source, secret, as_json=options["json"])

    def _print_secret(self, source: OrderSource, secret: str, *, as_json: bool) -> None:
        url = webhook_url(source)
        if as_json:
            self.stdout.write(
                json.dumps({"slug": source.slug, "url": url, "secret": secret}, ensure_ascii=False)
            )
            return
        self.stdout.write(f"url:    {url}")
        self.stdout.write(f"secret: {secret}")

    def _list(self, options: dict[str, Any]) -> None:
        rows = [
            {
                "slug": s.slug,
                "name": s.name,
                "restaurant": s.restaurant.slug,
                "active": s.is_active,
                "url": webhook_url(s),
            }
            for s in OrderSource.objects.select_related("restaurant").order_by("slug")
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("No order sources.")
            return
        for row in rows:
            state = "active" if row["active"] else "inactive"
            self.stdout.write(f"{row['slug']:<20} {state:<8} {row['url']}  {row['name']}")
