"""A real server's log never holds a screen's pairing token or its cookie, nor the pick-up
board's link code or its cookie: not when a screen pairs or a board opens its link, not
when a pairing form is forged, not when a socket is refused."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from orders.actions.screens import screen_revoke
from orders.models import Screen
from tests import factories
from tests.browser.server import KdsServer, database_env

pytestmark = pytest.mark.django_db(transaction=True)


def csrf_of(page: httpx.Response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


async def pickup_round(server: KdsServer, cookie: str) -> str:
    """Opens the pick-up board's socket with its link's cookie; returns the first type."""
    async with connect(
        f"ws://127.0.0.1:{server.port}/ws/pickup/?lang=zh-hans",
        origin=server.url,  # type: ignore[arg-type]
        additional_headers={"Cookie": f"kds_pickup={cookie}"},
        proxy=None,
    ) as socket:
        return str(json.loads(await asyncio.wait_for(socket.recv(), 10))["type"])


async def socket_round(server: KdsServer, cookie: str) -> list[dict[str, object]]:
    """Connects as the screen, asks for a sync, and returns what came back."""
    got: list[dict[str, object]] = []
    async with connect(
        f"ws://127.0.0.1:{server.port}/ws/screen/",
        origin=server.url,  # type: ignore[arg-type]
        additional_headers={"Cookie": f"kds_screen={cookie}"},
        proxy=None,
    ) as socket:
        got.append(json.loads(await socket.recv()))
        try:
            await socket.send(json.dumps({"action": "sync", "seq": 0, "t": 1}))
            got.append(json.loads(await asyncio.wait_for(socket.recv(), 5)))
        except Exception:
            pass  # a refused socket is closed by now
    return got


@dataclass
class Run:
    log: str
    secrets: dict[str, str]


@pytest.fixture
def run(kitchen: factories.Kitchen, tmp_path: Path) -> Run:
    """A real server through pairing, a forged pairing form, actions, a socket and a revoke."""
    from django.db import connection

    log = tmp_path / "daphne.log"
    env = {
        **database_env(dict(connection.settings_dict)),
        "KDS_LOG_LEVEL": "DEBUG",
        "KDS_LOG_FORMAT": "json",
    }
    server = KdsServer(env=env, log_path=log)
    screen = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.fallback)
    other = Screen.objects.create(restaurant=kitchen.restaurant, station=kitchen.fallback)
    token, other_token = str(screen.pairing_token), str(other.pairing_token)
    code = str(factories.pickup_code(kitchen.restaurant))
    server.start()
    try:
        with httpx.Client(base_url=server.url, trust_env=False, timeout=10) as http:
            # A forged pairing form (no CSRF token) with a live code: refused and logged.
            refused = http.post("/pair/", data={"token": other_token, "confirm": "1"})
            assert refused.status_code == 403
            # A link of the old form (code in the path), a guessed code, and the real
            # pairing as kds/pair.js does it: the code only ever in a POST body.
            assert http.get("/pair/not-a-real-token/").status_code == 410
            form = {"csrfmiddlewaretoken": csrf_of(http.get("/pair/")), "token": token}
            referer = {"Referer": f"{server.url}/pair/"}
            guessed = {**form, "token": "not-a-real-token"}
            assert http.post("/pair/", data=guessed, headers=referer).status_code == 404
            assert http.post("/pair/", data=form, headers=referer).status_code == 200
            paired = http.post("/pair/", data={**form, "confirm": "1"}, headers=referer)
            assert paired.status_code == 302
            cookie = str(paired.cookies["kds_screen"])
            spent = http.post("/pair/", data={**form, "confirm": "1"}, headers=referer)
            assert spent.status_code == 404
            http.cookies.set("kds_screen", cookie)
            assert http.get("/screen/").status_code == 200
            # An action without its CSRF token: refused and logged.
            assert http.post("/screen/action/", data={"action": "recall"}).status_code == 403
            assert asyncio.run(socket_round(server, cookie))[0]["type"] == "board"
            screen.refresh_from_db()
            screen_revoke(screen=screen)
            assert asyncio.run(socket_round(server, cookie))[0]["type"] == "unpaired"
            assert http.get("/screen/").status_code == 403
        # The pick-up board opened by its link (/pickup/#<code>) as kds/pickup-link.js
        # does it: the code in a POST body, then in the board's cookie only.
        with httpx.Client(base_url=server.url, trust_env=False, timeout=10) as board:
            form = {"csrfmiddlewaretoken": csrf_of(board.get("/pickup/")), "token": code}
            opened = board.post("/pickup/?lang=zh-hans", data=form, headers=referer)
            assert opened.status_code == 302
            assert board.get("/pickup/?lang=zh-hans").status_code == 200
            assert asyncio.run(pickup_round(server, code)) == "pickup"
            assert board.get("/pickup/not-a-real-code/").status_code == 410  # the old form
    finally:
        server.stop()
    return Run(
        log=log.read_text(errors="replace"),
        secrets={
            "pairing token": token,
            "unused pairing token": other_token,
            "screen cookie": cookie,
            "screen cookie signature": cookie.rsplit(":", 1)[-1],
            "pick-up link code": code,
        },
    )


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    return [name for name, secret in secrets.items() if secret in text]


def test_it_never_logs_pairing_tokens_or_screen_cookies(run: Run) -> None:
    records = [line for line in run.log.splitlines() if line.startswith("{")]
    text = "\n".join(records)
    assert "django.security.csrf" in text and "kds.screen" in text, "nothing was logged"

    assert leaks(text, run.secrets) == [], text[-3000:]


def test_it_never_prints_pairing_tokens_in_the_access_log(run: Run) -> None:
    # A pairing link carries its code in the #fragment, which no request ever sends.
    access = "\n".join(line for line in run.log.splitlines() if not line.startswith("{"))
    assert '"GET /screen/"' in access, "no access log: nothing was tested"

    assert leaks(access, run.secrets) == []
