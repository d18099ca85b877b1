"""The front-of-house page: sign in first; front of house and managers only."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from tests.hotpot import Kitchen, bump_all, foh_user, place


def test_it_sends_a_stranger_to_the_sign_in_page(kitchen: Kitchen) -> None:
    response = Client().get("/foh/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/foh/")
    assert Client().get("/accounts/login/").status_code == 200


def test_it_refuses_a_signed_in_user_outside_front_of_house(kitchen: Kitchen) -> None:
    client = Client()
    client.force_login(User.objects.create_user("cook", password="pw"))
    assert client.get("/foh/").status_code == 403
    assert client.post("/foh/action/", {"action": "undo", "order": 1}).status_code == 403


def test_it_shows_front_of_house_the_ready_orders_by_table(kitchen: Kitchen) -> None:
    later = place(kitchen, "o-2", number="2", table="A12")
    first = place(kitchen, "o-1", number="1", table="A2")
    cooking = place(kitchen, "o-3", number="3", table="A1")
    for order in (later, first):
        bump_all(order, kitchen.wok)
        bump_all(order, kitchen.cold)
    client = Client()
    client.force_login(foh_user())

    page = client.get("/foh/").content.decode()

    assert page.index("#1<") < page.index("#2<")  # table A2 before A12
    assert f'id="f{cooking.pk}"' not in page
    assert "Sliced Beef" in page and "All served" in page


def test_it_signs_front_of_house_in_through_its_own_page(kitchen: Kitchen) -> None:
    foh_user("runner")
    client = Client()
    response = client.post(
        "/accounts/login/?next=/foh/", {"username": "runner", "password": "pw-runner"}
    )
    assert response.status_code == 302 and response["Location"] == "/foh/"
    assert client.get("/foh/").status_code == 200
