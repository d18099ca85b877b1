"""Screenshots of the chain page, for docs/chains.md.

    .venv/bin/python -m tests.browser.screenshots_chain [out_dir]

Starts a real Daphne on a throw-away SQLite database with the demo chain of four
stores (`kds_demo --restaurants 4`), a week of history each (`kds_seed_history`), and
kitchens at work now: open orders, some late, a screen offline; then saves the chain
page at 1920×1080 and 1024×768, in English and Chinese.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

from tests.browser.shots import (
    ADMIN,
    BASE_DIR,
    admin_context,
    each_language_and_size,
    shooting,
    shots_django,
)

SIZES = [(1920, 1080), (1024, 768)]
STORES = 4


def _setup() -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from orders.models import LineStation, OrderSource, Restaurant, Screen, SourceSecret
    from tests import factories

    call_command("kds_demo", restaurants=STORES, stdout=StringIO())
    for n, restaurant in enumerate(Restaurant.objects.order_by("pk"), start=1):
        call_command(
            "kds_seed_history",
            restaurant=restaurant.slug,
            lines=900 + 250 * n,
            days=7,
            seed=n,
            no_progress=True,
            stdout=StringIO(),
        )
        if n == 3:
            # One store is slower this week: its tickets took half as long again.
            slow = list(LineStation.objects.filter(restaurant=restaurant, ready_at__isnull=False))
            for ticket in slow:
                assert ticket.ready_at is not None and ticket.fired_at is not None
                ticket.ready_at += (ticket.ready_at - ticket.fired_at) / 2
            LineStation.objects.bulk_update(slow, ["ready_at"], batch_size=500)
        source = OrderSource.objects.filter(restaurant=restaurant).order_by("pk").first()
        assert source is not None
        secret = SourceSecret.objects.filter(source=source).order_by("-created_at").first()
        assert secret is not None
        for k in range(2 + 2 * n % 5):
            body = factories.order_body(
                f"now-{restaurant.slug}-{k}",
                number=str(300 + 10 * n + k),
                items=[
                    {"id": "a", "sku": "KP-CHK", "name": "Kung Pao Chicken", "quantity": 1},
                    {"id": "b", "sku": "COLD-CUKE", "name": "Smashed Cucumber", "quantity": 1},
                ],
            )
            factories.post_webhook(source.slug, secret.secret, body)
        live = LineStation.objects.filter(
            restaurant=restaurant, state="live", station__kind="prep", order__status="open"
        )
        late = live[: n % 3]
        LineStation.objects.filter(pk__in=[p.pk for p in late]).update(
            fired_at=timezone.now() - timedelta(minutes=22)
        )
        screens = Screen.objects.filter(restaurant=restaurant).order_by("pk")
        # Paired screens with a fresh heartbeat are online; store 2 has one gone.
        now = timezone.now()
        screens.update(paired_at=now, connected_at=now, last_seen_at=now + timedelta(hours=1))
        if n == 2:
            first = screens.first()
            assert first is not None
            Screen.objects.filter(pk=first.pk).update(
                last_seen_at=now - timedelta(minutes=3), disconnected_at=now - timedelta(minutes=3)
            )
    User.objects.create_superuser(ADMIN[0], password=ADMIN[1])


def main(out_dir: Path) -> None:
    tmp, env = shots_django("kds-chain-shots-")
    _setup()
    with shooting(tmp, env, out_dir) as (server, browser):
        for language, suffix, width, height in each_language_and_size(SIZES):
            context, page = admin_context(browser, server.url, language, width, height)
            page.goto(f"{server.url}/chain/?period=7d")
            page.screenshot(path=str(out_dir / f"chain-{width}{suffix}.png"), full_page=True)
            context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASE_DIR / "docs" / "screenshots")
