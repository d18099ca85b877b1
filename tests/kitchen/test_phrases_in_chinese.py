"""The phrase builder in Chinese: 两 for two, measure words by dish, Chinese punctuation."""

from __future__ import annotations

import pytest

from orders.kitchen.speech import (
    MEASURE_WORDS,
    Dish,
    bcp47,
    number_words,
    pickup_phrase,
    ready_phrase,
)
from orders.models import Measure


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
            Dish("酸梅汤", 3, Measure.CUP),
            Dish("米饭", 2, Measure.BOWL),
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


def test_every_measure_word_of_the_menu_is_said() -> None:
    assert set(MEASURE_WORDS) == set(Measure.values)
    for measure in Measure.values:
        said = ready_phrase(language="zh-hans", number="1", dishes=[Dish("菜", 2, measure)])
        assert said == f"1号，菜两{MEASURE_WORDS[measure]}，出餐了"


def test_an_unknown_measure_is_said_as_a_portion() -> None:
    said = ready_phrase(language="zh-hans", number="1", dishes=[Dish("菜", 1, "barrel")])
    assert said == "1号，菜一份，出餐了"
