"""What the screens say out loud: phrase templates per language. Pure functions.

Every phrase is a Django translation (`pgettext` with the context "speech"), so a
restaurant can reword it in its catalogue. Until a catalogue translates a phrase,
the Chinese wording below is used, so a Chinese kitchen hears Chinese out of the
box. Numbers are words, the way a person reads them out ("two sliced beef",
"肥牛两份"); Chinese counts dishes with a measure word (份, 杯, 碗 …): the menu
item's, else its category's (`MenuItem.spoken_measure`), else 份.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import npgettext, pgettext

# Built-in Chinese for each English message id, used while the catalogue has none.
_ZH: dict[tuple[str, str], str] = {
    ("speech", "Table %(table)s, order %(number)s: %(items)s, ready"): (
        "%(table)s桌 %(number)s号，%(items)s，出餐了"
    ),
    ("speech", "Order %(number)s: %(items)s, ready"): "%(number)s号，%(items)s，出餐了",
    ("speech", "Table %(table)s, order %(number)s, ready"): "%(table)s桌 %(number)s号，出餐了",
    ("speech", "Order %(number)s, ready"): "%(number)s号，出餐了",
    ("speech", "Table %(table)s, order %(number)s is waiting"): (
        "%(table)s桌 %(number)s号，等待太久了"
    ),
    ("speech", "Order %(number)s is waiting"): "%(number)s号，等待太久了",
    ("speech", "Order %(number)s, please pick up"): "请%(number)s号取餐",
    ("speech", "Voice test. Order %(number)s is ready."): "语音测试，%(number)s号出餐了",
    ("speech", "%(count)s %(dish)s"): "%(dish)s%(count)s",
    ("speech list separator", ", "): "，",
}

# The measure words, by `orders.models.Measure` value.
MEASURE_WORDS = {
    "portion": "份",
    "bowl": "碗",
    "plate": "盘",
    "cup": "杯",
    "bottle": "瓶",
    "can": "罐",
    "teapot": "壶",
    "pot": "锅",
    "skewer": "串",
    "piece": "个",
    "basket": "笼",
}
_ZH.update({("measure word", key): word for key, word in MEASURE_WORDS.items()})


@dataclass(frozen=True)
class Dish:
    """One line as it is spoken: the dish's name in the speech language, how many, how counted."""

    name: str
    quantity: int
    measure: str = "portion"


def is_chinese(language: str) -> bool:
    return language.lower().startswith("zh")


def bcp47(language: str) -> str:
    """The tag a browser's speech synthesis understands: `zh-hans` → `zh-CN`."""
    return "zh-CN" if is_chinese(language) else "en-US"


def _builtin(language: str, context: str, msgid: str, translated: str) -> str:
    if translated == msgid and is_chinese(language):
        return _ZH.get((context, msgid), translated)
    return translated


# ---------------------------------------------------------------- numbers

_EN_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ZH_DIGITS = "零一二三四五六七八九"


def number_words(n: int, language: str) -> str:
    """A count as it is read out: `two`, `twenty-one`; `两`, `十二`, `二十一`. Digits above 99."""
    if n < 0 or n > 99:
        return str(n)
    if is_chinese(language):
        if n == 2:
            return "两"
        if n < 10:
            return _ZH_DIGITS[n]
        tens, ones = divmod(n, 10)
        head = "十" if tens == 1 else _ZH_DIGITS[tens] + "十"
        return head + (_ZH_DIGITS[ones] if ones else "")
    if n < 20:
        return _EN_ONES[n]
    tens, ones = divmod(n, 10)
    return _EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else "")


# ---------------------------------------------------------------- phrases


