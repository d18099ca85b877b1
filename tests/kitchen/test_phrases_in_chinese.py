"""The phrase builder in Chinese: 两 for two, measure words by dish, Chinese punctuation."""

from __future__ import annotations

import pytest

from orders.kitchen.speech import (
    Dish,
    bcp47,
    measure_for,
    number_words,
    pickup_phrase,
    ready_phrase,
)


def test_it_reads_out_a_table_order_with_measure_words() -> None:
    text = ready_phrase(
        language="zh-hans",
        number="42",
        table="A12",
        dishes=[Dish("肥牛", 2), Dish("冻豆腐", 1)],
    )
    assert text == "A12桌 42号，肥牛两份，冻豆腐一份，出餐了"


def test_it_counts_drinks_in_cups_and_rice_in_bowls() -> None:
    text = ready_phrase(
        language="zh-hans",
        number="8",
        dishes=[
            Dish("酸梅汤", 3, measure_for(name="Sour Plum Drink", category="Drinks")),
            Dish("米饭", 2, measure_for(name="Steamed Rice", category="Dumplings and staples")),
        ],
    )
    assert text == "8号，酸梅汤三杯，米饭两碗，出餐了"


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "一"), (2, "两"), (10, "十"), (12, "十二"), (20, "二十"), (22, "二十二"), (120, "120")],
)
def test_it_uses_chinese_numerals(n: int, words: str) -> None:
    assert number_words(n, "zh-hans") == words


def test_it_calls_out_pickups_in_chinese() -> None:
    assert pickup_phrase(language="zh-hans", number="42") == "请42号取餐"
    assert bcp47("zh-hans") == "zh-CN"


@pytest.mark.parametrize(
    ("name", "category", "measure"),
    [
        ("Cumin Lamb Skewers", "Grill", "skewer"),
        ("Tsingtao Beer", "Drinks", "bottle"),
        ("Spicy Mala Broth", "Soup bases", "pot"),
        ("Jasmine Tea", "Drinks", "cup"),
        ("Sliced Beef", "Hot pot plates", "portion"),
    ],
)
def test_it_picks_the_measure_word_from_the_dish_and_category(
    name: str, category: str, measure: str
) -> None:
    assert measure_for(name=name, category=category) == measure
