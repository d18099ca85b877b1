"""Screens behind a network the test can cut: a TCP proxy in front of the server, through
which the browser loads the page, opens its socket and posts its taps.

cut() drops every connection and refuses new ones (a pulled cable, a dead access point);
restore() lets them through again. The server itself never notices.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from orders.models import OrderEvent, Screen, Station
from tests.browser.expo_support import ONLINE, new_page, wait_until
from tests.browser.pairing import pair_in_browser
from tests.browser.server import KdsServer
from tests.chaos.cluster import TcpProxy


class Network:
    """The screens' way to the server."""

    def __init__(self, server: KdsServer) -> None:
        self.proxy = TcpProxy(server.port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy.port}"

    def cut(self) -> None:
        self.proxy.cut()

    def restore(self) -> None:
        self.proxy.restore()


def open_through(
    network: Network, browser: Any, request: Any, station: Station, name: str = "Screen"
) -> tuple[Any, Screen]:
    """A screen of `station` paired through the network, live, its page kept offline."""
    screen = Screen.objects.create(restaurant=station.restaurant, station=station, name=name)
    page = new_page(browser, request=request)
    pair_in_browser(page, network.url, str(screen.pairing_token))
    page.wait_for_selector(ONLINE)
    kept_offline(page)
    return page, screen


def kept_offline(page: Any) -> None:
    """Waits until the Service Worker holds this page, so it loads without the server."""
    wait_until(
        page,
        "navigator.serviceWorker.ready.then(() => caches.match(location.pathname + location.search))"
        ".then((hit) => Boolean(hit && navigator.serviceWorker.controller))",
        timeout=15,
    )


def all_sent(page: Any, *, timeout: float = 15000) -> None:
    """Waits until the page is online with nothing waiting to send (its link state shows
    no count). A tap whose ticket or order left the page has no mark to wait for: the
    marks can be gone while it is still on its way."""
    page.locator("[data-link-state].is-online").filter(has_not_text="·").wait_for(timeout=timeout)


def waiting(page: Any) -> str:
    """What the offline banner says is waiting to be sent."""
    return str(page.locator("[data-offline-waiting]").inner_text())


# The server dates a replayed tap by its age on the device: the time the copy took to
# reach it and to be run comes on top, a fraction of a second.
SLACK = timedelta(seconds=1)


def made_between(events: list[OrderEvent], start: datetime, end: datetime) -> None:
    """Each event is dated when its tap was made (in the window), not when it arrived."""
    for event in events:
        assert start - SLACK <= event.at <= end + SLACK, (event.kind, event.at, start, end)


def pause_offline(page: Any) -> None:
    """Some time offline between the taps and the return of the network, so the taps'
    own times and the time they arrive are told apart."""
    page.wait_for_timeout(2500)
