"""Bumping the last line of an order makes the expo screen say so, in its language, once."""

from __future__ import annotations

from typing import Any

import pytest

from orders.models import MenuItem
from tests.browser.conftest import Kitchen2, Pass
from tests.browser.expo_support import wait_until
from tests.factories import order_body

LINES = [
    {"id": "l-1", "sku": "WOK-MAPO", "name": "Mapo Tofu", "quantity": 1},
    {"id": "l-2", "sku": "WOK-DANDAN", "name": "Dan Dan Noodles", "quantity": 2},
]


def _menu(kitchen2: Kitchen2) -> None:
    r = kitchen2.k.restaurant
    MenuItem.objects.create(restaurant=r, sku="WOK-MAPO", name="Mapo Tofu", name_zh="麻婆豆腐")
    MenuItem.objects.create(
        restaurant=r, sku="WOK-DANDAN", name="Dan Dan Noodles", name_zh="担担面", measure="bowl"
    )


def _bump_both_lines(wok: Any, number: str) -> None:
    ticket = f"#board .ticket:has-text('#{number}')"
    wok.wait_for_selector(ticket)
    wok.click(f"{ticket} .line:has-text('Mapo Tofu')")
    wok.wait_for_selector(f"{ticket} .line.is-ready:has-text('Mapo Tofu')")
    wok.click(f"{ticket} .line:has-text('Dan Dan Noodles')")


@pytest.mark.parametrize(
    ("language", "phrase", "lang"),
    [
        ("", "Table A12, order 42: one mapo tofu, two dan dan noodles, ready", "en-US"),
        ("zh-hans", "A12桌 42号，麻婆豆腐一份，担担面两碗，出餐了", "zh-CN"),
    ],
)
def test_it_speaks_the_order_once_when_its_last_line_is_bumped(
    at_pass: Pass,
    language: str,
    phrase: str,
    lang: str,
) -> None:
    _menu(at_pass.kitchen2)
    expo_station = at_pass.kitchen2.k.expo
    expo_station.speech_language = language
    expo_station.save()
    expo = at_pass.expo()
    wok = at_pass.wok()
    at_pass.post(order_body("o-1", number="42", table="A12", items=LINES))

    _bump_both_lines(wok, "42")

    wait_until(expo.page, "window.__spoken.length > 0")
    expo.page.wait_for_timeout(500)  # anything said twice would be said by now
    assert expo.texts() == [(phrase, lang)]
    # The ticket moved to the ready column.
    assert expo.page.locator("#ready .xticket:has-text('#42')").count() == 1
