"""The front-of-house page: sign in first; front of house and managers only."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from orders.models import Order, Station
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


def test_it_shows_front_of_house_the_ready_orders_longest_waiting_first(kitchen: Kitchen) -> None:
    """By how long the food has waited at the pass, whatever the table, with expo's
    thresholds for the wait's colour and word."""
    waited = place(kitchen, "o-2", number="2", table="A12")
    fresh = place(kitchen, "o-1", number="1", table="A2")
    cooking = place(kitchen, "o-3", number="3", table="A1")
    for order in (waited, fresh):
        bump_all(order, kitchen.wok)
        bump_all(order, kitchen.cold)
    now = timezone.now()
    Order.objects.filter(pk=waited.pk).update(ready_at=now - timedelta(minutes=9))
    Order.objects.filter(pk=fresh.pk).update(ready_at=now - timedelta(minutes=1))
    Station.objects.filter(pk=kitchen.expo.pk).update(warning_minutes=2, late_minutes=4)
    client = Client()
    client.force_login(foh_user())

    page = client.get("/foh/").content.decode()

    assert page.index("#2<") < page.index("#1<")  # A12 has waited longer than A2
    assert page.count('data-warn="120" data-late="240"') == 2
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
