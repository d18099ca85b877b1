"""The real scheduler process fires held lines on time, and catches up after a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
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
        self.env = {
            **os.environ,
            **database_env(dict(connection.settings_dict)),
            "PYTHONUNBUFFERED": "1",  # its first line says it is checking: read it at once
        }
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
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # printed just before its first check
        assert line.startswith("Scheduler running"), line + self.process.stdout.read()

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


def due_at(order: Order, hotpot: HotPot) -> datetime:
    hold_until = LineStation.objects.get(line__order=order, station=hotpot.soup).hold_until
    assert hold_until is not None
    return hold_until


def wait_for_live(order: Order, hotpot: HotPot, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if soup_state(order, hotpot) == TicketState.LIVE:
            return True
        time.sleep(0.05)
    return False


def test_it_fires_at_the_due_time_and_catches_up_after_a_restart(
    hotpot: HotPot, scheduler: Scheduler
) -> None:
    scheduler.start()  # returns once the scheduler is checking
    first = scheduled(hotpot.k, "o-1", seconds=3)
    later = scheduled(hotpot.k, "o-later", seconds=3600)
    due = due_at(first, hotpot)

    # Held for as long as it is not due, with the scheduler checking ten times a second...
    checks = 0
    while timezone.now() < due - timedelta(seconds=0.5):
        assert soup_state(first, hotpot) == TicketState.HELD
        checks += 1
        time.sleep(0.1)
    assert checks > 5
    # ...and live once it is, fired no earlier than its due time (the server's clock).
    assert wait_for_live(first, hotpot, timeout=30)
    placement = LineStation.objects.get(line__order=first, station=hotpot.soup)
    assert placement.fired_at is not None and placement.fired_at >= due
    assert placement.hold_until is None
    assert soup_state(later, hotpot) == TicketState.HELD  # not due for an hour

    output = scheduler.stop()
    assert "fired 1 line(s)" in output

    # While the scheduler is down, a second order falls due and waits.
    second = scheduled(hotpot.k, "o-2", seconds=0.5)
    time.sleep(1.5)
    assert soup_state(second, hotpot) == TicketState.HELD

    scheduler.start()
    assert wait_for_live(second, hotpot, timeout=30)
    assert soup_state(first, hotpot) == TicketState.LIVE
    assert soup_state(later, hotpot) == TicketState.HELD
