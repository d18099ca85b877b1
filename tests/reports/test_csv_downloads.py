"""Every table on the page downloads as CSV, with the page's filters."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from orders.models import Channel
from tests.reports.history import make_history
from tests.reports.users import kitchen_manager

pytestmark = pytest.mark.django_db

TABLES = ["summary", "stations", "slowest-dishes", "late-dishes", "hours", "channels"]


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def manager_client(client: Client) -> Client:
    client.force_login(kitchen_manager())
    return client


def test_it_downloads_each_table_as_csv(manager_client: Client) -> None:
    h = make_history()
    h.ticket(h.order(h.at("12:00")), minutes=13, station=h.grill)
    h.ticket(
        h.order(h.at("13:00"), channel=Channel.TAKEOUT), minutes=5, station=h.wok, item=h.noodles
    )
    query = "period=custom&start=2026-03-10&end=2026-03-10"

    page = manager_client.get(f"/reports/?{query}").content.decode()
    for table in TABLES:
        response = manager_client.get(f"/reports/?{query}&csv={table}")

        assert response.status_code == 200, table
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        assert f"csv={table}" in page
        assert len(_rows(response.content)) >= 2, table


def test_it_puts_the_figures_in_the_csv(manager_client: Client) -> None:
    h = make_history()
    h.ticket(h.order(h.at("12:00")), minutes=13, station=h.grill)
    h.ticket(h.order(h.at("12:30")), minutes=3, station=h.grill)
    h.ticket(
        h.order(h.at("13:00"), channel=Channel.TAKEOUT), minutes=5, station=h.wok, item=h.noodles
    )
    query = "period=custom&start=2026-03-10&end=2026-03-10"

    stations = _rows(manager_client.get(f"/reports/?{query}&csv=stations").content)
    hours = _rows(manager_client.get(f"/reports/?{query}&csv=hours").content)
    takeout = _rows(manager_client.get(f"/reports/?{query}&channel=takeout&csv=stations").content)

    assert stations[0][:3] == ["Station", "Orders", "Dishes"]
    # Grill: 2 orders, 2 dishes, 0 voided, 2 tickets, median 8:00, mean 8:00, p90 12:00, 50% late.
    assert stations[1] == ["Grill", "2", "2", "0", "2", "8:00", "8:00", "12:00", "50.0%"]
    assert stations[2][:2] == ["Wok", "1"]
    assert len(hours) == 25
    assert hours[13] == ["12:00", "2", "2", "8:00"]
    assert [row[0] for row in takeout[1:]] == ["Wok"]


def test_it_answers_404_for_an_unknown_table(manager_client: Client) -> None:
    make_history()

    assert manager_client.get("/reports/?csv=passwords").status_code == 404
