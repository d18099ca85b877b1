"""The page: filters, headline figures, tables and server-rendered SVG charts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from orders.models import Channel
from tests.reports.history import make_history
from tests.reports.users import kitchen_manager

pytestmark = pytest.mark.django_db

QUERY = "period=custom&start=2026-03-10&end=2026-03-10"


@pytest.fixture
def manager_client(client: Client) -> Client:
    client.force_login(kitchen_manager())
    return client


def test_it_draws_the_charts_as_inline_svg_without_a_cdn(manager_client: Client) -> None:
    h = make_history()
    h.ticket(h.order(h.at("12:00")), minutes=13, station=h.grill)
    h.ticket(
        h.order(h.at("19:00"), channel=Channel.DELIVERY), minutes=5, station=h.wok, item=h.noodles
    )

    html = manager_client.get(f"/reports/?{QUERY}").content.decode()

    assert html.count('<svg class="chart"') == 4
    assert "<polyline" in html  # the median line of the hour chart
    assert "Dan dan noodles" in html
    assert "https://" not in html.split("</head>")[0].replace("https://www.w3.org", "")
    assert "<script" not in html.split('<div class="reports"')[1]


def test_it_shows_the_headline_figures(manager_client: Client) -> None:
    h = make_history()
    for minutes in (1, 2, 3, 4, 10):
        h.ticket(h.order(h.at("12:00")), minutes=minutes, station=h.wok, item=h.noodles)

    html = manager_client.get(f"/reports/?{QUERY}").content.decode()

    assert '<div class="value">5</div><div class="what">Orders</div>' in html
    assert '<div class="value">3:00</div><div class="what">Median ticket time</div>' in html
    # Wok is late after 6 minutes: one ticket of five.
    assert '<div class="value">20.0%</div>' in html


def test_it_says_so_when_the_period_is_empty(manager_client: Client) -> None:
    make_history()

    html = manager_client.get(f"/reports/?{QUERY}").content.decode()

    assert "No tickets in this period." in html


def test_it_rejects_a_custom_period_that_ends_before_it_starts(manager_client: Client) -> None:
    make_history()

    response = manager_client.get("/reports/?period=custom&start=2026-03-10&end=2026-03-01")

    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()


def test_it_names_dishes_in_chinese_for_a_chinese_page(manager_client: Client) -> None:
    h = make_history()
    h.ticket(h.order(h.at("12:00")), minutes=5, station=h.wok, item=h.noodles)

    html = manager_client.get(f"/reports/?{QUERY}", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    translation.activate("en")

    assert "担担面" in html


def test_it_keeps_the_valid_filters_when_one_is_not(manager_client: Client) -> None:
    h = make_history()
    h.ticket(h.order(h.at("12:00")), minutes=5, station=h.wok, item=h.noodles)
    h.ticket(h.order(h.at("12:00")), minutes=9, station=h.grill)

    html = manager_client.get(
        f"/reports/?{QUERY}&station={h.wok.pk}&channel=teleport"
    ).content.decode()

    assert '<div class="value">1</div><div class="what">Orders</div>' in html
    assert "Select a valid choice" in html


def test_it_offers_english_and_chinese(manager_client: Client) -> None:
    make_history()

    html = manager_client.get(f"/reports/?{QUERY}").content.decode()

    assert 'action="/i18n/setlang/"' in html
    assert '<option value="zh-hans"' in html
