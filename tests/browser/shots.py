"""What the screenshot scripts share: Django on a throw-away SQLite database, migrated;
the frame they shoot in (a real Daphne on it and headless Chromium, `shooting`); a signed
order poster for that server; and the pages they open: a paired screen, a signed-in
front-of-house tablet, the admin signed in, once per language and size.

The scripts run as `python -m tests.browser.<script>`, outside pytest: they set the
environment up themselves before Django is imported.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LANGUAGES = ("en", "zh-hans")
# The superuser the admin's screenshots sign in as.
ADMIN = ("boss", "a-long-admin-password-1")
FREEZE = "*{animation-play-state:paused!important}"


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


@contextmanager
def shooting(
    tmp: Path,
    env: dict[str, str],
    out_dir: Path,
    *,
    before_browser: Callable[[Any], None] | None = None,
    base_url_env: bool = False,
) -> Iterator[tuple[Any, Any]]:
    """A real Daphne on the scripts' database (its log in `tmp`) and headless Chromium,
    yielded as (server, browser); `out_dir` made. Both are closed at the end, and it says
    where the pictures went.

    `before_browser(server)` runs once the server is up and before Playwright starts: its
    event loop then sits in this thread, where a broadcast's async_to_sync cannot run.
    With `base_url_env` the server gets KDS_BASE_URL, its own address, as `make run` sets it.
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.server import KdsServer

    server = KdsServer(env=env, log_path=tmp / "daphne.log")
    if base_url_env:
        server.env["KDS_BASE_URL"] = server.url
    server.start()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if before_browser is not None:
            before_browser(server)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                yield server, browser
            finally:
                browser.close()
    finally:
        server.stop()
    print(f"saved to {out_dir}")


def each_language_and_size(sizes: list[tuple[int, int]]) -> Iterator[tuple[str, str, int, int]]:
    """(language, its file names' suffix, width, height): English at each size, then Chinese
    ("-zh")."""
    for language in LANGUAGES:
        suffix = "-zh" if language != "en" else ""
        for width, height in sizes:
            yield language, suffix, width, height


def admin_sign_in(page: Any, url: str, user: tuple[str, str] = ADMIN, *, then: str = "") -> None:
    """Signs in through the admin's login form (then goes where `?next=` says, if given)."""
    page.goto(f"{url}/admin/login/" + (f"?next={then}" if then else ""))
    page.fill("#id_username", user[0])
    page.fill("#id_password", user[1])
    page.click("input[type=submit]")


def admin_context(browser: Any, url: str, language: str, width: int, height: int) -> Any:
    """A browser context in `language`, signed in to the admin as ADMIN; and its page."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=language)
    page = context.new_page()
    admin_sign_in(page, url)
    return context, page


def paired_page(
    browser: Any, url: str, screen: Any, viewport: dict[str, int], **context_options: Any
) -> tuple[Any, Any]:
    """A fresh browser context paired as `screen` through its link at `url`; and its page."""
    from orders.actions.screens import screen_pairing_link
    from tests.browser.pairing import pair_in_browser

    token = screen_pairing_link(screen=screen).rsplit("#", 1)[1]
    context = browser.new_context(viewport=viewport, **context_options)
    page = context.new_page()
    pair_in_browser(page, url, token)
    return context, page


def runner_cookie(username: str = "runner") -> str:
    """The session cookie of a new front-of-house user, signed in by the test client."""
    from django.conf import settings
    from django.test import Client

    from tests import factories

    session = Client()
    session.force_login(factories.staff_user(factories.FRONT_OF_HOUSE, username=username))
    return session.cookies[settings.SESSION_COOKIE_NAME].value
