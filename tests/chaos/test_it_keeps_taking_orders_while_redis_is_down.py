"""Redis down: the webhook still answers 2xx and stores; screens lose their live socket
(the screen shows its offline banner, static/kds/station.js) and get no board while it
lasts; when Redis returns they reconnect and catch up with what the database says."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests import factories
from tests.chaos.cluster import Server, snapshot
from tests.chaos.conftest import Kitchen, pair
from tests.chaos.screens import board_differences


@pytest.fixture
def server(chaos_kitchen: Kitchen) -> Iterator[Server]:
    server = Server(chaos_kitchen.env(), chaos_kitchen.tmp / "daphne.log")
    server.start()
    yield server
    server.stop()


def body(n: int) -> bytes:
    item = {"id": "l-1", "sku": "K1", "name": "Mapo tofu", "quantity": 1}
    return factories.encode(factories.order_body(f"o-{n}", number=str(100 + n), items=[item]))


@pytest.mark.timeout(180)
def test_it_stores_orders_without_redis_and_screens_catch_up(
    chaos_kitchen: Kitchen, server: Server
) -> None:
    kitchen = chaos_kitchen.data
    screen = pair(server, chaos_kitchen)
    url = f"{server.url}/webhooks/{kitchen['source']}/"

    async def scenario() -> dict[str, Any]:
        stop = asyncio.Event()
        running = asyncio.create_task(screen.run(stop))
        # A webhook that waited on the dead Redis would outlast this generous timeout;
        # how long each answer took is printed, not asserted (no test times a machine).
        async with httpx.AsyncClient(trust_env=False, timeout=30) as http:
            while screen.seq < 0:
                await asyncio.sleep(0.05)
            raw = body(0)
            first = await http.post(url, content=raw, headers=headers(raw))
            assert first.status_code == 201
            while screen.seq < 1:
                await asyncio.sleep(0.05)

            chaos_kitchen.redis.kill()
            answers = []
            for n in range(1, 6):
                started = time.monotonic()
                raw = body(n)
                response = await http.post(url, content=raw, headers=headers(raw))
                answers.append((response.status_code, time.monotonic() - started))
            await asyncio.sleep(4)  # longer than the screen's 3 s before its banner shows
            down = {"seq": screen.seq, "tickets": len(screen.tickets), "connects": screen.connects}

            chaos_kitchen.redis.start()
            deadline = time.monotonic() + 30
            differences = ["not compared"]
            while time.monotonic() < deadline and differences:
                await asyncio.sleep(1)
                await screen.sync()
                await asyncio.sleep(0.5)
                boards = (await asyncio.to_thread(snapshot, chaos_kitchen.env()))["boards"]
                differences = board_differences([screen], boards)
        stop.set()
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        return {"answers": answers, "down": down, "differences": differences}

    def headers(raw: bytes) -> dict[str, str]:
        return factories.signed_headers(kitchen["secret"], raw)

    result = asyncio.run(scenario())
    stored = snapshot(chaos_kitchen.env())["orders"]
    print(f"redis down: answers {result['answers']}; screen while down {result['down']}")

    assert [status for status, _ in result["answers"]] == [201] * 5
    assert sorted(stored) == [f"o-{n}" for n in range(6)]
    # While Redis was down the screen got no board: it saw only the first order, and kept
    # being cut off (each attempt to join its station's group fails).
    assert result["down"]["seq"] == 1 and result["down"]["tickets"] == 1
    assert result["down"]["connects"] > 1
    assert result["differences"] == []
