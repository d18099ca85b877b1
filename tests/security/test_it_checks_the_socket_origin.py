"""A WebSocket opens only from a page of this site: the Origin's scheme, host and port must
be those the socket connected to (https when the site is served over TLS), or one of
CSRF_TRUSTED_ORIGINS. Comparing the host name alone let http://kds:8080 or a plain
http page beside an https site use the screens' cookies."""

from __future__ import annotations

from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kds.asgi import application
from orders.live.origin import normalized_origin
from tests.screens.conftest import Kitchen2, pair, sync

pytestmark = pytest.mark.django_db(transaction=True)


async def opens(cookie: str, origin: str | None, host: str = "testserver", **scope: Any) -> bool:
    headers = [(b"host", host.encode()), (b"cookie", f"kds_screen={cookie}".encode())]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    comm = WebsocketCommunicator(application, "/ws/screen/", headers=headers)
    comm.scope.update(scope)
    connected, _ = await comm.connect()
    # Refused or not, the client's disconnect ends the consumer with the test: one left
    # receiving on channels-redis hangs the test's event loop as it closes.
    await comm.disconnect()
    return connected


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://testserver", "testserver", True),
        ("http://TestServer", "testserver", True),
        ("http://testserver:80", "testserver", True),
        ("http://testserver:8000", "testserver:8000", True),
        ("https://testserver", "testserver", False),
        ("http://testserver:8000", "testserver", False),
        ("http://testserver", "testserver:8000", False),
        ("http://testserver:8080", "testserver:8000", False),
        ("http://evil.example", "testserver", False),
        ("http://testserver.evil.example", "testserver", False),
        ("http://evil.example", "evil.example", False),  # not one of ALLOWED_HOSTS
        ("null", "testserver", False),
        ("http://user@testserver", "testserver", False),
        ("ws://testserver", "testserver", False),
        (None, "testserver", False),
    ],
)
async def test_it_opens_only_for_a_page_of_the_same_origin(
    kitchen2: Kitchen2, origin: str | None, host: str, allowed: bool
) -> None:
    _, cookie = await sync(pair)(kitchen2.a)
    assert await opens(cookie, origin, host) is allowed


async def test_behind_tls_it_wants_an_https_origin(kitchen2: Kitchen2, settings: Any) -> None:
    settings.KDS_HTTPS = True
    _, cookie = await sync(pair)(kitchen2.a)
    assert await opens(cookie, "https://testserver") is True
    assert await opens(cookie, "http://testserver") is False


async def test_a_wss_socket_wants_an_https_origin(kitchen2: Kitchen2) -> None:
    _, cookie = await sync(pair)(kitchen2.a)
    assert await opens(cookie, "https://testserver", scheme="wss") is True
    assert await opens(cookie, "http://testserver", scheme="wss") is False


async def test_it_takes_a_trusted_origin(kitchen2: Kitchen2, settings: Any) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://kds.example.com"]
    _, cookie = await sync(pair)(kitchen2.a)
    assert await opens(cookie, "https://kds.example.com") is True
    assert await opens(cookie, "http://kds.example.com") is False


origins = st.builds(
    lambda scheme, host, port: f"{scheme}{host}{port}",
    st.sampled_from(["http://", "https://", "ws://", "", "HTTP://"]),
    st.sampled_from(["testserver", "TESTSERVER", "evil.example", "testserver.", "[::1]"]),
    st.sampled_from(["", ":80", ":443", ":8000", ":0", ":99999", "/path", "?q"]),
)


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(origin=origins, host=st.sampled_from(["testserver", "testserver:8000", "testserver:80"]))
def test_it_opens_exactly_when_scheme_host_and_port_match(
    kitchen2: Kitchen2, origin: str, host: str
) -> None:
    from asgiref.sync import async_to_sync

    _, cookie = pair(kitchen2.a)
    site = normalized_origin(f"http://{host}")
    assert async_to_sync(opens)(cookie, origin, host) is (normalized_origin(origin) == site)
