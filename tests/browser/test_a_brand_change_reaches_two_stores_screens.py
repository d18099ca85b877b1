"""A dish renamed on the brand's menu, in the admin, shows renamed at once on the open
station screens of two stores of the brand, without a reload."""

from __future__ import annotations

from typing import Any

import pytest

from orders.actions.brand import brand_dish_save
from orders.models import Brand, BrandDish, Order, Restaurant, Station
from tests import factories
from tests.browser.conftest import off_the_loop
from tests.browser.expo_support import admin_page, open_station_in
from tests.browser.server import KdsServer
from tests.chain import Chain, make_chain


def _two_stores_cooking_noodles() -> tuple[Chain, BrandDish]:
    chain = make_chain()
    brand = Brand.objects.create(name="Chongqing House", slug="cq")
    # Chinese kitchens: their screens name dishes by the menu's Chinese name.
    Restaurant.objects.filter(pk__in=[chain.a.pk, chain.b.pk]).update(
        brand=brand, language="zh-hans"
    )
    dish = BrandDish(brand=brand, sku="BR-NOODLE", name="Chongqing Noodles", name_zh="重庆小面")
    brand_dish_save(dish=dish)
    for store in (chain.a, chain.b):
        source = store.sources.get()
        secret = source.secrets.order_by("-created_at").first()
        assert secret is not None
        body = factories.order_body(
            f"noodles-{store.slug}",
            number="88",
            items=[{"id": "n", "sku": "BR-NOODLE", "name": "Noodles", "quantity": 1}],
        )
        assert factories.post_webhook(source.slug, secret.secret, body).status_code == 201
    return chain, dish


def test_a_brand_dish_renamed_in_the_admin_reaches_both_stores(
    transactional_db: None,
    admin_server: KdsServer,
    browser: Any,
    request: pytest.FixtureRequest,
) -> None:
    chain, dish = off_the_loop(_two_stores_cooking_noodles)
    pages = []
    for store in (chain.a, chain.b):
        order = Order.objects.get(external_id=f"noodles-{store.slug}")
        fallback = Station.objects.get(restaurant=store, is_fallback=True)
        page = open_station_in(browser, admin_server.url, fallback, request=request)
        page.wait_for_selector(f"#t{order.pk} .name:text-is('重庆小面')")
        pages.append((page, order))

    admin = admin_page(browser, admin_server, request)
    admin.goto(f"{admin_server.url}/admin/orders/branddish/{dish.pk}/change/")
    admin.fill("#id_name_zh", "重庆麻辣小面")
    admin.click("input[name=_save]")
    admin.wait_for_selector(".messagelist .success")

    for page, order in pages:
        page.wait_for_selector(f"#t{order.pk} .name:text-is('重庆麻辣小面')", timeout=15000)
