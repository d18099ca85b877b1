"""One menu for the brand: a dish saved on the brand's menu reaches every store of the
brand; a store keeps what it set itself (a prep time of its own, a dish not sold there)
and its own dishes; the store's history says who changed it, from the brand's menu."""

from __future__ import annotations

import io

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.test import Client
from django.urls import reverse

from orders.actions.brand import brand_dish_save
from orders.live.groups import station_group
from orders.models import Brand, BrandDish, Measure, MenuItem, Restaurant, RoutingRule, Station
from tests import factories
from tests.admin.forms import admin_form_data
from tests.chain import Chain, make_chain
from tests.conftest import SocketLayer, layer_receive


@pytest.fixture
def chain(db: None) -> Chain:
    chain = make_chain()
    brand = Brand.objects.create(name="Chongqing House", slug="cq")
    Restaurant.objects.filter(pk__in=[chain.a.pk, chain.b.pk]).update(brand=brand)
    return chain


def _dish(admin_client: Client, **changes: str) -> BrandDish:
    brand = Brand.objects.get()
    dish = BrandDish.objects.filter(sku="BR-NOODLE").first()
    url = (
        reverse("admin:orders_branddish_change", args=[dish.pk])
        if dish
        else reverse("admin:orders_branddish_add")
    )
    data = {
        "brand": str(brand.pk),
        "sku": "BR-NOODLE",
        "name": "Chongqing Noodles",
        "name_zh": "重庆小面",
        "category": "Noodles",
        "category_zh": "面",
        "prep_minutes": "6",
        "default_course": "1",
        "allergens": "wheat",
        "measure": "",
        "is_active": "on",
    }
    if dish:
        data = admin_form_data(admin_client, url)
    data.update(changes)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content
    return BrandDish.objects.get(sku="BR-NOODLE")


def _item(restaurant: Restaurant, sku: str = "BR-NOODLE") -> MenuItem:
    return MenuItem.objects.select_related("category").get(restaurant=restaurant, sku=sku)


def test_a_brand_dish_reaches_every_store(chain: Chain, admin_client: Client) -> None:
    versions = {r.pk: r.menu_version for r in Restaurant.objects.all()}
    dish = _dish(admin_client)
    for store in (chain.a, chain.b):
        item = _item(store)
        assert (item.name, item.name_zh, item.prep_minutes) == ("Chongqing Noodles", "重庆小面", 6)
        assert item.category is not None and item.category.name == "Noodles"
        assert item.brand_dish_id == dish.pk and item.own_fields == []
        # Intake reads the new menu (its version moved), as for a local change.
        assert Restaurant.objects.get(pk=store.pk).menu_version > versions[store.pk]
    history = _item(chain.b).history.first()  # type: ignore[attr-defined]
    assert history.history_user.username == "admin"
    assert "brand menu" in history.history_change_reason


def test_a_store_keeps_what_it_set_itself(chain: Chain, admin_client: Client) -> None:
    _dish(admin_client)
    manager = Client()
    manager.force_login(chain.manager_a)
    mine = _item(chain.a)
    url = reverse("admin:orders_menuitem_change", args=[mine.pk])
    response = manager.post(url, admin_form_data(manager, url, prep_minutes="11", is_active=None))
    assert response.status_code == 302, response.content
    assert sorted(_item(chain.a).own_fields) == ["is_active", "prep_minutes"]

    _dish(admin_client, name="Chongqing Small Noodles", prep_minutes="7")

    a, b = _item(chain.a), _item(chain.b)
    assert a.name == b.name == "Chongqing Small Noodles"  # the brand's name reaches both
    assert (a.prep_minutes, a.is_active) == (11, False)  # A's own time; not sold at A
    assert (b.prep_minutes, b.is_active) == (7, True)
    page = manager.get(url).text
    assert "Differs from the brand" in page

    # "Follow the brand's menu again" takes the brand's values back.
    manager.post(
        reverse("admin:orders_menuitem_changelist"),
        {"action": "follow_brand", "_selected_action": [str(mine.pk)]},
    )
    a = _item(chain.a)
    assert (a.prep_minutes, a.is_active, a.own_fields) == (7, True, [])


def test_a_stores_own_dish_and_rules_are_left_alone(chain: Chain, admin_client: Client) -> None:
    own = _item(chain.a, "KP-CHK")
    rules = list(RoutingRule.objects.filter(restaurant=chain.a).values_list("pk", "name"))
    _dish(admin_client)
    assert _item(chain.a, "KP-CHK").name == own.name
    assert _item(chain.a, "KP-CHK").brand_dish_id is None
    assert list(RoutingRule.objects.filter(restaurant=chain.a).values_list("pk", "name")) == rules


def test_a_store_joining_the_brand_gets_its_menu(chain: Chain, admin_client: Client) -> None:
    _dish(admin_client)
    Restaurant.objects.filter(pk=chain.b.pk).update(brand=None)
    MenuItem.objects.filter(restaurant=chain.b, sku="BR-NOODLE").delete()
    url = reverse("admin:orders_restaurant_change", args=[chain.b.pk])
    brand = Brand.objects.get()
    response = admin_client.post(url, admin_form_data(admin_client, url, brand=str(brand.pk)))
    assert response.status_code == 302, response.content
    assert _item(chain.b).brand_dish is not None


