"""The phrase builder in English: counts as words, table and order first, "ready" last."""

from __future__ import annotations

from orders.kitchen.speech import Dish, bcp47, late_phrase, pickup_phrase, ready_phrase


def test_it_reads_out_a_table_order_with_counts_as_words() -> None:
    text = ready_phrase(
        language="en",
        number="42",
        table="A12",
        dishes=[Dish("Sliced Beef", 2), Dish("Frozen Tofu", 1)],
    )
    assert text == "Table A12, order 42: two sliced beef, one frozen tofu, ready"


def test_it_leaves_the_table_out_of_a_takeout_order() -> None:
    text = ready_phrase(language="en", number="7", dishes=[Dish("Mapo Tofu", 21)])
    assert text == "Order 7: twenty-one mapo tofu, ready"


def test_it_says_just_the_order_when_no_dish_is_named() -> None:
    assert ready_phrase(language="en", number="7", table="3", dishes=[]) == (
        "Table 3, order 7, ready"
    )


def test_it_calls_out_pickups_and_waiting_orders() -> None:
    assert pickup_phrase(language="en", number="42") == "Order 42, please pick up"
    assert late_phrase(language="en", number="42", table="A12") == (
        "Table A12, order 42 is waiting"
    )
    assert bcp47("en") == "en-US"
