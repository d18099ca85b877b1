"""Shared fixtures.

Tests that need PostgreSQL, Redis or Chromium skip with a reason where these are
missing, and fail instead when KDS_REQUIRE_SERVICES=1 (as .ci/run sets it).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import os
import shutil
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import hypothesis
import pytest

from tests import factories
from tests.daphne import xdist_worker

Post = Callable[..., httpx.Response]

# No deadline for hypothesis' examples: a deadline is a timed assertion, and on a loaded
# CI machine a first example that waited for the CPU failed as "too slow" (279 ms > 200).
hypothesis.settings.register_profile("kds", deadline=None)
hypothesis.settings.load_profile("kds")

REQUIRE_SERVICES = os.environ.get("KDS_REQUIRE_SERVICES") == "1"
POSTGRES_ADDR = ("127.0.0.1", 5432)
REDIS_ADDR = ("127.0.0.1", 6379)
CHROMIUM = "/usr/bin/chromium"


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (KDS_REQUIRE_SERVICES=1 turns this skip into a failure)")
    pytest.skip(reason)


def _reachable(addr: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(addr, timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A file-based SQLite test database, so live servers and their request threads each
    get a connection of their own (an in-memory one would be shared between them).

    Each pytest-xdist worker has its own: pytest-django's suffix (test_kds_gw0, …) for a
    PostgreSQL name, a temporary folder of the worker's own for a SQLite file."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and not db.get("TEST", {}).get("NAME"):
        db.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing(django_test_environment: None) -> Iterator[None]:
    """Passwords hashed with 1,000 rounds (tests/hashers.py): a million per user made the
    tests that create users spend most of their time hashing."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["tests.hashers.FastPBKDF2PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup: None) -> Iterator[None]:
    """Closes psycopg pools before pytest-django drops the test database, which it cannot
    do while the pool's idle connections are still open ("being accessed by other users").
    Set up after the test database, so torn down before it."""
    yield
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        close_pool = getattr(connection, "close_pool", None)
        if close_pool is not None:
            close_pool()


@pytest.fixture(scope="session")
def postgres_available() -> bool:
    if not _reachable(POSTGRES_ADDR):
        skip_or_fail("PostgreSQL is not running on 127.0.0.1:5432")
    return True


@pytest.fixture(scope="session")
def redis_url() -> str:
    if not _reachable(REDIS_ADDR):
        skip_or_fail("Redis is not running on 127.0.0.1:6379")
    # KDS_TEST_REDIS_DB keeps test runs that share one Redis server apart, and each
    # pytest-xdist worker counts down from it (15, 14, …; the servers count up from 1).
    db = int(os.environ.get("KDS_TEST_REDIS_DB", "15")) - (xdist_worker() or 0)
    return f"redis://127.0.0.1:6379/{db}"


@pytest.fixture(scope="session", autouse=True)
def _channel_layer_of_this_worker(django_test_environment: None) -> Iterator[None]:
    """In the Redis pass, each pytest-xdist worker's own channel layer names (a prefix):
    workers' test databases number stations alike, so their groups would be shared."""
    from django.conf import settings
    from django.test import override_settings

    worker = xdist_worker()
    default: dict[str, Any] = dict(settings.CHANNEL_LAYERS["default"])
    if worker is None or "CONFIG" not in default:
        yield
        return
    default["CONFIG"] = {**default["CONFIG"], "prefix": f"asgi-gw{worker}"}
    layers = {"default": default}
    with override_settings(CHANNEL_LAYERS=layers):
        yield


# Every WebsocketCommunicator made during an async test, so it can be ended with it.
_opened_sockets: list[Any] = []


