"""The chain page: each of the user's restaurants now (open tickets, late now, screens
offline, orders in the last hour), refreshed by itself, and their speed of service
compared store by store. A manager of one store sees that store only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from orders.models import LineStation, Membership, Screen, Station, StationKind
from tests import factories
from tests.chain import MARK, Chain, make_chain


@pytest.fixture
def chain(db: None) -> Chain:
    chain = make_chain()
    # Store A: one more order, cooking, whose wok ticket has cooked 25 minutes (late).
    a_source = chain.a.sources.get()
    secret = a_source.secrets.order_by("-created_at").first()
    assert secret is not None
    body = factories.order_body(
        "a-late",
        number="61",
        items=[
            {"id": "l-1", "sku": "KP-CHK", "name": "Kung Pao", "quantity": 1},
            {"id": "l-2", "sku": "COLD-CUKE", "name": "Smashed Cucumber", "quantity": 1},
        ],
    )
    assert factories.post_webhook(a_source.slug, secret.secret, body).status_code == 201
    wok = Station.objects.get(restaurant=chain.a, slug="wok")
    LineStation.objects.filter(line__order__external_id="a-late", station=wok).update(
        fired_at=timezone.now() - timedelta(minutes=25)
    )
    # Store B: a paired screen that is not connected (offline).
    screen = Screen.objects.filter(restaurant=chain.b).first()
    assert screen is not None
    Screen.objects.filter(pk=screen.pk).update(paired_at=timezone.now())
    return chain


def _figures(html: str, slug: str) -> dict[str, str]:
    row = re.search(rf'<tr data-restaurant="{re.escape(slug)}">(.*?)</tr>', html, re.S)
    assert row is not None, slug
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', row.group(1)))


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_each_restaurant_now(chain: Chain, admin_client: Client) -> None:
    page = admin_client.get("/chain/")
    assert page.status_code == 200
    html = page.content.decode()
    a = _figures(html, chain.a.slug)
    b = _figures(html, chain.b.slug)
    cooking = (
        LineStation.objects.filter(
            line__order__external_id="a-late", station__kind=StationKind.PREP
        )
        .values("station_id")
        .distinct()
        .count()
    )
    assert cooking >= 2  # the wok's ticket and the cold kitchen's
    # make_chain bumped each order with a paired screen of the wok, not connected now.
    assert a == {"open": str(cooking), "late": "1", "offline": "1 / 1", "orders": "2"}
    assert b == {"open": "0", "late": "0", "offline": "2 / 2", "orders": "1"}


def test_it_refreshes_the_live_figures_by_itself(chain: Chain, admin_client: Client) -> None:
    page = admin_client.get("/chain/").content.decode()
    assert 'hx-get="/chain/?part=live"' in page and 'hx-trigger="every 10s"' in page
    LineStation.objects.filter(line__order__external_id="a-late").update(fired_at=timezone.now())
    part = admin_client.get("/chain/", {"part": "live"}, headers={"HX-Request": "true"})
    html = part.content.decode()
    assert "<html" not in html and 'id="live"' in html
    assert _figures(html, chain.a.slug)["late"] == "0"


def test_it_compares_the_speed_of_service_store_by_store(
    chain: Chain, admin_client: Client
) -> None:
    html = admin_client.get("/chain/", {"period": "today"}).content.decode()
    compared = html[html.index('id="compared"') :]
    for restaurant in (chain.a, chain.b):
        row = re.search(rf'<tr data-restaurant="{restaurant.slug}">(.*?)</tr>', compared, re.S)
        assert row is not None
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
        assert cells[0] == "1"  # one ready ticket each (make_chain's order)
        assert re.fullmatch(r"\d+:\d\d", cells[1])
    assert "Ticket time by restaurant" in compared
    assert chain.b.name[:12] in compared.split("<svg", 1)[1]  # the chart cuts long names


def test_a_manager_of_one_store_sees_only_it(chain: Chain) -> None:
    html = _client(chain.manager_a).get("/chain/").content.decode()
    assert f'data-restaurant="{chain.a.slug}"' in html
    assert MARK not in html and f'data-restaurant="{chain.b.slug}"' not in html


def test_a_manager_of_two_stores_sees_both(chain: Chain) -> None:
    Membership.objects.create(user=chain.manager_a, restaurant=chain.b)
    html = _client(chain.manager_a).get("/chain/").content.decode()
    assert f'data-restaurant="{chain.b.slug}"' in html


def test_it_is_for_managers(chain: Chain) -> None:
    assert _client(chain.runner_a).get("/chain/").status_code == 403
    response = Client().get("/chain/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_bad_period_is_today(chain: Chain, admin_client: Client) -> None:
    for period in ("custom", "x" * 10_000, "\x00", "9" * 40):
        assert admin_client.get("/chain/", {"period": period}).status_code == 200
