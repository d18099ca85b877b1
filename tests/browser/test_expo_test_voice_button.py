"""Every screen that speaks has a "test voice" button that says a sample phrase in its language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Kitchen2
from tests.browser.expo_support import open_pickup, wait_until
from tests.browser.server import KdsServer


def test_it_says_the_sample_phrase_in_the_board_language(
    kitchen2: Kitchen2, server: KdsServer, browser: Any, request: pytest.FixtureRequest
) -> None:
    pickup = open_pickup(
        browser, server.url, kitchen2.k.restaurant, request=request, query="?lang=zh-hans"
    )

    pickup.click("[data-test-voice]")

    wait_until(pickup, "window.__spoken.length > 0")
    spoken = pickup.evaluate("window.__spoken")
    assert [(u["text"], u["lang"]) for u in spoken] == [("语音测试，42号出餐了", "zh-CN")]
