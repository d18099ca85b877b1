"""Pairs a browser page as a screen, the way a device opens a pairing link."""

from __future__ import annotations

from typing import Any


def pair_in_browser(page: Any, base_url: str, token: str) -> None:
    """Opens /pair/#<token>; kds/pair.js posts the code, the test confirms on the next page."""
    page.goto(f"{base_url}/pair/#{token}")
    page.wait_for_selector('[data-pair-state="confirm"]')
    assert "#" not in page.url, "the code stayed in the address bar"
    page.click("button[name=confirm]")
    page.wait_for_url(f"{base_url}/screen/")
