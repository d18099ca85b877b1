"""Which pages may open a WebSocket: those of this site, scheme, host and port alike.

Channels' AllowedHostsOriginValidator compares the Origin's host name with
ALLOWED_HOSTS and nothing else, so a page on http://kds.example.com:8080, or a plain
http page beside a site served over https, could open the screens' sockets with the
browser's cookies. Here the Origin must be the site the socket connected to: the Host
header (one of ALLOWED_HOSTS) with its port, and https when the site is served over
TLS (KDS_HTTPS, or a wss:// socket), or exactly one of CSRF_TRUSTED_ORIGINS, as
Django's CSRF check treats a form's Origin.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalized_origin(value: str) -> str | None:
    """scheme://host[:port], lower-cased and without its scheme's default port; None when
    it is not an http(s) origin (a "null" origin, a path, a user name)."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host or parts.username or parts.password:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def socket_origin_allowed(scope: dict[str, Any]) -> bool:
    headers = {name: value for name, value in scope.get("headers", [])}
    try:
        origin = headers.get(b"origin", b"").decode("latin-1")
        host = headers.get(b"host", b"").decode("latin-1")
    except UnicodeDecodeError:
        return False
    domain, _port = split_domain_port(host)
    if not origin or not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    given = normalized_origin(origin)
    if given is None:
        return False
    secure = settings.KDS_HTTPS or scope.get("scheme") == "wss"
    site = normalized_origin(f"{'https' if secure else 'http'}://{host}")
    trusted = {normalized_origin(o) for o in settings.CSRF_TRUSTED_ORIGINS}
    return given == site or given in trusted


class SameOriginValidator:
    """ASGI middleware: a WebSocket from any other origin is refused before it opens."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not socket_origin_allowed(scope):
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
