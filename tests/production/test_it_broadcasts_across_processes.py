"""Two real server processes on one PostgreSQL database and one Redis: an order posted to
process A reaches a screen connected to process B."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from tests import factories
from tests.production.servers import (
    Daphne,
    make_kitchen,
    manage,
    pair_screen,
    server_env,
)


@pytest.fixture(params=["queue", "pubsub"])
def two_servers(
    request: pytest.FixtureRequest, database_url: str, redis_url: str, tmp_path: Path
) -> Iterator[tuple[Daphne, Daphne, dict[str, str]]]:
    """Two processes on one database and Redis, with each kind of channel layer."""
    redis = redis_url  # this worker's own database (tests/conftest.py)
    env = server_env(
        database_url, redis, SECRET_KEY=secrets.token_urlsafe(40), KDS_CHANNEL_LAYER=request.param
    )
    a, b = Daphne(env, tmp_path / "a.log"), Daphne(env, tmp_path / "b.log")
    try:
        a.start()
        b.start()
        yield a, b, env
    finally:
        a.stop()
        b.stop()


async def first_ticket_with(socket: Any, number: str, timeout: float) -> dict[str, Any]:
    """The first board or patch message whose tickets mention the order number."""

    async def wait() -> dict[str, Any]:
        while True:
            message = json.loads(await socket.recv())
            tickets = message.get("tickets") or message.get("upsert") or []
            if any(number in html for _key, html in tickets):
                return dict(message)

    return await asyncio.wait_for(wait(), timeout)


def test_it_sends_an_order_posted_to_one_process_to_a_screen_on_the_other(
    two_servers: tuple[Daphne, Daphne, dict[str, str]],
) -> None:
    a, b, env = two_servers
    kitchen = make_kitchen(env)
    added = manage(env, "kds_screen", "add", "--station", kitchen["station"], "--json")
    path = json.loads(added)["url"].split("://", 1)[1].split("/", 1)[1]
    with httpx.Client(trust_env=False, timeout=10) as http:
        cookie = pair_screen(http, f"{a.url}/{path}")

        async def scenario() -> dict[str, Any]:
            async with connect(
                f"ws://127.0.0.1:{b.port}/ws/screen/",
                origin=b.url,  # type: ignore[arg-type]
                additional_headers={"Cookie": f"kds_screen={cookie}"},
                proxy=None,
            ) as socket:
                board = json.loads(await socket.recv())
                assert board["type"] == "board"
                assert board["tickets"] == []

                raw = factories.encode(factories.order_body("o-77", number="A-77"))
                answer = await asyncio.to_thread(
                    http.post,
                    f"{a.url}/webhooks/{kitchen['source']}/",
                    content=raw,
                    headers=factories.signed_headers(kitchen["secret"], raw),
                )
                assert answer.status_code == 201, answer.text
                return await first_ticket_with(socket, "A-77", timeout=10)

        message = asyncio.run(scenario())

    assert message["type"] == "patch"
    assert message["seq"] == 1
    assert message["base"] == 0
