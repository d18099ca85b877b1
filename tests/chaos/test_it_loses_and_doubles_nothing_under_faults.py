"""The chaos run: two servers on PostgreSQL and a private Redis, screens on real sockets,
and a sender that retries and duplicates, while Redis restarts, a server is killed with
SIGKILL and screens lose their connection. The screens' cooks tap all along: bumps as
their boards grow, and bumps and recalls while their screen is cut off, while Redis is
down (their sockets close: the taps go over HTTP) and right after their server was
killed; each tap is kept until answered and some are sent twice. Afterwards every
acknowledged order is in the database once, as its newest applied update says, every
tap made is recorded once with its effect, dated when it was made and answered as
recorded, and every screen shows what the database says its station should.

KDS_CHAOS_ORDERS sets the number of orders; the default, 150, keeps the run inside a
minute in CI (the whole suite has 20 minutes on 2 cores): measured on the 2-core machine
shared with other work, 150 orders sent in 17 to 43 s with 90 to 290 taps (a quarter of
them cut off, during a restart or a kill), the run 25 to 57 s. The issue's
2,000 (KDS_CHAOS_ORDERS=2000), measured on it with nothing else running: about 4,500
messages, 900 of them delivered twice, sent in 161 s, the whole run 176 s.
A busy station's board passes 1 MiB at moments, so it goes out in parts
(test_it_sends_a_board_of_any_size_to_a_screen.py).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.chaos.audit import audit, audit_taps
from tests.chaos.cluster import (
    PrivateRedis,
    Server,
    cluster_env,
    setup_kitchen,
    snapshot,
    stations_for,
)
from tests.chaos.conftest import paired_screen, require_postgres_pass, require_services
from tests.chaos.ledger import Taps
from tests.chaos.screens import Screen, board_differences
from tests.chaos.sender import LedgerSender
from tests.production.servers import fresh_database, manage

ORDERS = int(os.environ.get("KDS_CHAOS_ORDERS", "150"))
SCREENS_PER_STATION = 2


@dataclass
class Cluster:
    env: dict[str, str]
    redis: PrivateRedis
    servers: list[Server]
    kitchen: dict[str, Any]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    require_postgres_pass()
    require_services()
    redis = PrivateRedis(tmp_path / "redis.log")
    redis.start()
    try:
        with fresh_database("kds_chaos") as database_url:
            env = cluster_env(database_url, redis.url)
            manage(env, "migrate", "--noinput")
            kitchen = setup_kitchen(env, SCREENS_PER_STATION)
            servers = [Server(env, tmp_path / f"daphne-{n}.log") for n in range(2)]
            try:
                for server in servers:
                    server.start()
                yield Cluster(env, redis, servers, kitchen)
            finally:
                for server in servers:
                    server.stop()
    finally:
        redis.kill()


def say(text: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {text}", flush=True)


async def faults(cluster: Cluster, sender: LedgerSender, screens: list[Screen]) -> list[str]:
    """Redis restarted twice, each server killed once, screens cut at random, while the
    sender works through its orders; the cooks tap through each of them."""
    rng = random.Random(7)
    plan = [
        (0.2, "restart redis"),
        (0.4, "kill server 1"),
        (0.6, "restart redis"),
        (0.8, "kill server 0"),
    ]
    done: list[str] = []
    while sender.done < sender.orders or plan:
        progress = sender.done / sender.orders
        # A short run can finish sending before the plan does: the rest follow it.
        if plan and (progress >= plan[0][0] or sender.done == sender.orders):
            _, fault = plan.pop(0)
            say(f"fault: {fault} at {progress:.0%}")
            # A screen cut off through each fault, its cook tapping on.
            cut_off = rng.choice(screens)
            cut_off.cut(rng.uniform(2, 4))
            cut_off.bump_some(2, recall=True)
            if fault == "restart redis":
                await asyncio.to_thread(cluster.redis.kill)
                await asyncio.sleep(0.5)
                for screen in screens[::SCREENS_PER_STATION]:
                    screen.bump_some(1, recall=True, during="redis down")
                await asyncio.sleep(1.5)
                await asyncio.to_thread(cluster.redis.start)
            else:
                server = cluster.servers[int(fault[-1])]
                await on_server(rng.choice(screens), server)
                on_it = [s for s in screens if s.port == server.port]
                await asyncio.to_thread(server.kill)
                for screen in on_it:
                    screen.bump_some(1, during="server killed")
                await asyncio.sleep(1)
                await asyncio.to_thread(server.start_quietly)
            done.append(fault)
        if rng.random() < 0.4:
            screen = rng.choice(screens)
            screen.cut(rng.uniform(1, 3))
            screen.bump_some(2, recall=rng.random() < 0.5)
        await asyncio.sleep(0.5)
    return done


async def on_server(screen: Screen, server: Server, timeout: float = 15) -> None:
    """Moves `screen` to `server`, so that killing it always cuts a screen off."""
    deadline = time.monotonic() + timeout
    screen.prefer_port = server.port
    try:
        if screen.port != server.port:
            screen.cut()
        while screen.port != server.port and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    finally:
        screen.prefer_port = 0


async def progress(sender: LedgerSender, screens: list[Screen], stop: asyncio.Event) -> None:
    while not stop.is_set():
        await asyncio.sleep(10)
        answers = ", ".join(f"{n}×{k}" for k, n in sorted(sender.tally.answers.items()))
        connected = sum(s.connected for s in screens)
        say(
            f"{sender.done}/{sender.orders} orders; answers {answers}; "
            f"screens connected {connected}/{len(screens)}"
        )


async def settle(cluster: Cluster, screens: list[Screen], timeout: float = 90) -> list[str]:
    """Lets every screen catch up as a real one does (sync → patch or resync); then the
    screens whose board still differs from the database's."""
    for screen in screens:
        screen.cook = False
    deadline = time.monotonic() + timeout
    differences: list[str] = ["not compared yet"]
    while time.monotonic() < deadline:
        if all(s.settled for s in screens):
            for screen in screens:
                await screen.sync()
            await asyncio.sleep(2)
            boards = (await asyncio.to_thread(snapshot, cluster.env))["boards"]
            differences = board_differences(screens, boards)
            if not differences:
                return []
        else:
            await asyncio.sleep(0.5)
    return differences


