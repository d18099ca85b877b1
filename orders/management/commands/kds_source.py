"""`manage.py kds_source add|rotate|list`: order sources, their kind and their secrets.

`add SLUG --kind KIND`: our contract (standard, the default) and WooCommerce take a
secret we make and print; Shopify, Square and Deliverect give theirs (`--secret`).
Every kind prints what to paste where in the vendor's settings.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug
from django.db import transaction

from orders.intake.signature import secret_key
from orders.intake.sources import KINDS, secret_for, setup_steps
from orders.models import OrderSource, Restaurant, SourceKind, SourceSecret


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
        add.add_argument(
            "--kind",
            choices=[k.value for k in SourceKind],
            default=SourceKind.STANDARD,
            help="How orders are signed and shaped (default: standard, our contract).",
        )
        add.add_argument(
            "--secret", help="The signing secret the vendor gives (Shopify, Square, Deliverect)."
        )
        add.add_argument("--access-token", help="Square: the access token orders are fetched with.")
        add.add_argument("--client-id", help="Deliverect: the API client ID (status write-back).")
        add.add_argument("--client-secret", help="Deliverect: the API client secret.")
        add.add_argument("--location", help="Square or Deliverect: take only this location's.")
        add.add_argument("--json", action="store_true", help="Print slug, url and secret as JSON.")

        rotate = sub.add_parser(
            "rotate", help="A new secret; the old one is still accepted for a grace period."
        )
        rotate.add_argument("slug")
        rotate.add_argument(
            "--secret", help="The vendor's new secret (Shopify, Square, Deliverect)."
        )
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
        kind: str = options["kind"]
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
        secret, ours = self._secret(kind, options.get("secret"))
        self._check_credentials(kind, options)
        restaurant = self._restaurant(options.get("restaurant"))
        with transaction.atomic():
            source = OrderSource.objects.create(
                restaurant=restaurant,
                slug=slug,
                name=options.get("name") or slug,
                kind=kind,
                vendor_location=options.get("location") or "",
                api_client_id=options.get("client_id") or "",
                api_secret=options.get("access_token") or options.get("client_secret") or "",
            )
            SourceSecret.objects.create(source=source, secret=secret)
        self._print_secret(source, secret if ours else None, as_json=options["json"])

    def _secret(self, kind: str, given: str | None) -> tuple[str, bool]:
        """The secret to store, and whether we made it (then it is printed, once)."""
        label = SourceKind(kind).label
        if given is None:
            if KINDS[kind].vendor_secret:
                raise CommandError(
                    f"{label} gives the signing secret: pass it with --secret "
                    f"(docs/sources.md says where {label} shows it)."
                )
            return secret_for(kind), True
        given = given.strip()
        if not 8 <= len(given) <= 100 or not given.isprintable():
            raise CommandError("--secret must be 8 to 100 printable characters.")
        if kind == SourceKind.STANDARD:
            try:
                if not given.startswith("whsec_") or len(secret_key(given)) < 16:
                    raise ValueError
            except ValueError:
                raise CommandError(
                    "A Standard Webhooks secret is whsec_ and the base64 of at least 16 bytes."
                ) from None
        return given, False

    def _check_credentials(self, kind: str, options: dict[str, Any]) -> None:
        uses = KINDS[kind]
        given = {
            "--access-token": (options.get("access_token"), kind == SourceKind.SQUARE),
            "--client-id": (options.get("client_id"), uses.api_client_id),
            "--client-secret": (options.get("client_secret"), kind == SourceKind.DELIVERECT),
            "--location": (options.get("location"), uses.location),
        }
        for flag, (value, applies) in given.items():
            if value and not applies:
                raise CommandError(f"{flag} does not apply to a {SourceKind(kind).label} source.")
        if kind == SourceKind.SQUARE and not options.get("access_token"):
            raise CommandError(
                "Square sends only the order's id: pass --access-token so it can be fetched."
            )

    def _rotate(self, options: dict[str, Any]) -> None:
        slug: str = options["slug"]
        try:
            source = OrderSource.objects.get(slug=slug)
        except OrderSource.DoesNotExist:
            known = ", ".join(OrderSource.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"No order source with slug {slug!r}. Known sources: {known or 'none'}."
            ) from None
        secret, ours = self._secret(source.kind, options.get("secret"))
        with transaction.atomic():
            secret = source.rotate_secret(secret=secret).secret
        if not options["json"]:
            hours = settings.KDS_SECRET_ROTATION_GRACE_HOURS
            self.stdout.write(
                f"New secret for {slug}; the old one is accepted for {hours} more hours."
            )
        self._print_secret(source, secret if ours else None, as_json=options["json"])

    def _print_secret(self, source: OrderSource, secret: str | None, *, as_json: bool) -> None:
        url = webhook_url(source)
        steps = setup_steps(source.kind, url=url)
        if as_json:
            data: dict[str, Any] = {"slug": source.slug, "kind": source.kind, "url": url}
            if secret is not None:
                data["secret"] = secret
            data["setup"] = steps
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"kind:   {SourceKind(source.kind).label}")
        self.stdout.write(f"url:    {url}")
        if secret is not None:
            self.stdout.write(f"secret: {secret}")
        for number, step in enumerate(steps, 1):
            self.stdout.write(f"{number}. {step}")

    def _list(self, options: dict[str, Any]) -> None:
        rows = [
            {
                "slug": s.slug,
                "kind": s.kind,
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
            self.stdout.write(
                f"{row['slug']:<20} {row['kind']:<12} {state:<8} {row['url']}  {row['name']}"
            )
