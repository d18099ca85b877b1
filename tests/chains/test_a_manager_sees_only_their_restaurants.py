"""A manager of store A, on every admin page: nothing of store B is there to see, open,
pick, import into or act on. A chain administrator sees both."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse

from orders.models import (
    MenuItem,
    Restaurant,
    RoutingRule,
    Screen,
    Station,
    StationKind,
)
from tests.chain import MARK, Chain, make_chain


@pytest.fixture
def chain(db: None) -> Chain:
    return make_chain()


@pytest.fixture
def manager(chain: Chain) -> Client:
    client = Client()
    client.force_login(chain.manager_a)
    return client


def _restaurant_of(obj: models.Model, model_admin: Any) -> int | None:
    from orders.admin.common import restaurant_id_of

    return restaurant_id_of(obj, model_admin.restaurant_lookup)


def _orders_admins() -> list[tuple[type[models.Model], Any]]:
    """The admins of one restaurant's objects (the brand's pages are the chain's)."""
    return [
        (m, a)
        for m, a in admin.site._registry.items()
        if m._meta.app_label == "orders" and not getattr(a, "chain_only", False)
    ]


def test_the_chain_pages_are_the_chain_administrators(chain: Chain, manager: Client) -> None:
    chain_only = [m for m, a in admin.site._registry.items() if getattr(a, "chain_only", False)]
    assert chain_only
    for model in chain_only:
        name = f"admin:orders_{model._meta.model_name}"
        for url in (reverse(f"{name}_changelist"), reverse(f"{name}_add")):
            assert manager.get(url).status_code == 403, url


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def test_it_scopes_every_orders_admin(chain: Chain) -> None:
    # A new admin page that forgets the scoping fails here, not in production.
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label == "orders":
            scoped = hasattr(model_admin, "restaurant_lookup")
            assert scoped or getattr(model_admin, "chain_only", False), model


def test_it_answers_404_on_every_object_of_the_other_restaurant(
    chain: Chain, manager: Client
) -> None:
    tried = 0
    for model, model_admin in _orders_admins():
        name = f"admin:orders_{model._meta.model_name}"
        theirs = [
            o for o in model._default_manager.all() if _restaurant_of(o, model_admin) == chain.b.pk
        ]
        assert theirs, f"no object of B to try for {model.__name__}"
        for obj in theirs:
            for view in ("change", "history", "delete"):
                url = _url(f"{name}_{view}", obj.pk)
                if url is None:
                    continue
                response = manager.get(url)
                assert response.status_code in (403, 404), (url, response.status_code)
                tried += 1
    assert tried > 50


def test_no_list_or_search_or_form_lists_the_other_restaurant(
    chain: Chain, manager: Client
) -> None:
    seen = 0
    for model, _model_admin in _orders_admins():
        name = f"admin:orders_{model._meta.model_name}"
        for url, query in (
            (_url(f"{name}_changelist"), {}),
            (_url(f"{name}_changelist"), {"q": MARK}),
            (_url(f"{name}_changelist"), {"q": "a"}),
            (_url(f"{name}_add"), {}),
        ):
            assert url is not None
            response = manager.get(url, query)
            if response.status_code == 403:  # an add page of a read-only list
                continue
            assert response.status_code == 200, (url, response.status_code)
            assert f"{MARK} " not in response.text, (url, query)  # the search box holds the mark
            assert chain.b.slug not in response.text, url
            seen += 1
    for obj in Station.objects.filter(restaurant=chain.a):  # and their own pages work
        response = manager.get(reverse("admin:orders_station_change", args=[obj.pk]))
        assert response.status_code == 200
        assert MARK not in response.text
        seen += 1
    assert seen > 30


def test_the_chain_administrator_sees_both(chain: Chain, admin_client: Client) -> None:
    page = admin_client.get(reverse("admin:orders_station_changelist")).text
    assert MARK in page
    station = Station.objects.filter(restaurant=chain.b).first()
    assert station is not None
    assert (
        admin_client.get(reverse("admin:orders_station_change", args=[station.pk])).status_code
        == 200
    )


def test_it_refuses_the_other_restaurants_stations_in_a_rule(chain: Chain, manager: Client) -> None:
    theirs = Station.objects.filter(restaurant=chain.b, kind=StationKind.PREP).first()
    assert theirs is not None
    before = RoutingRule.objects.count()
    response = manager.post(
        reverse("admin:orders_routingrule_add"),
        {
            "restaurant": chain.a.pk,
            "position": "500",
            "name": "Sneaky",
            "is_active": "on",
            "channel": "",
            "stations": [str(theirs.pk)],
        },
    )
    assert response.status_code == 200  # the form again, with its error
    assert "stations" in response.context["adminform"].form.errors
    assert RoutingRule.objects.count() == before
    # Nor as the rule's restaurant.
    response = manager.post(
        reverse("admin:orders_routingrule_add"),
        {"restaurant": chain.b.pk, "position": "500", "name": "Sneaky", "channel": ""},
    )
    assert "restaurant" in response.context["adminform"].form.errors
    assert RoutingRule.objects.count() == before


def test_it_refuses_to_edit_the_other_restaurants_rule_by_its_id(
    chain: Chain, manager: Client
) -> None:
    rule = RoutingRule.objects.filter(restaurant=chain.b).first()
    assert rule is not None
    url = reverse("admin:orders_routingrule_change", args=[rule.pk])
    response = manager.post(url, {"restaurant": chain.a.pk, "position": "1", "name": "Mine now"})
    assert response.status_code == 404
    rule.refresh_from_db()
    assert rule.name.startswith(MARK) and rule.restaurant_id == chain.b.pk


