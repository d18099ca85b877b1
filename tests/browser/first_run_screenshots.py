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
from tests.browser.shots import BASE_DIR, CHROMIUM_ARGS, shots_django

SIZES = [(1920, 1080), (1024, 768)]


def main(out_dir: Path) -> None:
    tmp, env = shots_django("kds-first-run-", KDS_VAR_DIR="{tmp}")
    from django.contrib.auth.models import User
    from django.utils import timezone
    from playwright.sync_api import sync_playwright

    from orders.actions.screens import screen_pairing_link
    from orders.models import Screen
    from orders.ops.demo import demo_load
    from tests.browser.server import KdsServer

    demo_load()
    User.objects.create_superuser("manager", password="shots-only-1234")
    server = KdsServer(env=env, log_path=tmp / "daphne.log")
    server.env["KDS_BASE_URL"] = server.url  # as make run sets it
    server.start()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
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
            for language in ("en", "zh-hans"):
                for width, height in SIZES:
                    context = browser.new_context(
                        viewport={"width": width, "height": height},
                        extra_http_headers={"Accept-Language": language},
                    )
                    page = context.new_page()
                    page.goto(f"{server.url}/admin/login/?next=/")
                    page.fill("#id_username", "manager")
                    page.fill("#id_password", "shots-only-1234")
                    page.click("input[type=submit]")
                    page.wait_for_selector(".start-screens")
                    suffix = "" if language == "en" else "-zh"
                    page.screenshot(path=str(out_dir / f"start-{width}{suffix}.png"))
                    context.close()
            browser.close()
    finally:
        server.stop()
    print(f"saved to {out_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASE_DIR / "docs" / "screenshots")
