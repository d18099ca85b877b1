"""`daphne tests.chaos.faults:application`: the product's ASGI application with one fault
put into intake, for proving that the chaos audit notices it
(tests/chaos/test_it_reports_every_fault_it_is_shown.py).

The fault is named by KDS_TEST_FAULT and read here only: this module lives in tests/,
the product never imports it, and a server runs it only when started with it by name.
The patches replace functions of `orders.intake.ingest` in this process alone.

- stale:     every update to an existing order is answered stale and not applied;
- cancel:    every update cancels its order instead of applying;
- placement: lines routed to the grill are stored without their grill placement;
- event:     a new order's "received" event is written twice;
- ids:       a screen's tap runs without its id being recorded (every copy acts);
- dated:     a screen's tap is dated when it arrives, not when it was made.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from kds.asgi import application as product_application
from orders.actions import once
from orders.intake import ingest, lines
from orders.models import EventKind, OrderEvent, WebhookOutcome
from orders.screens import commands

FAULTS: dict[str, Callable[[], None]] = {}


def fault(name: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def register(install: Callable[[], None]) -> Callable[[], None]:
        FAULTS[name] = install
        return install

    return register


def _instead_of_updates(answer: Callable[..., ingest.IngestResult]) -> None:
    """Every update to an existing order gets `answer(order=, source=, now=)` instead."""
    apply = ingest._apply

    def faulty(*, source: Any, message: Any, now: Any) -> ingest.IngestResult:
        order = ingest._locked_order(source, message.order_id)
        if message.type == "order.updated" and order is not None:
            return answer(order=order, source=source, now=now)
        return apply(source=source, message=message, now=now)

    ingest._apply = faulty  # type: ignore[assignment]


@fault("stale")
def _updates_dropped_as_stale() -> None:
    _instead_of_updates(
        lambda *, order, source, now: ingest.IngestResult(
            order=order, outcome=WebhookOutcome.STALE, stale=True
        )
    )


@fault("cancel")
def _updates_cancel() -> None:
    _instead_of_updates(ingest._cancel)


@fault("placement")
def _grill_placements_lost() -> None:
    plan = lines.plan_placements

    def faulty(**kwargs: Any) -> list[Any]:
        return [p for p in plan(**kwargs) if p.station.slug != "grill"]

    lines.plan_placements = faulty  # type: ignore[assignment]


@fault("event")
def _received_written_twice() -> None:
    apply = ingest._apply

    def faulty(*, source: Any, message: Any, now: Any) -> ingest.IngestResult:
        result = apply(source=source, message=message, now=now)
        if result.created:
            OrderEvent.objects.create(
                order=result.order, kind=EventKind.RECEIVED, at=now, source=source
            )
        return result

    ingest._apply = faulty  # type: ignore[assignment]


@fault("ids")
def _tap_ids_ignored() -> None:
    commands.action_once = lambda *, actor, stamp, action, run: run()  # type: ignore[assignment]


@fault("dated")
def _taps_dated_on_arrival() -> None:
    stamp = once.action_stamp

    def faulty(content: Any, *, now: Any = None) -> once.Stamp:
        return once.Stamp(stamp(content, now=now).action_id, now or timezone.now())

    commands.action_stamp = faulty  # type: ignore[assignment]


_name = os.environ.get("KDS_TEST_FAULT", "")
if _name:
    FAULTS[_name]()  # an unknown name stops the server here, with a KeyError naming it
application = product_application
