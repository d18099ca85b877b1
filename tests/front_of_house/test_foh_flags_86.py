"""The tablet flags "86" on the lines of a dish that is sold out, as the kitchen's screens
do: on the orders it shows when a cook or the admin 86s it, and gone when it is back."""

from __future__ import annotations

import pytest
from django.test import Client

from orders.actions.menu import menu_item_availability_set
from orders.models import MenuItem
from tests.front_of_house.test_foh_socket import _communicator, _session_cookie
from tests.hotpot import Kitchen, bump_all, foh_user, place
from tests.screens.conftest import sync

pytestmark = pytest.mark.django_db(transaction=True)

FLAG = 'class="tag tag-86"'


def _tofu_line(html: str) -> str:
    """The tablet's line of the frozen tofu (the order has beef too)."""
    (line,) = [part for part in html.split("<li ")[1:] if "Frozen Tofu" in part]
    return line


async def test_it_flags_a_dish_86d_while_its_order_is_on_the_tablet(kitchen: Kitchen) -> None:
    order = await sync(place)(kitchen, table="A12")
    await sync(bump_all)(order, kitchen.wok)
    await sync(bump_all)(order, kitchen.cold)
    tofu = await sync(MenuItem.objects.get)(sku="HP-TOFU")
    comm = _communicator(await sync(_session_cookie)(await sync(foh_user)("runner")))
    assert (await comm.connect())[0]
    html = (await comm.receive_json_from(timeout=5))["html"]
    assert f'id="f{order.pk}"' in html and FLAG not in html

    await sync(menu_item_availability_set)(item=tofu, available=False)
    while FLAG not in html:
        html = (await comm.receive_json_from(timeout=5))["html"]
    assert html.count(FLAG) == 1 and FLAG in _tofu_line(html)  # the tofu, not the beef

    await sync(menu_item_availability_set)(item=tofu, available=True)
    while FLAG in html:
        html = (await comm.receive_json_from(timeout=5))["html"]
    assert f'id="f{order.pk}"' in html
    await comm.disconnect()


def test_the_page_load_flags_it_too_in_chinese(kitchen: Kitchen) -> None:
    order = place(kitchen, table="A12")
    bump_all(order, kitchen.wok)
    bump_all(order, kitchen.cold)
    MenuItem.objects.filter(sku="HP-TOFU").update(is_available=False)
    kitchen.restaurant.language = "zh-hans"
    kitchen.restaurant.save(update_fields=["language"])
    client = Client()
    client.force_login(foh_user("runner"))

    html = client.get("/foh/?r=demo").content.decode()

    assert html.count(FLAG) == 1
    assert "86 沽清" in html
