"""What the screenshot scripts share: Django on a throw-away SQLite database, migrated,
and a signed order poster for the server they start.

The scripts run as `python -m tests.browser.<script>`, outside pytest: they set the
environment up themselves before Django is imported.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def shots_django(prefix: str, **extra_env: str) -> tuple[Path, dict[str, str]]:
    """A temporary directory with a migrated SQLite database, Django set up on it, and the
    environment a server for it needs. `{tmp}` in an extra value is the directory."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    env = {
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "KDS_SQLITE_PATH": str(tmp / "shots.sqlite3"),
        **{name: value.format(tmp=tmp) for name, value in extra_env.items()},
    }
    os.environ.update(env)
    # Playwright keeps an event loop in this thread; the ORM calls here are plain sync code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kds.settings")
    sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return tmp, env


def order_poster(client: Any, base_url: str, kitchen: Any) -> Callable[[dict[str, Any]], None]:
    """Posts an order message to the kitchen's source, signed as its POS would."""
    from tests import factories

    def post(body: dict[str, Any]) -> None:
        raw = factories.encode(body)
        client.post(
            f"{base_url}/webhooks/{kitchen.source.slug}/",
            content=raw,
            headers=factories.signed_headers(kitchen.secret, raw),
        ).raise_for_status()

    return post


def signed_in_context(browser: Any, url: str, cookie: str, viewport: dict[str, int]) -> Any:
    """A browser context carrying a signed-in session (the front-of-house tablet's)."""
    from django.conf import settings

    context = browser.new_context(viewport=viewport, bypass_csp=True)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": url}])
    return context
