"""The chaos audit can fail: against a server with a fault put into intake
(tests/chaos/faults.py), a short run of the chaos sender ends with the audit naming it.

Each fault is one a server could have and still answer every message 2xx, and that the
audit as it first stood passed (it trusted the answers and grouped rows by their unique
constraints): updates dropped as stale, a cancel nobody sent, a line stored without its
placement, an event written twice. Without a fault the same run audits clean.

The taps' audit likewise: two screens of a station tap, one of them cut off for two
seconds (three bumps and a recall), the other online (two bumps of the same tickets),
every tap sent again after its answer. Against a server that does not record the taps'
ids, or dates them when they arrive, the audit names it; without a fault it is clean.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.chaos.audit import Audit, audit, audit_taps
from tests.chaos.cluster import Server, cluster_env, setup_kitchen, snapshot, stations_for
from tests.chaos.conftest import paired_screen, require_postgres_pass, require_services
from tests.chaos.ledger import Taps
from tests.chaos.screens import Screen
from tests.chaos.sender import LedgerSender
from tests.production.servers import fresh_database, manage

ORDERS = 40
TAP_ORDERS = 16


@pytest.fixture(scope="module")
def template() -> Iterator[tuple[str, dict[str, Any]]]:
    """A migrated database with the chaos kitchen, copied for each run."""
    require_postgres_pass()
    require_services()
    with fresh_database("kds_faults") as url:
        env = cluster_env(url, "")
        manage(env, "migrate", "--noinput")
        yield url.rsplit("/", 1)[1], setup_kitchen(env, 2)


def sender_for(
    kitchen: dict[str, Any], server: Server, orders: int, **options: Any
) -> LedgerSender:
    return LedgerSender(
        urls=[server.url],
        source=kitchen["source"],
        secret=kitchen["secret"],
        dishes=kitchen["dishes"],
        orders=orders,
        **options,
    )


@contextmanager
def faulty_server(
    template: tuple[str, dict[str, Any]], fault: str, tmp_path: Path
) -> Iterator[tuple[Server, dict[str, str]]]:
    """A server with `fault` on a copy of the template; stopped when the block ends."""
    with fresh_database("kds_fault", template=template[0]) as url:
        # One process, so the in-memory channel layer does; intake is what is under test.
        env = cluster_env(url, "", KDS_TEST_FAULT=fault)
        server = Server(env, tmp_path / "daphne.log", app="tests.chaos.faults:application")
        server.start()
        try:
            yield server, env
        finally:
            server.stop()


def run(template: tuple[str, dict[str, Any]], fault: str, tmp_path: Path) -> Audit:
    kitchen = template[1]
    with faulty_server(template, fault, tmp_path) as (server, env):
        sender = sender_for(kitchen, server, ORDERS, seed=3, cancel_share=0.2)
        asyncio.run(sender.run())
        server.stop()
        result = audit(sender.ledger, snapshot(env), stations=stations_for)
    print(f"fault {fault or 'none'}: {result.line()}")
    return result


async def until(condition: Any, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.05)


async def tapping(sender: LedgerSender, left: Screen, right: Screen) -> None:
    stop = asyncio.Event()
    running = [asyncio.create_task(s.run(stop)) for s in (left, right)]
    try:
        await sender.run()
        await until(lambda: min(len(left.tickets), len(right.tickets)) >= 4, "four tickets")
        for screen in (left, right):
            screen.send_again = 1.0
        left.cut(2.0)
        left.bump_some(3, recall=True)
        right.bump_some(2)
        await asyncio.sleep(0.5)
        await until(lambda: left.settled and right.settled, "every tap answered")
    finally:
        stop.set()
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


def run_taps(template: tuple[str, dict[str, Any]], fault: str, tmp_path: Path) -> Audit:
    kitchen = template[1]
    taps = Taps()
    with faulty_server(template, fault, tmp_path) as (server, env):
        with httpx.Client(trust_env=False, timeout=10) as http:
            # The fallback station's two screens: three of the dishes are its own.
            left, right = (
                paired_screen(http, server.url, spec, [server.port], taps)
                for spec in kitchen["screens"][:2]
            )
        asyncio.run(tapping(sender_for(kitchen, server, TAP_ORDERS, seed=5), left, right))
        server.stop()
        result = audit_taps(taps, snapshot(env))
    print(
        f"fault {fault or 'none'}: {taps.summary()}; lost {result.lost}, "
        f"doubled {result.doubled}, diverged {result.diverged}"
    )
    return result


@pytest.mark.timeout(180)
def test_it_audits_a_run_without_faults_clean(
    template: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    result = run(template, "", tmp_path)

    assert result.orders == ORDERS
    assert (result.lost, result.doubled, result.diverged) == ([], [], [])


@pytest.mark.timeout(180)
def test_it_reports_updates_dropped_as_stale(
    template: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    result = run(template, "stale", tmp_path)

    assert [d for d in result.diverged if ": ledger {" in d], result.diverged


@pytest.mark.timeout(180)
def test_it_reports_a_cancel_nobody_sent(
    template: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    result = run(template, "cancel", tmp_path)

    assert [d for d in result.diverged if "never cancelled, database says cancelled" in d]
    assert [d for d in result.diverged if d.startswith("event") and "'cancelled'" in d]


@pytest.mark.timeout(180)
def test_it_reports_a_line_stored_without_its_placement(
    template: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    result = run(template, "placement", tmp_path)

    lost = [f for f in result.lost if f.startswith("placement")]
    assert lost and all("'grill')" in f for f in lost), result.lost


@pytest.mark.timeout(180)
def test_it_reports_an_event_written_twice(
    template: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    result = run(template, "event", tmp_path)

    doubled = [f for f in result.doubled if "'received')" in f]
    assert len(doubled) == ORDERS, result.doubled  # each order's: the created comes first


@pytest.mark.timeout(180)
def test_it_audits_taps_without_faults_clean(
    template: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    result = run_taps(template, "", tmp_path)

    assert result.orders >= 6  # four taps cut off, two online
    assert (result.lost, result.doubled, result.diverged) == ([], [], [])


@pytest.mark.timeout(180)
def test_it_reports_taps_whose_ids_are_not_recorded(
    template: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    result = run_taps(template, "ids", tmp_path)

    lost = [f for f in result.lost if f.endswith(", no record")]
    assert len(lost) == result.orders, result.lost


@pytest.mark.timeout(180)
def test_it_reports_taps_dated_when_they_arrived(
    template: tuple[str, dict[str, Any]], tmp_path: Path
) -> None:
    result = run_taps(template, "dated", tmp_path)

    late = [d for d in result.diverged if "(cut off)" in d and "from when it was made" in d]
    assert len(late) == 4, result.diverged
