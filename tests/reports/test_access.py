"""Kitchen managers and superusers see the reports; front of house, anonymous users and
screens (devices with a cookie, never logged in) are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from orders.models import Screen
from orders.screens.pairing import SCREEN_COOKIE, screen_cookie_value
from tests.reports.history import History, make_history
from tests.reports.users import front_of_house, kitchen_manager, user_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def history() -> History:
    h = make_history()
    h.ticket(h.order(h.at("12:00")), minutes=3)
    return h


def test_it_shows_the_page_to_a_kitchen_manager(client: Client, history: object) -> None:
    client.force_login(kitchen_manager())

    response = client.get("/reports/")

    assert response.status_code == 200
    assert "Speed-of-service reports" in response.content.decode()


def test_it_shows_the_page_to_a_superuser(client: Client, history: object) -> None:
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw-1234-pw"))

    assert client.get("/reports/").status_code == 200


def test_it_refuses_front_of_house(client: Client, history: object) -> None:
    client.force_login(front_of_house())

    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/?csv=stations").status_code == 403


def test_it_refuses_staff_outside_the_kitchen_manager_group(
    client: Client, history: object
) -> None:
    client.force_login(user_in(None, username="clerk"))

    assert client.get("/reports/").status_code == 403


def test_it_refuses_an_inactive_kitchen_manager(client: Client, history: object) -> None:
    manager = kitchen_manager()
    manager.is_active = False
    manager.save()
    client.force_login(manager)

    response = client.get("/reports/")

    # An inactive user's session does not authenticate: the login page, as for anyone.
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_it_sends_anonymous_visitors_to_the_login_page(client: Client, history: object) -> None:
    response = client.get("/reports/?period=7d")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    assert client.get("/reports/?csv=summary").status_code == 302


def test_it_refuses_a_paired_screen(client: Client, history: History) -> None:
    screen = Screen.objects.create(
        restaurant=history.restaurant,
        station=history.grill,
        name="Grill 1",
        paired_at=timezone.now(),
    )
    # A screen is known by its signed cookie, not by a session: it is never a user.
    client.cookies[SCREEN_COOKIE] = screen_cookie_value(screen=screen)

    page = client.get("/reports/")
    table = client.get("/reports/?csv=stations")

    assert page.status_code == 302
    assert "/admin/login/" in page["Location"]
    assert table.status_code == 302