def _measure_word(measure: str, language: str) -> str:
    with translation.override(language):
        # Each written out, so the catalogue can reword one (context "measure word").
        words = {
            "portion": pgettext("measure word", "portion"),
            "bowl": pgettext("measure word", "bowl"),
            "plate": pgettext("measure word", "plate"),
            "cup": pgettext("measure word", "cup"),
            "bottle": pgettext("measure word", "bottle"),
            "can": pgettext("measure word", "can"),
            "teapot": pgettext("measure word", "teapot"),
            "pot": pgettext("measure word", "pot"),
            "skewer": pgettext("measure word", "skewer"),
            "piece": pgettext("measure word", "piece"),
            "basket": pgettext("measure word", "basket"),
        }
    key = measure if measure in words else "portion"
    return _builtin(language, "measure word", key, words[key])


def count_words(dish: Dish, language: str) -> str:
    """How many, as said before or after the dish: `two`; `两份`, `三杯` (numeral and measure)."""
    words = number_words(dish.quantity, language)
    if is_chinese(language):
        words += _measure_word(dish.measure, language)
    return words


def dish_phrase(dish: Dish, language: str) -> str:
    """`two sliced beef`; `肥牛两份`."""
    msgid = "%(count)s %(dish)s"
    with translation.override(language):
        # Translators: %(count)s is a number in words; in Chinese it ends with the measure
        # word ("两份"), so the Chinese is "%(dish)s%(count)s".
        template = npgettext("speech", "%(count)s %(dish)s", "%(count)s %(dish)s", dish.quantity)
    template = _builtin(language, "speech", msgid, template)
    name = dish.name if is_chinese(language) else dish.name.lower()
    return template % {"count": count_words(dish, language), "dish": name}


def _join(parts: Sequence[str], language: str) -> str:
    with translation.override(language):
        separator = pgettext("speech list separator", ", ")
    return _builtin(language, "speech list separator", ", ", separator).join(parts)


def ready_phrase(*, language: str, number: str, table: str = "", dishes: Sequence[Dish]) -> str:
    """What is ready: `Table A12, order 42: two sliced beef, one frozen tofu, ready`."""
    items = _join([dish_phrase(d, language) for d in dishes if d.quantity > 0], language)
    with translation.override(language):
        if table and items:
            msgid = "Table %(table)s, order %(number)s: %(items)s, ready"
            text = pgettext("speech", "Table %(table)s, order %(number)s: %(items)s, ready")
        elif items:
            msgid = "Order %(number)s: %(items)s, ready"
            text = pgettext("speech", "Order %(number)s: %(items)s, ready")
        elif table:
            msgid = "Table %(table)s, order %(number)s, ready"
            text = pgettext("speech", "Table %(table)s, order %(number)s, ready")
        else:
            msgid = "Order %(number)s, ready"
            text = pgettext("speech", "Order %(number)s, ready")
    template = _builtin(language, "speech", msgid, text)
    return template % {"table": table, "number": number, "items": items}


def late_phrase(*, language: str, number: str, table: str = "") -> str:
    """A ready order nobody has carried out: `Table A12, order 42 is waiting`."""
    with translation.override(language):
        if table:
            msgid = "Table %(table)s, order %(number)s is waiting"
            text = pgettext("speech", "Table %(table)s, order %(number)s is waiting")
        else:
            msgid = "Order %(number)s is waiting"
            text = pgettext("speech", "Order %(number)s is waiting")
    return _builtin(language, "speech", msgid, text) % {"table": table, "number": number}


def pickup_phrase(*, language: str, number: str) -> str:
    """The pick-up board's call: `Order 42, please pick up`; `请42号取餐`."""
    msgid = "Order %(number)s, please pick up"
    with translation.override(language):
        text = pgettext("speech", "Order %(number)s, please pick up")
    return _builtin(language, "speech", msgid, text) % {"number": number}


def test_phrase(*, language: str) -> str:
    """What the "test voice" button says."""
    msgid = "Voice test. Order %(number)s is ready."
    with translation.override(language):
        text = pgettext("speech", "Voice test. Order %(number)s is ready.")
    return _builtin(language, "speech", msgid, text) % {"number": "42"}


# Not a test: keep pytest from collecting the function above when it is imported.
test_phrase.__test__ = False  # type: ignore[attr-defined]
