"""The reports' filters swap the report in place (htmx): an htmx request gets the one
partial the page itself renders, anything else the whole page, as without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import Channel
from tests.reports.history import History, make_history
from tests.reports.users import kitchen_manager

pytestmark = pytest.mark.django_db

DAY = "period=custom&start=2026-03-10&end=2026-03-10"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def history() -> History:
    h = make_history()
    h.ticket(h.order(h.at("12:00"), channel=Channel.DINE_IN), minutes=2, station=h.grill)
    h.ticket(
        h.order(h.at("12:10"), channel=Channel.TAKEOUT), minutes=6, station=h.wok, item=h.noodles
    )
    return h


@pytest.fixture
def manager(client: Client) -> Client:
    client.force_login(kitchen_manager())
    return client


def _orders_figure(html: str) -> str:
    found = re.search(r'<div class="value">([^<]*)</div><div class="what">Orders</div>', html)
    assert found is not None
    return found.group(1)


def test_it_answers_an_htmx_request_with_the_report_partial(
    manager: Client, history: History
) -> None:
    response = manager.get(f"/reports/?{DAY}", headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="report">')
    assert "<html" not in html and "<head" not in html and "breadcrumbs" not in html
    assert 'hx-get="/reports/"' in html and 'hx-push-url="true"' in html  # the filters too
    assert _orders_figure(html) == "2"
    assert "HX-Request" in response["Vary"]


def test_it_answers_a_plain_request_with_the_whole_page(manager: Client, history: History) -> None:
    response = manager.get(f"/reports/?{DAY}")

    html = response.content.decode()
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<div id="report">' in html
    assert re.search(r'<script src="/static/django_htmx/[^"]*\.js" defer></script>', html)
    assert "HX-Request" in response["Vary"]


def test_it_renders_the_same_partial_for_the_page_and_the_swap(
    manager: Client, history: History
) -> None:
    query = f"{DAY}&channel=takeout"
    page = manager.get(f"/reports/?{query}").content.decode()
    swap = manager.get(f"/reports/?{query}", headers=HTMX).content.decode().strip()

    # The CSRF token of the language form differs per response; all else is the same.
    def token_free(text: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert token_free(swap) in token_free(page)
    assert _orders_figure(swap) == "1"  # the filter applied


def test_it_gives_the_whole_page_to_a_history_restore(manager: Client, history: History) -> None:
    html = manager.get(
        f"/reports/?{DAY}", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    ).content.decode()

    assert "<html" in html and '<div id="report">' in html


def test_it_still_refuses_an_htmx_request_from_front_of_house(
    client: Client, history: History
) -> None:
    from tests.reports.users import front_of_house

    client.force_login(front_of_house())

    assert client.get(f"/reports/?{DAY}", headers=HTMX).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "period=custom&start=9999-12-31&end=9999-12-31",
        "period=custom&start=0001-01-01&end=9999-12-31",
        f"station={2**63}",
        "station=-1&channel=%00",
        "period=%3Cscript%3E&restaurant=" + "x" * 10_000,
        "start=2026-02-30&end=2026-13-01&period=custom",
    ],
)
def test_it_swaps_in_a_report_for_bad_filters_too(
    manager: Client, history: History, query: str
) -> None:
    response = manager.get(f"/reports/?{query}", headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report">')
    assert "<script>" not in html


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.dictionaries(
        st.sampled_from(["restaurant", "period", "start", "end", "station", "channel", "csv"]),
        st.text(max_size=30),
        max_size=6,
    )
)
def test_it_never_fails_a_swap_whatever_the_filters(
    manager: Client, history: History, params: dict[str, str]
) -> None:
    params.pop("csv", None)  # a download is not a swap
    response = manager.get("/reports/", params, headers=HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="report">')
