"""The addresses a newcomer needs, as `make run` (kds_run) and `kds_demo` print them.

Every link is built on one base address: `KDS_BASE_URL` when it is set, else the
address the server runs on (`served_base_url`), so a link printed on the terminal
opens on the screen it is meant for.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from ..front_of_house.access import pickup_path
from ..models import OrderSource, Restaurant, Screen

# Listening on every interface: the links need an address another device can reach.
_ANY = {"", "0.0.0.0", "::", "[::]"}


def lan_address() -> str:
    """This machine's address on its network, as other devices see it; 127.0.0.1 without one.

    Connecting a UDP socket sends nothing: it only asks the kernel which interface it
    would route through.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def served_base_url(host: str, port: int) -> str:
    """`http://host:port` as a browser on another device would type it."""
    if host in _ANY:
        host = lan_address()
    try:
        if ipaddress.ip_address(host.strip("[]")).version == 6:
            host = f"[{host.strip('[]')}]"
    except ValueError:
        pass  # a host name
    return f"http://{host}:{port}"


def address_lines(*, base: str) -> list[str]:
    """Start page, admin, reports, front of house, each restaurant's pick-up board, webhooks."""
    lines = [
        f"  Start page      {base}/",
        f"  Admin           {base}/admin/",
        f"  Reports         {base}{reverse('orders:reports')}",
        f"  Front of house  {base}{reverse('orders:foh')}",
    ]
    restaurants = list(Restaurant.objects.order_by("pk"))
    for restaurant in restaurants:
        label = "Pick-up board" if len(restaurants) == 1 else f"Pick-up {restaurant.slug}"
        lines.append(f"  {label:<15} {base}{pickup_path(restaurant)}")
    for source in OrderSource.objects.filter(is_active=True).order_by("slug"):
        lines.append(f"  Webhook         {base}{source.webhook_path}   ({source.slug})")
    return lines


def screen_lines(*, base: str, screens: Iterable[Screen]) -> list[str]:
    """One line per screen: its station and its one-time pairing link, or why there is none."""
    now = timezone.now()
    lines = []
    for screen in screens:
        if screen.revoked_at is not None:
            link = "revoked: make a new link in the admin (Screens → New pairing link)"
        elif screen.paired_at is not None:
            link = "paired"
        elif not screen.pairing_token or (
            screen.pairing_expires_at is not None and screen.pairing_expires_at < now
        ):
            link = "link expired: make a new one in the admin (Screens → New pairing link)"
        else:
            link = screen.pairing_url_at(base)
        lines.append(f"    {screen.station.slug:<10} {screen.station.name:<16} {link}")
    return lines
