"""A screen is a device: a one-time link pairs it and sets a long-lived signed HTTP-only cookie."""

from __future__ import annotations

import pytest
from django.test import Client

from orders.models import Screen
from tests.screens.conftest import Kitchen2, communicator, pair, sync

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_pairs_a_screen_with_a_one_time_link(kitchen2: Kitchen2) -> None:
    screen = Screen.objects.create(
        restaurant=kitchen2.k.restaurant, station=kitchen2.a, name="Wok 1"
    )
    token = str(screen.pairing_token)
    assert screen.pairing_url.endswith(f"/pair/#{token}")  # never in a path the server logs
    client = Client()

    form = client.get("/pair/")
    assert form.status_code == 200
    assert b'data-pair-state="enter"' in form.content and b"kds/pair.js" in form.content

    confirm = client.post("/pair/", {"token": token})
    assert confirm.status_code == 200
    assert (
        b'data-pair-state="confirm"' in confirm.content
        and b"<strong>Kitchen</strong>" in confirm.content
    )
    assert "kds_screen" not in confirm.cookies  # a link preview must not spend the token
    screen.refresh_from_db()
    assert screen.pairing_token == token

    paired = client.post("/pair/", {"token": token, "confirm": "1"})
    assert paired.status_code == 302
    cookie = paired.cookies["kds_screen"]
    assert cookie["httponly"]
    assert int(cookie["max-age"]) > 365 * 24 * 3600
    assert cookie.value.startswith(f"{screen.pk}:")  # signed, not a bare id
    screen.refresh_from_db()
    assert screen.paired_at is not None and screen.pairing_token is None

    page = client.get("/screen/")
    assert page.status_code == 200
    assert b"Kitchen" in page.content and b'id="board"' in page.content

    # The link works once.
    assert Client().post("/pair/", {"token": token, "confirm": "1"}).status_code == 404
    assert Client().post("/pair/", {"token": token}).status_code == 404


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"token": ""},
        {"token": "   "},
        {"token": "not-a-real-code"},
        {"token": "x" * 100_000},
        {"token": "\x00\ud7ff😀", "confirm": "1"},
        {"confirm": "1"},
    ],
    ids=["nothing", "empty", "blank", "unknown", "huge", "odd characters", "confirm only"],
)
def test_it_refuses_a_bad_pairing_code_and_changes_nothing(
    kitchen2: Kitchen2, form: dict[str, str]
) -> None:
    screen = Screen.objects.create(restaurant=kitchen2.k.restaurant, station=kitchen2.a)
    response = Client().post("/pair/", form)
    assert response.status_code == 404
    assert b'data-pair-state="invalid"' in response.content
    assert "kds_screen" not in response.cookies
    screen.refresh_from_db()
    assert screen.paired_at is None and screen.pairing_token


def test_it_no_longer_pairs_from_a_link_with_the_code_in_its_path(kitchen2: Kitchen2) -> None:
    screen = Screen.objects.create(restaurant=kitchen2.k.restaurant, station=kitchen2.a)
    token = screen.pairing_token
    client = Client()
    for response in (client.get(f"/pair/{token}/"), client.post(f"/pair/{token}/")):
        assert response.status_code == 410
        assert b'data-pair-state="old"' in response.content
        assert "kds_screen" not in response.cookies
    screen.refresh_from_db()
    assert screen.paired_at is None and screen.pairing_token == token


def test_it_shows_only_the_pairing_page_without_a_cookie(kitchen2: Kitchen2) -> None:
    pair(kitchen2.a)
    page = Client().get("/screen/")
    assert page.status_code == 403
    assert b'data-pair-state="unpaired"' in page.content
    assert b'id="board"' not in page.content


def test_it_refuses_a_forged_cookie(kitchen2: Kitchen2) -> None:
    screen, cookie = pair(kitchen2.a)
    forged = f"{screen.pk + 1}:{cookie.split(':', 1)[1]}"
    client = Client()
    client.cookies["kds_screen"] = forged
    assert client.get("/screen/").status_code == 403


def test_it_invalidates_old_cookies_when_a_screen_is_paired_again(kitchen2: Kitchen2) -> None:
    screen, old_cookie = pair(kitchen2.a)
    token = screen.new_pairing_link().rsplit("#", 1)[1]
    assert Client().post("/pair/", {"token": token, "confirm": "1"}).status_code == 302
    client = Client()
    client.cookies["kds_screen"] = old_cookie
    assert client.get("/screen/").status_code == 403


async def test_it_accepts_the_socket_of_a_paired_screen(kitchen2: Kitchen2) -> None:
    _, cookie = await sync(pair)(kitchen2.a)
    comm = communicator(cookie)
    connected, _ = await comm.connect()
    assert connected
    first = await comm.receive_json_from(timeout=5)
    assert first["type"] == "board"
    await comm.disconnect()
