"""Every page, loaded in headless Chromium under the site's Content-Security-Policy, runs
without a single violation: admin pages, the station and expo screens, pairing, reports,
front of house with its sign-in page, and the pick-up board. Every route outside the
admin is either visited or named here as not a page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from orders.models import Restaurant, Screen
from tests.browser.pairing import pair_in_browser
from tests.browser.server import KdsServer, database_env
from tests.factories import every_restaurant
from tests.security.conftest import Site, site_urls

pytestmark = pytest.mark.django_db(transaction=True)

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = ("index", "app_list", "_changelist", "_add", "_change", "_preview", "_import", "history")
# Routes outside the admin that a browser does not load as a page: APIs, POST targets,
# the speech audio (WAV) and the screens' speech health reports.
NOT_PAGES = {"webhook", "screen-action", "foh-action", "logout", "healthz", "set_language"}
NOT_PAGES |= {"screen-speech", "screen-health"}
# The screens' Service Worker: a script the pages register, not a page.
NOT_PAGES |= {"service-worker"}
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def server(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KdsServer]:
    from django.db import connection

    # Playwright's sync API keeps an event loop in this thread; the ORM here is sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    server = KdsServer(
        env=database_env(dict(connection.settings_dict)), log_path=tmp_path / "daphne.log"
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield instance
        instance.close()


class Watcher:
    def __init__(self, context: Any) -> None:
        self.console: list[str] = []
        context.add_init_script(WATCH)
        context.on("console", self._on_console)
        context.on("weberror", lambda e: self.console.append(f"error: {e.error}"))

    def _on_console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def visit(self, page: Any, url: str, found: dict[str, list[str]]) -> None:
        before = len(self.console)
        page.goto(url, wait_until="load")
        page.wait_for_timeout(150)  # module scripts and their first socket messages
        events = page.evaluate("window.__csp || []")
        new = self.console[before:] + list(events)
        if new:
            found[url] = new


def test_it_loads_every_page_without_csp_violations(
    site: Site, server: KdsServer, browser: Any
) -> None:
    User.objects.create_superuser("csp", password="a-long-admin-password-1")
    expo = Screen.objects.create(
        restaurant=site.kitchen.k.restaurant, station=site.kitchen.k.expo, name="Expo"
    )
    station = Screen.objects.create(
        restaurant=site.kitchen.k.restaurant, station=site.kitchen.a, name="Grill"
    )
    found: dict[str, list[str]] = {}
    visited = 0

    admin = browser.new_context()
    watch = Watcher(admin)
    page = admin.new_page()
    watch.visit(page, f"{server.url}/admin/login/", found)
    page.fill("#id_username", "csp")
    page.fill("#id_password", "a-long-admin-password-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{server.url}/admin/")
    for path, name in site_urls():
        if path.startswith("/admin/") and name.endswith(PAGES) and "process_" not in name:
            watch.visit(page, server.url + path, found)
            visited += 1
    watch.visit(page, f"{server.url}/reports/", found)
    watch.visit(page, f"{server.url}/chain/", found)
    watch.visit(page, f"{server.url}/", found)  # the start page, as a manager sees it
    admin.close()

    for screen in (station, expo):
        context = browser.new_context()
        watch = Watcher(context)
        page = context.new_page()
        watch.visit(page, f"{server.url}/pair/", found)  # without a code: stays put
        pair_in_browser(page, server.url, str(screen.pairing_token))
        # A selector, not wait_for_function: that one evaluates with eval(), which the
        # policy under test forbids.
        page.wait_for_selector("[data-link-state].is-online")
        watch.visit(page, f"{server.url}/screen/", found)
        context.close()
        visited += 2

    # Front of house: signs in on its own page, then the tablet.
    from django.contrib.auth.models import Group

    runner = User.objects.create_user("runner", password="a-long-runner-password-1")
    runner.groups.add(Group.objects.get_or_create(name="Front of house")[0])
    every_restaurant(runner)
    context = browser.new_context()
    watch = Watcher(context)
    page = context.new_page()
    watch.visit(page, f"{server.url}/accounts/login/", found)
    page.fill("#id_username", "runner")
    page.fill("#id_password", "a-long-runner-password-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/foh/")
    page.wait_for_selector("[data-link-state].is-online")
    watch.visit(page, f"{server.url}/foh/", found)
    context.close()
    pages = {"login", "foh"}

    # The pick-up board and an old pairing link, with no one signed in.
    routes = dict((name, path) for path, name in site_urls())
    context = browser.new_context()
    watch = Watcher(context)
    page = context.new_page()
    from orders.front_of_house.access import pickup_link

    # Its link: /pickup/#<code>, which the page reads and posts, then the board.
    watch.visit(page, pickup_link(Restaurant.objects.order_by("pk")[0], base=server.url), found)
    page.wait_for_selector("[data-link-state].is-online")
    watch.visit(page, server.url + routes["pickup-old-link"], found)
    watch.visit(page, server.url + routes["pair-old-link"], found)
    watch.visit(page, f"{server.url}/", found)  # the start page, to anyone
    context.close()
    pages |= {
        "pickup",
        "pickup-old-link",
        "pair-old-link",
        "pair",
        "screen",
        "reports",
        "chain",
        "start",
    }

    outside = {name for path, name in site_urls() if not path.startswith("/admin/")}
    assert outside - NOT_PAGES - pages == set(), "pages this crawl does not visit"
    assert visited > 30
    assert found == {}
