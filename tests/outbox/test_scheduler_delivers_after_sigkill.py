"""The real scheduler process delivers to a real receiver that fails, then hangs, then
recovers; killed with SIGKILL in the middle of a delivery and started again, it loses
no event, and each event keeps its one webhook-id."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from orders.actions.cooking import ticket_bump
from orders.models import Order, OutboxMessage, OutboxState, Screen, WebhookEndpoint
from tests import factories
from tests.browser.server import database_env
from tests.fake_http import FakeHTTP, Received, serving

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 12


class FlakyReceiver:
    """503 for the first three requests, then hangs on the fourth (until released), then
    accepts; records every accepted delivery by webhook-id."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.requests = 0
        self.hanging = threading.Event()
        self.release = threading.Event()
        self.accepted: dict[str, list[dict[str, Any]]] = {}
        self.lock = threading.Lock()

    def answer(self, request: Received) -> tuple[int, Any]:
        with self.lock:
            self.requests += 1
            n = self.requests
        if n <= 3:
            return 503, {}
        if n == 4:
            self.hanging.set()
            self.release.wait(30)
            return 503, {}  # the scheduler that sent it is dead by now
        payload = Webhook(self.secret).verify(request.body, request.headers)
        with self.lock:
            self.accepted.setdefault(request.headers["webhook-id"], []).append(payload)
        return 200, {}


class Scheduler:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "kds_scheduler", "--interval", "0.2"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        self.process = None


@pytest.fixture
def scheduler(transactional_db: None) -> Iterator[Scheduler]:
    env = {
        **os.environ,
        **database_env(dict(connection.settings_dict)),
        "KDS_OUTBOX_LEASE_SECONDS": "2",
        "KDS_OUTBOX_RETRY_SCHEDULE": "1,1,1,1,1,1,1,1",
        "KDS_LOG_LEVEL": "WARNING",
    }
    s = Scheduler(env)
    yield s
    if s.process is not None:
        s.kill()


def wait_for(condition: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_every_event_arrives_once_per_id_after_a_sigkill(
    scheduler: Scheduler, in_memory_layer: None
) -> None:
    k = factories.make_kitchen()
    endpoint = WebhookEndpoint.objects.create(restaurant=k.restaurant, name="Ops", url="http://x/")
    receiver = FlakyReceiver(endpoint.secret)
    fake = FakeHTTP(receiver.answer)
    with serving(fake):
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=f"{fake.url}/hook")
        screen = Screen.objects.create(
            restaurant=k.restaurant, station=k.fallback, name="Wall", paired_at=timezone.now()
        )
        for n in range(EVENTS):
            factories.post_webhook(k.source.slug, k.secret, factories.order_body(f"o-{n}"))
            ticket_bump(
                order=Order.objects.get(external_id=f"o-{n}"), station=k.fallback, screen=screen
            )
        expected = set(OutboxMessage.objects.values_list("msg_id", flat=True))
        assert len(expected) == EVENTS

        scheduler.start()
        assert receiver.hanging.wait(60), "the scheduler never reached the fourth delivery"
        scheduler.kill()  # mid-delivery: the receiver is still holding its request
        receiver.release.set()
        scheduler.start()

        def all_delivered() -> bool:
            states = set(OutboxMessage.objects.values_list("state", flat=True))
            return states == {OutboxState.DELIVERED}

        assert wait_for(all_delivered, 90), list(
            OutboxMessage.objects.values_list("msg_id", "state", "attempts", "last_error")
        )
    assert set(receiver.accepted) == expected  # every event arrived
    for msg_id, copies in receiver.accepted.items():
        # Once per id: any repeat (at least once delivery) carries the same event.
        assert all(copy == copies[0] for copy in copies), msg_id
        assert copies[0]["type"] == "order.ready"
