"""The chaos audit can fail: against a server with a fault put into intake
(tests/chaos/faults.py), a short run of the chaos sender ends with the audit naming it.

Each fault is one a server could have and still answer every message 2xx, and that the
audit as it first stood passed (it trusted the answers and grouped rows by their unique
constraints): updates dropped as stale, a cancel nobody sent, a line stored without its
placement, an event written twice. Without a fault the same run audits clean.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chaos.audit import Audit, audit
from tests.chaos.cluster import Server, cluster_env, setup_kitchen, snapshot, stations_for
from tests.chaos.conftest import require_postgres_pass, require_services
from tests.chaos.sender import LedgerSender
from tests.production.servers import fresh_database, manage

ORDERS = 40


@pytest.fixture(scope="module")
def template() -> Iterator[tuple[str, dict[str, Any]]]:
    """A migrated database with the chaos kitchen, copied for each run."""
    require_postgres_pass()
    require_services()
    with fresh_database("kds_faults") as url:
        env = cluster_env(url, "")
        manage(env, "migrate", "--noinput")
        yield url.rsplit("/", 1)[1], setup_kitchen(env, 0)


def run(template: tuple[str, dict[str, Any]], fault: str, tmp_path: Path) -> Audit:
    name, kitchen = template
    with fresh_database("kds_fault", template=name) as url:
        # One process, so the in-memory channel layer does; intake is what is under test.
        env = cluster_env(url, "", KDS_TEST_FAULT=fault)
        server = Server(env, tmp_path / "daphne.log", app="tests.chaos.faults:application")
        server.start()
        try:
            sender = LedgerSender(
                urls=[server.url],
                source=kitchen["source"],
                secret=kitchen["secret"],
                dishes=kitchen["dishes"],
                orders=ORDERS,
                seed=3,
                cancel_share=0.2,
            )
            asyncio.run(sender.run())
        finally:
            server.stop()
        result = audit(sender.ledger, snapshot(env), stations=stations_for)
    print(f"fault {fault or 'none'}: {result.line()}")
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
