"""A Chinese screen names every dish by the menu's Chinese name, on every screen: a
station's tickets and all-day panel and recall list, expo, the front-of-house tablet;
and the dish's allergens are in its language too. An English screen keeps the name the
order came with."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.boards.render import cache_clear
from orders.models import MenuItem, Order, Restaurant
from tests.hotpot import Kitchen, bump_all, foh_user, pair, place
from tests.screens.conftest import connect, next_of, screen_page, sync

pytestmark = pytest.mark.django_db(transaction=True)


def _chinese_kitchen(kitchen: Kitchen, language: str = "zh-hans") -> Order:
    Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(language=language)
    MenuItem.objects.filter(restaurant=kitchen.restaurant, sku="HP-BEEF").update(
        allergens="Peanut, sesame, celery salt"
    )
    return place(kitchen, "o-1", number="42")


def _between(html: str, start: str, end: str) -> str:
    found = re.search(re.escape(start) + "(.*?)" + re.escape(end), html, re.S)
    assert found is not None, start
    return found.group(1)


def test_it_names_the_dishes_in_chinese_on_a_chinese_station_and_its_all_day_panel(
    kitchen: Kitchen,
) -> None:
    _chinese_kitchen(kitchen)
    _, cookie = pair(kitchen.cold, "Cold 1")

    page = screen_page(cookie)

    board = _between(page, '<main id="board"', "</main>")
    assert '<span class="name" lang="zh-hans">肥牛</span>' in board
    assert "⚠ 过敏原: 花生、芝麻、celery salt" in board
    panel = _between(page, '<aside id="allday"', "</aside>")
    assert "肥牛" in panel and "冻豆腐" in panel
    assert "Sliced Beef" not in panel  # the panel is narrow: the Chinese name only


def test_it_names_the_dishes_in_chinese_on_expo(kitchen: Kitchen) -> None:
    _chinese_kitchen(kitchen)
    _, cookie = pair(kitchen.expo, "Pass")

    board = _between(screen_page(cookie), '<template id="initial-board">', "</template>")

    assert '<span class="name" lang="zh-hans">肥牛</span>' in board
    assert '<span class="name" lang="zh-hans">冻豆腐</span>' in board
    assert "Mapo tofu" in board  # not on the menu: the order's own name


def test_it_names_the_dishes_in_chinese_on_the_front_of_house_tablet(kitchen: Kitchen) -> None:
    order = _chinese_kitchen(kitchen)
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    runner = Client()
    runner.force_login(foh_user())

    page = runner.get("/foh/").content.decode()

    assert '<span class="name" lang="zh-hans">肥牛</span>' in page
    assert '<span class="name" lang="zh-hans">冻豆腐</span>' in page


async def test_it_names_the_dishes_in_chinese_in_the_recall_list(kitchen: Kitchen) -> None:
    order = await sync(_chinese_kitchen)(kitchen)
    _, cookie = await sync(pair)(kitchen.cold, "Cold 1")
    comm, _ = await connect(cookie)
    await sync(bump_all)(order, kitchen.cold)

    await comm.send_json_to({"action": "recall_list"})
    listing = (await next_of(comm, "recall"))["html"]

    assert "2× <span" in listing and ">肥牛</span>" in listing
    await comm.disconnect()


def test_it_keeps_the_orders_names_and_english_allergens_on_an_english_screen(
    kitchen: Kitchen,
) -> None:
    _chinese_kitchen(kitchen, language="en")
    _, cookie = pair(kitchen.cold, "Cold 1")

    page = screen_page(cookie)

    assert "肥牛" not in page
    assert '<span class="name">Sliced Beef</span>' in page
    assert "⚠ ALLERGENS: peanut, sesame, celery salt" in page


# A name no menu translates ("x" first: no allergen we know starts so), of any text but
# the separators, NUL (the admin refuses it) and lone surrogates.
UNKNOWN = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters=",，、;；/"
    ),
    max_size=30,
).map(lambda t: "x" + t)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(names=st.lists(UNKNOWN, max_size=6), language=st.sampled_from(["en", "zh-hans"]))
def test_it_shows_allergens_it_cannot_translate_as_typed_and_escaped(
    kitchen: Kitchen, names: list[str], language: str
) -> None:
    """Markup, emoji, Chinese, a name we have no word for: on the screen as typed, escaped,
    each one whole."""
    Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(language=language)
    MenuItem.objects.filter(restaurant=kitchen.restaurant, sku="HP-BEEF").update(
        allergens=", ".join(names)
    )
    if not Order.objects.filter(external_id="o-1").exists():
        place(kitchen, "o-1", number="42")
    cache_clear()
    _, cookie = pair(kitchen.cold, f"Cold {len(names)}")

    board = _between(screen_page(cookie), '<main id="board"', "</main>")

    joiner = "、" if language == "zh-hans" else ", "
    label = "过敏原" if language == "zh-hans" else "ALLERGENS"
    if names:
        assert f"⚠ {label}: {escape(joiner.join(names))}</p>" in board
    else:
        assert label not in board