def test_it_refuses_history_and_revert_of_the_other_restaurants_rule(
    chain: Chain, manager: Client, admin_client: Client
) -> None:
    rule = RoutingRule.objects.filter(restaurant=chain.b).first()
    assert rule is not None
    rule.name = f"{MARK} renamed"
    rule.save()
    version = rule.history.order_by("history_id").first()  # type: ignore[attr-defined]
    assert version is not None
    revert = reverse("admin:orders_routingrule_simple_history", args=[rule.pk, version.history_id])
    assert manager.get(revert).status_code in (403, 404)
    assert manager.post(revert, {"name": "reverted"}).status_code in (403, 404)
    # A deleted object's history is read from the history table: refused as well.
    pk = rule.pk
    rule.delete()
    history = reverse("admin:orders_routingrule_history", args=[pk])
    assert manager.get(history).status_code in (403, 404)
    assert admin_client.get(history).status_code == 200


def test_actions_leave_the_other_restaurants_dishes_alone(chain: Chain, manager: Client) -> None:
    theirs = MenuItem.objects.filter(restaurant=chain.b, is_available=True).first()
    assert theirs is not None
    manager.post(
        reverse("admin:orders_menuitem_changelist"),
        {"action": "sold_out", "_selected_action": [str(theirs.pk)]},
    )
    theirs.refresh_from_db()
    assert theirs.is_available


def test_the_autocomplete_lists_only_their_dishes(chain: Chain, manager: Client) -> None:
    def found(term: str) -> set[int]:
        response = manager.get(
            "/admin/autocomplete/",
            {"app_label": "orders", "model_name": "routingrule", "field_name": "menu_item"}
            | {"term": term},
        )
        assert response.status_code == 200
        return {int(r["id"]) for r in response.json()["results"]}

    mine = set(MenuItem.objects.filter(restaurant=chain.a).values_list("pk", flat=True))
    assert found("") and found("") <= mine
    assert found(MARK) == set()  # B's dishes are named ⒷⒷ …


def test_it_cannot_import_into_the_other_restaurant(chain: Chain, manager: Client) -> None:
    csv = "sku,name,name_zh,category,prep_minutes\nNEW-1,Mine,我的,Cold dishes,5\n"
    url = reverse("admin:orders_menuitem_import")
    upload = io.BytesIO(csv.encode())
    upload.name = "menu.csv"
    response = manager.post(
        url,
        {"restaurant": str(chain.b.pk), "format": "0", "resource": "0", "import_file": upload},
    )
    assert response.status_code == 200
    assert "restaurant" in response.context["form"].errors
    # Nor by changing the confirm form's hidden restaurant.
    response = manager.post(
        reverse("admin:orders_menuitem_process_import"),
        {
            "restaurant": str(chain.b.pk),
            "format": "0",
            "resource": "0",
            "import_file_name": "x.csv",
            "original_file_name": "menu.csv",
        },
    )
    assert not MenuItem.objects.filter(sku="NEW-1").exists()


def test_the_export_holds_only_their_menu(chain: Chain, manager: Client) -> None:
    response = manager.post(
        reverse("admin:orders_menuitem_export"),
        {"format": "0", "resource": "0", "menuitemresource_name": "on"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kung Pao" in body
    assert MARK not in body


def test_the_screen_pairing_pages_refuse_the_other_restaurants_screen(
    chain: Chain, manager: Client
) -> None:
    screen = Screen.objects.filter(restaurant=chain.b).first()
    assert screen is not None
    token = screen.pairing_token
    for view in ("pair", "revoke", "voice_test"):
        url = reverse(f"admin:orders_screen_{view}", args=[screen.pk])
        assert manager.get(url).status_code == 404
        assert manager.post(url).status_code == 404
    screen.refresh_from_db()
    assert screen.revoked_at is None and screen.pairing_token == token


def test_the_routing_preview_offers_only_their_restaurant(chain: Chain, manager: Client) -> None:
    url = reverse("admin:orders_routingrule_preview")
    page = manager.get(url)
    assert MARK not in page.text
    theirs = MenuItem.objects.filter(restaurant=chain.b).first()
    assert theirs is not None
    response = manager.get(
        url, {"restaurant": str(chain.b.pk), "menu_item": str(theirs.pk), "channel": "dine_in"}
    )
    form = response.context["form"]
    assert "restaurant" in form.errors and "menu_item" in form.errors
    assert MARK not in response.text
    station = Station.objects.filter(restaurant=chain.b, kind=StationKind.PREP).first()
    assert station is not None
    mine = MenuItem.objects.filter(restaurant=chain.a).first()
    assert mine is not None
    response = manager.get(
        url,
        {
            "menu_item": str(mine.pk),
            "channel": "dine_in",
            "draft": "on",
            "draft_stations": [str(station.pk)],
        },
    )
    assert "draft_stations" in response.context["form"].errors


def test_the_restaurant_list_and_memberships(chain: Chain, manager: Client) -> None:
    page = manager.get(reverse("admin:orders_restaurant_changelist")).text
    assert chain.a.name in page and MARK not in page
    assert manager.get(reverse("admin:orders_restaurant_add")).status_code == 403
    # A manager cannot add members to their own restaurant either.
    change = manager.get(reverse("admin:orders_restaurant_change", args=[chain.a.pk]))
    assert change.status_code in (200, 403)
    assert "memberships-TOTAL_FORMS" not in change.text
    assert Restaurant.objects.count() == 2