def test_a_manager_cannot_change_the_brand_of_their_store(chain: Chain) -> None:
    manager = Client()
    manager.force_login(chain.manager_a)
    url = reverse("admin:orders_restaurant_change", args=[chain.a.pk])
    page = manager.get(url)
    assert page.status_code == 200
    assert 'name="brand"' not in page.text


@pytest.mark.django_db(transaction=True)
def test_a_brand_change_reaches_both_stores_open_screens(socket_layer: SocketLayer) -> None:
    chain = make_chain()
    brand = Brand.objects.create(name="Chongqing House", slug="cq")
    Restaurant.objects.filter(pk__in=[chain.a.pk, chain.b.pk]).update(brand=brand)
    dish = BrandDish(brand=brand, sku="BR-NOODLE", name="Chongqing Noodles", name_zh="重庆小面")
    brand_dish_save(dish=dish)
    layer = get_channel_layer()
    listening = []
    for store in (chain.a, chain.b):
        source = store.sources.get()
        secret = source.secrets.order_by("-created_at").first()
        assert secret is not None
        body = factories.order_body(
            f"noodles-{store.slug}",
            items=[{"id": "1", "sku": "BR-NOODLE", "name": "Noodles", "quantity": 1}],
        )
        assert factories.post_webhook(source.slug, secret.secret, body).status_code == 201
        fallback = Station.objects.get(restaurant=store, is_fallback=True)
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(station_group(fallback.pk), channel)
        listening.append((channel, fallback.seq))

    dish.name_zh = "重庆麻辣小面"
    brand_dish_save(dish=dish)

    for channel, seq in listening:
        message = layer_receive(channel)
        assert message["type"] == "station.changed"
        assert message["seq"] > seq


def test_the_brand_menu_imports_and_exports_as_a_spreadsheet(
    chain: Chain, admin_client: Client
) -> None:
    csv = (
        "brand,sku,name,name_zh,category,category_zh,prep_minutes,default_course,"
        "allergens,measure,active\n"
        "cq,BR-NOODLE,Chongqing Noodles,重庆小面,Noodles,面,6,1,wheat,碗,yes\n"
        "cq,BR-SOUP,Hot and Sour Soup,酸辣汤,Soups,汤,4,1,,,yes\n"
        "cq,BR-BAD,,,Soups,汤,4,1,,,yes\n"
    )
    upload = io.BytesIO(csv.encode())
    upload.name = "brand.csv"
    response = admin_client.post(
        reverse("admin:orders_branddish_import"),
        {"format": "0", "resource": "0", "import_file": upload},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors()  # BR-BAD has no name
    assert not BrandDish.objects.exists()  # the preview changes nothing
    good = csv.rsplit("cq,BR-BAD", 1)[0]
    upload = io.BytesIO(good.encode())
    upload.name = "brand.csv"
    response = admin_client.post(
        reverse("admin:orders_branddish_import"),
        {"format": "0", "resource": "0", "import_file": upload},
    )
    confirm = response.context["confirm_form"]
    data = {n: confirm[n].value() for n in confirm.fields if confirm[n].value() is not None}
    done = admin_client.post(reverse("admin:orders_branddish_process_import"), data)
    assert done.status_code == 302
    for store in (chain.a, chain.b):
        soup = _item(store, "BR-SOUP")
        assert (soup.name_zh, soup.prep_minutes, soup.brand_dish_id is not None) == (
            "酸辣汤",
            4,
            True,
        )
        assert _item(store).measure == Measure.BOWL

    columns = {f"branddishresource_{f}": "on" for f in ("brand", "sku", "name", "name_zh")}
    exported = admin_client.post(
        reverse("admin:orders_branddish_export"), {"format": "0", "resource": "0", **columns}
    )
    body = exported.content.decode()
    assert "BR-SOUP" in body and "酸辣汤" in body and "cq" in body


def test_a_stores_spreadsheet_sets_its_own_values(chain: Chain, admin_client: Client) -> None:
    _dish(admin_client)
    manager = Client()
    manager.force_login(chain.manager_a)
    csv = "sku,name,name_zh,category,prep_minutes\nBR-NOODLE,Chongqing Noodles,重庆小面,Noodles,9\n"
    upload = io.BytesIO(csv.encode())
    upload.name = "menu.csv"
    response = manager.post(
        reverse("admin:orders_menuitem_import"),
        {"format": "0", "resource": "0", "import_file": upload},
    )
    confirm = response.context["confirm_form"]
    data = {n: confirm[n].value() for n in confirm.fields if confirm[n].value() is not None}
    assert manager.post(reverse("admin:orders_menuitem_process_import"), data).status_code == 302
    assert _item(chain.a).own_fields == ["prep_minutes"]

    _dish(admin_client, prep_minutes="4")

    assert _item(chain.a).prep_minutes == 9  # the store's import stands
    assert _item(chain.b).prep_minutes == 4
