"""The real scheduler process fires held lines on time, and catches up after a restart."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from orders.intake.ingest import order_ingest
from orders.intake.schema import parse_message
from orders.models import LineStation, Order, TicketState
from tests import factories
from tests.browser.server import database_env
from tests.kitchen.courses.conftest import HotPot

ROOT = Path(__file__).resolve().parents[3]


class Scheduler:
    def __init__(self) -> None:
        self.env = {**__import__("os").environ, **database_env(dict(connection.settings_dict))}
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "kds_scheduler", "--interval", "0.1"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def stop(self) -> str:
        assert self.process is not None
        self.process.terminate()
        out, _ = self.process.communicate(timeout=20)
        self.process = None
        return out


@pytest.fixture
def scheduler(transactional_db: None) -> Iterator[Scheduler]:
    s = Scheduler()
    yield s
    if s.process is not None:
        s.process.kill()
        s.process.wait()


def scheduled(kitchen: factories.Kitchen, order_id: str, seconds: float) -> Order:
    """An order for the broth (15 min), due at the kitchen `seconds` from now."""
    fire_at = timezone.now() + timedelta(minutes=15, seconds=seconds)
    body = factories.order_body(
        order_id,
        items=[{"id": "1", "sku": "BASE", "name": "Broth", "quantity": 1}],
        fire_at=fire_at.isoformat(),
    )
    message = parse_message(json.dumps(body).encode())
    return order_ingest(source=kitchen.source, webhook_id=uuid.uuid4().hex, message=message).order


def soup_state(order: Order, hotpot: HotPot) -> str:
    return LineStation.objects.get(line__order=order, station=hotpot.soup).state


def wait_for_live(order: Order, hotpot: HotPot, timeout: float) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if soup_state(order, hotpot) == TicketState.LIVE:
            return time.monotonic()
        time.sleep(0.05)
    return None


def test_it_fires_on_time_and_catches_up_after_a_restart(
    hotpot: HotPot, scheduler: Scheduler
) -> None:
    scheduler.start()
    first = scheduled(hotpot.k, "o-1", seconds=1.5)
    assert soup_state(first, hotpot) == TicketState.HELD
    assert wait_for_live(first, hotpot, timeout=15) is not None
    fired_at = LineStation.objects.get(line__order=first, station=hotpot.soup).fired_at
    placement = LineStation.objects.get(line__order=first, station=hotpot.soup)
    assert fired_at is not None and placement.hold_until is None

    output = scheduler.stop()
    assert "fired 1 line(s)" in output

    # While the scheduler is down, a second order falls due and waits.
    second = scheduled(hotpot.k, "o-2", seconds=0.5)
    time.sleep(1.5)
    assert soup_state(second, hotpot) == TicketState.HELD

    scheduler.start()
    assert wait_for_live(second, hotpot, timeout=15) is not None
    assert soup_state(first, hotpot) == TicketState.LIVE
