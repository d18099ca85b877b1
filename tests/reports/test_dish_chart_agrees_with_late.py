"""The page draws a dish the way it lists it: a bar is coloured by the dish's share of
late tickets, the figure written beside it, against the threshold that makes a ticket
late. (It used to compare the median with the menu's prep time: a dish drawn "within
target" while listed 50 % late.)"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.reports import charts
from tests.reports.history import History, make_history
from tests.reports.users import kitchen_manager

pytestmark = pytest.mark.django_db

QUERY = "period=custom&start=2026-03-10&end=2026-03-10"
COLOUR = {"none": charts.BAR, "some": charts.SOME_LATE, "most": charts.LATE}


def dish_bars(client: Client) -> dict[str, tuple[str, str, str]]:
    """Each dish of the slowest-dishes chart: (bar colour, tooltip, the note beside it)."""
    html = client.get(f"/reports/?{QUERY}").content.decode()
    chart = html[html.index("Slowest dishes: median ticket time") :]
    chart = chart[: chart.index("</svg>")]
    names = re.findall(
        r'<text x="\d+(?:\.\d+)?" y="[\d.]+" text-anchor="end">([^<]+)</text>', chart
    )
    bars = re.findall(
        r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="\d+" fill="(#[0-9a-f]+)"><title>([^<]+)</title>',
        chart,
    )
    notes = re.findall(r'<text x="[\d.]+" y="[\d.]+">(\d+% late|— late)</text>', chart)
    assert len(names) == len(bars) == len(notes), chart
    return {n: (fill, tip, note) for n, (fill, tip), note in zip(names, bars, notes, strict=True)}


@pytest.fixture
def manager(client: Client) -> Client:
    client.force_login(kitchen_manager())
    return client


def test_a_dish_half_late_is_drawn_late_whatever_its_prep_time(manager: Client) -> None:
    h = make_history()
    h.steak.prep_minutes = 20  # a generous target the median is well within
    h.steak.save()
    for minutes in (4, 13):  # the grill is late after 12: one of two
        h.ticket(h.order(h.at("12:00")), minutes=minutes, item=h.steak)

    fill, tip, note = dish_bars(manager)["Steak"]

    assert note == "50% late"
    assert fill == charts.LATE
    assert "late after 12:00" in tip


def test_a_dish_never_late_is_drawn_on_time_though_slower_than_its_prep_time(
    manager: Client,
) -> None:
    h = make_history()
    h.ticket(h.order(h.at("12:00")), minutes=11, item=h.steak)  # prep 10, late after 12

    fill, _, note = dish_bars(manager)["Steak"]

    assert (fill, note) == (charts.BAR, "0% late")


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(times=st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=6))
def test_the_colour_always_follows_the_share_written_beside_it(
    manager: Client, times: list[int]
) -> None:
    from orders.models import Order

    Order.objects.all().delete()
    h: History = make_history() if not hasattr(manager, "history") else manager.history  # type: ignore[attr-defined]
    manager.history = h  # type: ignore[attr-defined]
    for minutes in times:
        h.ticket(h.order(h.at("12:00")), minutes=minutes, station=h.wok, item=h.noodles)

    fill, _, note = dish_bars(manager)["Dan dan noodles"]

    late = sum(1 for t in times if t > 6) / len(times)  # the wok: late after 6 minutes
    assert note == f"{late * 100:.0f}% late"
    assert fill == COLOUR["most" if late >= 0.5 else "some" if late else "none"]


def test_a_ticket_exactly_at_the_threshold_is_not_late(manager: Client) -> None:
    h = make_history()
    h.ticket(h.order(h.at("12:00")), minutes=6, station=h.wok, item=h.noodles)  # late after 6

    fill, _, note = dish_bars(manager)["Dan dan noodles"]

    assert (fill, note) == (charts.BAR, "0% late")