@pytest.fixture(scope="session", autouse=True)
def _record_communicators(django_test_environment: None) -> None:
    from channels.testing import WebsocketCommunicator

    init = WebsocketCommunicator.__init__

    def recording_init(self: WebsocketCommunicator, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        _opened_sockets.append(self)

    WebsocketCommunicator.__init__ = recording_init  # type: ignore[method-assign]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """An async test's sockets are disconnected as its body ends, before its fixtures
    (database, channel layer) are torn down.

    A consumer whose test never answered its close, or never closed it, is left receiving
    on the channel layer; on channels-redis that receive then held the test's event loop
    open as pytest-asyncio closed it: two minutes, then pytest-timeout's failure. A
    browser answers a close with a disconnect, and so does this, for each socket the test
    left running on its own loop."""
    test = getattr(item, "obj", None)
    if not inspect.iscoroutinefunction(test):
        return (yield)

    @functools.wraps(test)
    async def test_then_disconnect(*args: Any, **kwargs: Any) -> Any:
        _opened_sockets.clear()
        try:
            return await test(*args, **kwargs)
        finally:
            loop = asyncio.get_running_loop()
            for comm in _opened_sockets:
                future = comm._future
                if future is None or future.done() or future.get_loop() is not loop:
                    continue
                with contextlib.suppress(Exception):
                    await comm.disconnect(timeout=2)
            _opened_sockets.clear()

    item.obj = test_then_disconnect  # type: ignore[attr-defined]
    try:
        return (yield)
    finally:
        item.obj = test  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        skip_or_fail("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def on_postgres(settings: object) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass of .ci/run (DATABASE_URL=postgres://...)")


@pytest.fixture
def kitchen(db: None) -> factories.Kitchen:
    """A restaurant with a fallback prep station, an expo station and a signed order source."""
    return factories.make_kitchen()


@pytest.fixture
def dated_examples(settings: Any) -> None:
    """The contract's examples are dated (2026-11-21) and the webhook takes an order's
    times only within a year of now: tests that post them widen that window."""
    settings.KDS_WEBHOOK_PLACED_AT_WINDOW_DAYS = 100 * 365


@pytest.fixture
def in_memory_layer(settings: object) -> Iterator[None]:
    from channels.layers import channel_layers

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}  # type: ignore[attr-defined]
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@dataclass(frozen=True)
class SocketLayer:
    backend: str  # the class name: InMemoryChannelLayer, RedisChannelLayer, ...
    prefix: str = ""  # channels-redis' key prefix, on Redis


def layer_receive(channel: str, *, timeout: float = 10) -> dict[str, Any]:
    """The next message on a channel of the default layer, or a failure after `timeout`
    seconds: a bare receive() waits for ever, and the thread async_to_sync waits in keeps
    the test process from exiting even once pytest-timeout has failed the test."""
    import asyncio

    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    async def receive() -> dict[str, Any]:
        try:
            return await asyncio.wait_for(get_channel_layer().receive(channel), timeout)
        except TimeoutError:
            raise AssertionError(f"nothing on {channel} within {timeout} s") from None

    return async_to_sync(receive)()


@pytest.fixture
def socket_layer(settings: Any, request: pytest.FixtureRequest) -> Iterator[SocketLayer]:
    """The channel layer the socket tests (screens, expo, front of house, security) run on,
    its backend's name. In the Redis pass (REDIS_URL set, as in .ci/run's second pass) it
    is the product's own channels-redis configuration, pointed at the test Redis database
    (KDS_TEST_REDIS_DB) under a prefix of this test's own, so isolation, sequence numbers,
    revocation and the socket fuzz meet the layer production runs; otherwise in-memory.
    tests/screens/test_it_runs_on_the_layer_of_the_pass.py checks which one it was."""
    import copy
    import uuid

    import redis
    from channels.layers import channel_layers, get_channel_layer

    if not os.environ.get("REDIS_URL"):
        request.getfixturevalue("in_memory_layer")
        yield SocketLayer(type(get_channel_layer()).__name__)
        return
    url = request.getfixturevalue("redis_url")
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    config = layers["default"]["CONFIG"]
    config["hosts"] = [{**host, "address": url} for host in config["hosts"]]
    prefix = config["prefix"] = f"kds-test-{uuid.uuid4().hex[:12]}"
    settings.CHANNEL_LAYERS = layers
    channel_layers.backends.clear()
    layer = get_channel_layer()
    yield SocketLayer(type(layer).__name__, prefix)
    channel_layers.backends.clear()
    # Not the layer's flush(): its connections belong to the event loops of the test.
    server = redis.Redis.from_url(url)
    keys = server.keys(f"{prefix}*")
    if keys:
        server.delete(*keys)
    server.close()


@pytest.fixture
def webhook(live_server: Any, transactional_db: None) -> Iterator[Callable[[str], str]]:
    yield lambda slug: f"{live_server.url}/webhooks/{slug}/"


@pytest.fixture
def post(webhook: Callable[[str], str], kitchen: factories.Kitchen) -> Iterator[Post]:
    """Signs and posts a body to the kitchen's source over real HTTP."""
    with httpx.Client(timeout=30) as client:

        def send(
            body: dict[str, Any] | str | bytes,
            *,
            msg_id: str | None = None,
            secret: str | None = None,
            headers: dict[str, str] | None = None,
            slug: str | None = None,
            timestamp: int | None = None,
        ) -> httpx.Response:
            raw = factories.encode(body)
            signed = factories.signed_headers(
                secret or kitchen.secret, raw, msg_id=msg_id, timestamp=timestamp
            )
            signed.update(headers or {})
            signed = {k: v for k, v in signed.items() if v is not None}
            return client.post(webhook(slug or kitchen.source.slug), content=raw, headers=signed)

        yield send


@pytest.hookimpl(trylast=True)  # after pytest-django's own ordering, which it keeps
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last.

    Playwright's sync API keeps an event loop running in the main thread for as long as
    the session's browser is open; any synchronous ORM test after it would be refused as
    "called from an async context".
    """
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))
    if os.environ.get("KDS_SKIP_BROWSER") == "1":
        skip = pytest.mark.skip(reason="browser: runs once, in .ci/run's PostgreSQL pass")
        for item in items:
            if "browser" in getattr(item, "fixturenames", ()):
                item.add_marker(skip)
    if os.environ.get("KDS_SKIP_SELF_CONTAINED") == "1":
        skip = pytest.mark.skip(reason="self-contained: runs once, in .ci/run's PostgreSQL pass")
        for item in items:
            if any(part in SELF_CONTAINED for part in item.path.relative_to(config.rootpath).parts):
                item.add_marker(skip)


# Tests that start their own servers and databases whatever DATABASE_URL says, so a
# second CI pass would only repeat them.
SELF_CONTAINED = {"production", "chaos", "first_run", "test_settings.py", "test_translations.py"}


@pytest.fixture
def migrate_to(transactional_db: None) -> Iterator[Callable[[tuple[str, str] | None], Any]]:
    """Migrates the test database to a migration (None: the newest); afterwards, the newest.

    A test that leaves the schema at an old migration breaks every later test in the
    session that touches a column added since (the flush between tests keeps schemas).
    """
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(target: tuple[str, str] | None) -> MigrationExecutor:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([target] if target else executor.loader.graph.leaf_nodes())
        return MigrationExecutor(connection)

    yield migrate
    migrate(None)
