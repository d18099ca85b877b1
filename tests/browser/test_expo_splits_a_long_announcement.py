"""A big order's announcement is split into short utterances, said in order, none dropped."""

from __future__ import annotations

from itertools import pairwise

from tests.browser.conftest import Pass
from tests.browser.expo_support import wait_until
from tests.factories import order_body

DISHES = [
    "Mapo Tofu",
    "Kung Pao Chicken",
    "Twice-Cooked Pork",
    "Dry-Fried Green Beans",
    "Fish-Fragrant Eggplant",
    "Boiled Fish in Chili Oil",
    "Dan Dan Noodles",
    "Egg Fried Rice",
    "Smashed Cucumber",
    "Mouth-Watering Chicken",
]


def test_it_says_a_long_order_in_short_pieces_one_after_the_other(at_pass: Pass) -> None:
    expo = at_pass.expo()
    wok = at_pass.wok()
    items = [{"id": f"l-{i}", "name": name, "quantity": 1} for i, name in enumerate(DISHES)]
    at_pass.post(order_body("o-1", number="88", table="C1", items=items))

    wok.click("#board .ticket:has-text('#88') .ticket-head")

    expected = "Table C1, order 88: " + ", ".join(f"one {d.lower()}" for d in DISHES) + ", ready"
    assert len(expected) > 160
    wait_until(
        expo.page,
        f"window.__spoken.map(u => u.text).join(' ').length >= {len(expected)}"
        " && window.__spoken.every(u => u.end > 0)",
    )
    spoken = expo.spoken()
    assert len(spoken) >= 2 and all(len(u["text"]) <= 160 for u in spoken)
    assert " ".join(u["text"] for u in spoken) == expected
    assert not any(u["overlap"] for u in spoken)
    assert all(b["start"] >= a["end"] for a, b in pairwise(spoken))
