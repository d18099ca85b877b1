"""Screenshots of what a newcomer meets: the start page, in English and Chinese, at
1920×1080 and 1024×768.

    .venv/bin/python -m tests.browser.first_run_screenshots [out_dir]

Starts a real Daphne on a throw-away SQLite database with the demo restaurant, pairs
two screens in the browser (online), marks one as gone for 25 minutes (offline), leaves
the rest never paired, signs in as a manager and saves docs/screenshots/start-*.png.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

from tests.browser.pairing import pair_in_browser
from tests.browser.shots import (
    BASE_DIR,
    admin_sign_in,
    each_language_and_size,
    shooting,
    shots_django,
)

SIZES = [(1920, 1080), (1024, 768)]
MANAGER = ("manager", "shots-only-1234")


def main(out_dir: Path) -> None:
    tmp, env = shots_django("kds-first-run-", KDS_VAR_DIR="{tmp}")
    from django.contrib.auth.models import User
    from django.utils import timezone

    from orders.actions.screens import screen_pairing_link
    from orders.models import Screen
    from orders.ops.demo import demo_load

    demo_load()
    User.objects.create_superuser(MANAGER[0], password=MANAGER[1])
    with shooting(tmp, env, out_dir, base_url_env=True) as (server, browser):
        screens = list(Screen.objects.order_by("station__position"))
        for screen in screens[:2]:  # wok and soup: paired in a browser, online
            context = browser.new_context()
            token = screen_pairing_link(screen=screen).rsplit("#", 1)[1]
            pair_in_browser(context.new_page(), server.url, token)
            context.close()
        gone = timezone.now() - timedelta(minutes=25)
        Screen.objects.filter(pk=screens[-1].pk).update(
            paired_at=gone - timedelta(days=3), last_seen_at=gone
        )
        for language, suffix, width, height in each_language_and_size(SIZES):
            context = browser.new_context(
                viewport={"width": width, "height": height},
                extra_http_headers={"Accept-Language": language},
            )
            page = context.new_page()
            admin_sign_in(page, server.url, MANAGER, then="/")
            page.wait_for_selector(".start-screens")
            page.screenshot(path=str(out_dir / f"start-{width}{suffix}.png"))
            context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASE_DIR / "docs" / "screenshots")
