"""Browser tests: a real Daphne process, headless Chromium, and the test's own database.

The server runs against the test database (a SQLite file, or the PostgreSQL test
database), so data a test creates is what the server shows. Broadcasts only reach
screens when they start in the server process, so orders go in through the webhook
over HTTP, signed like a POS would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from orders.models import MenuItem, RoutingRule, Screen, Station
from tests import factories
from tests.browser.expo_support import (
    ExpoPage,
    open_expo_in,
    open_pickup,
    open_station_in,
    sign_in_foh,
    watched_page,
)
from tests.browser.offline_support import Network
from tests.browser.pairing import pair_in_browser
from tests.browser.server import KdsServer, database_env

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--autoplay-policy=no-user-gesture-required",
]


# Package scope: the server and the browser go away when the browser tests are done.
# A session-long Playwright would keep its event loop in the main thread for the rest of
# the run, and every later test's ORM call would then refuse to run ("async context").
@pytest.fixture(scope="package")
def kds_server(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KdsServer]:
    from django.db import connection

    with django_db_blocker.unblock():
        env = database_env(dict(connection.settings_dict))
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    server = KdsServer(env=env, log_path=log)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(kds_server: KdsServer) -> Iterator[KdsServer]:
    """The running server; started again if a test killed it."""
    if kds_server.process is None:
        kds_server.start()
    yield kds_server
    if kds_server.process is None:
        kds_server.start()


@pytest.fixture
def admin_server(server: KdsServer) -> Iterator[KdsServer]:
    """The server, for a test that saves in the admin: started afresh before and after.
    The admin's history rows name content types by the ids the process cached, and each
    test's database numbers them anew, so a second test's save in the same process
    failed its foreign key (500)."""
    server.kill()
    server.start()
    yield server
    server.kill()  # `server` starts it again


@pytest.fixture(scope="package")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here are
    # plain synchronous test code all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Kitchen2:
    k: factories.Kitchen
    a: Station
    b: Station


@pytest.fixture
def kitchen2(transactional_db: None) -> Kitchen2:
    """Station A (the fallback) gets everything but fries; station B, the fryer, gets fries."""
    k = factories.make_kitchen()
    b = Station.objects.create(restaurant=k.restaurant, name="Fryer", slug="fryer", position=2)
    fries = MenuItem.objects.create(restaurant=k.restaurant, sku="FRIES", name="Fries")
    rule = RoutingRule.objects.create(restaurant=k.restaurant, menu_item=fries, position=1)
    rule.stations.add(b)
    return Kitchen2(k=k, a=k.fallback, b=b)


Post = Callable[[dict[str, Any]], httpx.Response]


@pytest.fixture
def post(server: KdsServer, kitchen2: Kitchen2) -> Iterator[Post]:
    """Signs and posts an order message to the server's webhook."""
    with httpx.Client(timeout=10) as client:

        def send(body: dict[str, Any]) -> httpx.Response:
            raw = factories.encode(body)
            response = client.post(
                f"{server.url}/webhooks/{kitchen2.k.source.slug}/",
                content=raw,
                headers=factories.signed_headers(kitchen2.k.secret, raw),
            )
            assert response.status_code in (200, 201), response.text
            return response

        yield send


@dataclass
class Pass:
    """The expo tests' set-up: the kitchen, the server, the browser, the test's request and
    the order poster, and the screens they open on them, each live and watched
    (expo_support.py), closed and checked when the test ends."""

    kitchen2: Kitchen2
    server: KdsServer
    browser: Any
    request: pytest.FixtureRequest
    post: Post

    def expo(self, **options: Any) -> ExpoPage:
        """A speaking screen of the expo station (expo_support.open_expo_in's options)."""
        return open_expo_in(
            self.browser, self.server.url, self.kitchen2.k.expo, request=self.request, **options
        )

    def wok(self) -> Any:
        """A screen of station A, the wok."""
        return open_station_in(self.browser, self.server.url, self.kitchen2.a, request=self.request)

    def pickup(self, query: str = "") -> Any:
        """The restaurant's pick-up board, with the speech spy."""
        return open_pickup(
            self.browser,
            self.server.url,
            self.kitchen2.k.restaurant,
            request=self.request,
            query=query,
        )

    def foh(self) -> Any:
        """A front-of-house tablet, signed in."""
        return sign_in_foh(self.browser, self.server.url, request=self.request)


@pytest.fixture
def at_pass(
    kitchen2: Kitchen2,
    server: KdsServer,
    browser: Any,
    request: pytest.FixtureRequest,
    post: Post,
) -> Pass:
    return Pass(kitchen2, server, browser, request, post)


@pytest.fixture
def network(server: KdsServer) -> Iterator[Network]:
    """The screens' way to the server, which the test can cut (tests/browser/offline_support.py)."""
    net = Network(server)
    net.proxy.start()
    yield net
    net.proxy.stop()


@dataclass
class ScreenPage:
    page: Any
    screen: Screen


# A selector, not a JS predicate: the page's Content-Security-Policy forbids eval.
ONLINE = "[data-link-state].is-online"
OpenScreen = Callable[..., ScreenPage]


@pytest.fixture
def open_screen(browser: Any, server: KdsServer) -> Iterator[OpenScreen]:
    """Pairs a new screen of a station in a fresh browser and returns its page on the board.
    Its page is watched (expo_support.watched_page): anything the site's CSP blocks on it
    fails the test."""
    closers: list[Callable[[], None]] = []

    def open_(
        station: Station,
        name: str = "Screen",
        *,
        viewport: tuple[int, int] = (1280, 800),
        clock_wrong_by: timedelta | None = None,
        before_pairing: Callable[[Any], None] | None = None,
    ) -> ScreenPage:
        screen = Screen.objects.create(restaurant=station.restaurant, station=station, name=name)
        page, close = watched_page(browser, viewport=viewport)
        closers.append(close)
        if clock_wrong_by is not None:
            page.context.clock.install(time=datetime.now(UTC) + clock_wrong_by)
        if before_pairing is not None:
            before_pairing(page)  # e.g. a route for its socket, set before it opens
        pair_in_browser(page, server.url, str(screen.pairing_token))
        page.wait_for_selector(ONLINE)
        return ScreenPage(page, screen)

    yield open_
    failures: list[AssertionError] = []
    for close in closers:
        try:
            close()
        except AssertionError as failure:
            failures.append(failure)
    if failures:
        raise failures[0]


def board_keys(page: Any) -> list[str]:
    return list(page.eval_on_selector_all("#board .ticket", "els => els.map(e => e.dataset.key)"))


def off_the_loop(fn: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Runs a service function in a thread of its own: its after-commit broadcast uses
    async_to_sync, which cannot run in the thread where Playwright keeps its event loop."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def call() -> Any:
        try:
            return fn(**kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result(timeout=30)