def pair_all(cluster: Cluster, taps: Taps) -> list[Screen]:
    ports = [s.port for s in cluster.servers]
    screens = []
    with httpx.Client(trust_env=False, timeout=10) as http:
        for n, spec in enumerate(cluster.kitchen["screens"]):
            url = cluster.servers[n % 2].url
            screens.append(paired_screen(http, url, spec, ports, taps))
    for screen in screens[::SCREENS_PER_STATION]:
        screen.cook = True  # one screen per station bumps, as a cook would
    return screens


@pytest.mark.timeout(900)
def test_it_loses_doubles_and_diverges_nothing_under_faults(cluster: Cluster) -> None:
    started = time.monotonic()
    taps = Taps()
    screens = pair_all(cluster, taps)
    sender = LedgerSender(
        urls=[s.url for s in cluster.servers],
        source=cluster.kitchen["source"],
        secret=cluster.kitchen["secret"],
        dishes=cluster.kitchen["dishes"],
        orders=ORDERS,
    )

    async def scenario() -> tuple[list[str], list[str], float]:
        stop = asyncio.Event()
        running = [asyncio.create_task(s.run(stop)) for s in screens]
        while not all(s.connected for s in screens):
            await asyncio.sleep(0.1)
        say(f"{len(screens)} screens connected; sending {ORDERS} orders")
        reporter = asyncio.create_task(progress(sender, screens, stop))
        sending_started = time.monotonic()
        injected, _ = await asyncio.gather(faults(cluster, sender, screens), sender.run())
        sending = time.monotonic() - sending_started
        say(f"sent in {sending:.1f} s; faults: {', '.join(injected)}")
        differences = await settle(cluster, screens)
        stop.set()
        for task in [*running, reporter]:
            task.cancel()
        await asyncio.gather(*running, reporter, return_exceptions=True)
        return injected, differences, sending

    injected, screen_differences, sending = asyncio.run(scenario())
    database = snapshot(cluster.env)
    result = audit(sender.ledger, database, stations=stations_for)
    tapped = audit_taps(taps, database)

    say(sender.tally.summary())
    say(taps.summary())
    for screen in screens:
        if screen.unanswered or screen.queue:
            unanswered = ", ".join(f"{n}×{k}" for k, n in sorted(screen.unanswered.items()))
            say(f"{screen.name}: {len(screen.queue)} taps waiting; copies unanswered: {unanswered}")
        task = screen.delivering
        if task is not None and task.done() and not task.cancelled() and task.exception():
            say(f"{screen.name}: delivering stopped: {task.exception()!r}")
    for finding in (tapped.lost + tapped.doubled + tapped.diverged)[:10]:
        say(finding)
    say(
        f"screens: {sum(s.connects for s in screens)} connects, {sum(s.cuts for s in screens)} "
        f"cuts, {sum(s.resyncs for s in screens)} resyncs, at most "
        f"{max(s.most_tickets for s in screens)} tickets on a board"
    )
    say(
        f"RESULT {result.line()}; taps made: {tapped.orders}, lost: {len(tapped.lost)}, "
        f"doubled: {len(tapped.doubled)}, diverged: {len(tapped.diverged)}; "
        f"screens diverged: {len(screen_differences)}/{len(screens)}; "
        f"{ORDERS} orders sent in {sending:.0f} s, whole run {time.monotonic() - started:.0f} s"
    )
    assert len(injected) == 4
    assert sender.tally.gave_up == 0
    assert result.orders == ORDERS
    assert result.lost == [], result.lost[:10]
    assert result.doubled == [], result.doubled[:10]
    assert result.diverged == [], result.diverged[:10]
    assert screen_differences == [], screen_differences
    during = {t.during for t in taps.taps}
    assert {"cut off", "redis down", "server killed"} <= during, during
    assert tapped.lost == [], tapped.lost[:10]
    assert tapped.doubled == [], tapped.doubled[:10]
    assert tapped.diverged == [], tapped.diverged[:10]
