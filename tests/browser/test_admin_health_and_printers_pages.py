"""The admin's screen health and print job lists in a real browser, English and Chinese;
screenshots in docs/ with KDS_WRITE_DOCS=1."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from orders.models import Announce, Printer, PrintJob, Screen, SpeechPath
from tests.browser.conftest import Kitchen2
from tests.browser.expo_support import new_page
from tests.browser.server import KdsServer

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _data(kitchen2: Kitchen2) -> None:
    now = timezone.now()
    r = kitchen2.k.restaurant
    common = {
        "restaurant": r,
        "paired_at": now - timedelta(days=3),
        "app_version": "0.1.0+3f9c2a71",
    }
    Screen.objects.create(
        station=kitchen2.a, name="Wok wall", connected_at=now, last_seen_at=now, **common
    )
    Screen.objects.create(
        station=kitchen2.b,
        name="Fryer tablet",
        connected_at=now - timedelta(hours=2),
        last_seen_at=now - timedelta(minutes=12),
        disconnected_at=now - timedelta(minutes=12),
        **common,
    )
    Screen.objects.create(
        station=kitchen2.k.expo,
        name="Pass (Android kiosk)",
        announce=Announce.ORDER,
        speech_path=SpeechPath.SERVER,
        connected_at=now,
        last_seen_at=now,
        **common,
    )
    printer = Printer.objects.create(
        restaurant=r,
        station=kitchen2.b,
        name="Fryer printer",
        host="192.0.2.41",
        mode="backup",
        failures=3,
        last_error="192.0.2.41:9100 is out of paper",
    )
    payload = {"number": "1043", "kind": "ticket", "lines": []}
    PrintJob.objects.create(
        printer=printer,
        kind="ticket",
        reason="backup",
        payload=payload,
        attempts=3,
        last_error="192.0.2.41:9100 is out of paper",
    )
    PrintJob.objects.create(
        printer=printer,
        kind="void",
        reason="always",
        payload={**payload, "number": "1041"},
        status="printed",
        attempts=1,
        printed_at=now,
    )


@pytest.mark.parametrize(("language", "viewport"), [("en", (1920, 1080)), ("zh-hans", (1024, 768))])
def test_the_admin_shows_screen_health_and_print_jobs(
    kitchen2: Kitchen2,
    server: KdsServer,
    browser: Any,
    request: pytest.FixtureRequest,
    language: str,
    viewport: tuple[int, int],
) -> None:
    _data(kitchen2)
    admin = User.objects.create_superuser("boss", "b@example.com", "x")
    client = Client()
    client.force_login(admin)
    page = new_page(browser, request=request, viewport=viewport)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server.url},
        ]
    )
    page.goto(f"{server.url}/admin/orders/screen/")
    text = page.inner_text("#result_list")
    assert ("Online" if language == "en" else "在线") in text
    assert ("Offline since" if language == "en" else "起离线") in text
    assert ("Server audio" if language == "en" else "服务器音频") in text
    suffix = "-zh" if language != "en" else ""
    if os.environ.get("KDS_WRITE_DOCS"):
        page.screenshot(path=str(DOCS / f"admin-screen-health-{viewport[0]}{suffix}.png"))
    page.goto(f"{server.url}/admin/orders/printjob/")
    assert "out of paper" in page.inner_text("#result_list")
    if os.environ.get("KDS_WRITE_DOCS"):
        page.screenshot(path=str(DOCS / f"admin-print-jobs-{viewport[0]}{suffix}.png"))
