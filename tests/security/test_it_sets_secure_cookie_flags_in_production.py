"""Under production settings (KDS_HTTPS=1 behind a TLS proxy, DEBUG off), a real server
marks every cookie it sets Secure, and the session and screen cookies HttpOnly too."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import pytest
from django.contrib.auth.models import User

from orders.models import Screen
from tests import factories
from tests.browser.server import KdsServer, database_env

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-admin-password-1"


@pytest.fixture
def production(kitchen: factories.Kitchen, tmp_path: Path) -> Iterator[KdsServer]:
    from django.db import connection

    env = {
        **database_env(dict(connection.settings_dict)),
        "DEBUG": "0",
        "KDS_HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(40),
    }
    server = KdsServer(env=env, log_path=tmp_path / "daphne.log")
    server.start()
    yield server
    server.stop()


JAR: dict[str, str] = {}


def cookies_set(response: httpx.Response) -> dict[str, dict[str, str | bool]]:
    """The flags of each cookie the response sets; the values go to JAR, since an http://
    client keeps Secure cookies to itself (the TLS proxy is played by a header here)."""
    out: dict[str, dict[str, str | bool]] = {}
    for header in response.headers.get_list("set-cookie"):
        jar: SimpleCookie = SimpleCookie()
        jar.load(header)
        for name, morsel in jar.items():
            JAR[name] = morsel.value
            lowered = header.lower()
            out[name] = {
                "secure": "; secure" in lowered,
                "httponly": "; httponly" in lowered,
                "samesite": str(morsel["samesite"]).lower(),
            }
    return out


def sent() -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in JAR.items())}


def csrf_of(page: httpx.Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def test_it_sets_secure_cookies_behind_https(
    production: KdsServer, kitchen: factories.Kitchen
) -> None:
    JAR.clear()
    User.objects.create_superuser("boss", password=PASSWORD)
    screen = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.fallback)
    origin = f"https://127.0.0.1:{production.port}"
    seen: dict[str, dict[str, str | bool]] = {}
    with httpx.Client(
        base_url=production.url,
        trust_env=False,
        timeout=10,
        headers={"X-Forwarded-Proto": "https"},  # as deploy/nginx.conf sets it
    ) as http:
        # Plain http is sent to https.
        plain = http.get("/admin/login/", headers={"X-Forwarded-Proto": "http"})
        assert plain.status_code == 301 and plain.headers["location"].startswith("https://")

        page = http.get("/pair/")
        seen |= cookies_set(page)
        paired = http.post(
            "/pair/",
            data={
                "csrfmiddlewaretoken": csrf_of(page),
                "token": str(screen.pairing_token),
                "confirm": "1",
            },
            headers={"Referer": f"{origin}/pair/", **sent()},
        )
        assert paired.status_code == 302, paired.text
        seen |= cookies_set(paired)

        login = http.get("/admin/login/")
        seen |= cookies_set(login)
        logged_in = http.post(
            "/admin/login/",
            data={
                "username": "boss",
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf_of(login),
                "next": "/admin/",
            },
            headers={"Referer": f"{origin}/admin/login/", **sent()},
        )
        assert logged_in.status_code == 302, logged_in.text
        seen |= cookies_set(logged_in)
        assert "max-age" in logged_in.headers.get("strict-transport-security", "")

    assert {"kds_screen", "sessionid", "csrftoken"} <= set(seen)
    assert seen["kds_screen"] == {"secure": True, "httponly": True, "samesite": "lax"}
    assert seen["sessionid"]["secure"] and seen["sessionid"]["httponly"]
    assert seen["csrftoken"]["secure"]
    assert [name for name, flags in seen.items() if not flags["secure"]] == []
