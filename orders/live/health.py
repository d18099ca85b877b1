"""GET /healthz — is this process able to do its job: reach the database and the channel layer.

Answers JSON ``{"status": "ok"|"unavailable", "database": {...}, "channel_layer": {...}}``
with 200 when both work and 503 otherwise, for load balancers, systemd watchdogs
and the benchmark's baseline. Each check has a short time limit, so a hung
dependency makes the answer 503 rather than hanging the probe.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger("kds.health")

# A probe answers within a few seconds even when a dependency hangs; generous enough
# that a busy but working process is not reported down (and pulled from the balancer).
CHECK_TIMEOUT_SECONDS = 2.5


def _database_check() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    if row is None or row[0] != 1:
        raise RuntimeError(f"SELECT 1 returned {row!r}")


async def _check_database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(sync_to_async(_database_check)(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        log.warning("healthz: database check failed: %s", str(exc) or type(exc).__name__)
        return {"ok": False, "error": type(exc).__name__, "vendor": connection.vendor}
    return {"ok": True, "vendor": connection.vendor, "ms": _ms(started)}


async def _channel_round_trip() -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    # The default prefix: every process-local channel must share it, or a message
    # waits for a receiver that is listening to the other prefix.
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "healthz.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "healthz.ping":
        raise RuntimeError(f"unexpected message {message!r}")


async def _check_channel_layer() -> dict[str, Any]:
    layer = get_channel_layer()
    backend = type(layer).__name__ if layer is not None else None
    started = time.perf_counter()
    try:
        await asyncio.wait_for(_channel_round_trip(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        log.warning("healthz: channel layer check failed: %s", str(exc) or type(exc).__name__)
        return {"ok": False, "error": type(exc).__name__, "backend": backend}
    return {"ok": True, "backend": backend, "ms": _ms(started)}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


@never_cache
@require_GET
async def healthz(request: HttpRequest) -> JsonResponse:
    database, channel_layer = await asyncio.gather(_check_database(), _check_channel_layer())
    ok = database["ok"] and channel_layer["ok"]
    return JsonResponse(
        {
            "status": "ok" if ok else "unavailable",
            "database": database,
            "channel_layer": channel_layer,
        },
        status=200 if ok else 503,
    )
