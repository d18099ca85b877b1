"""Under ASGI, every middleware runs async: none makes Django hop between the event loop
and a thread (one hop each way per request for each sync-only middleware in the stack)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import AsyncClient
from django.utils.module_loading import import_string


def test_it_has_only_async_capable_middleware() -> None:
    sync_only = [
        path
        for path in settings.MIDDLEWARE
        if not getattr(import_string(path), "async_capable", False)
    ]
    assert sync_only == []


async def test_it_still_serves_static_files() -> None:
    response = await AsyncClient().get("/static/kds/station.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    served = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert served == (Path(__file__).parents[2] / "static" / "kds" / "station.js").read_bytes()


async def test_it_still_answers_what_is_not_a_static_file() -> None:
    response = await AsyncClient().get("/static/kds/no-such-file.js")
    assert response.status_code == 404
