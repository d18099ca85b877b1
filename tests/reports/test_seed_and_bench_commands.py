"""kds_seed_history seeds a history the reports can read; kds_bench_reports times them."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from orders import reports
from orders.models import Line, LineStation, Order, OrderEvent, Restaurant

pytestmark = pytest.mark.django_db


def test_it_seeds_exactly_the_lines_asked_for_with_their_log() -> None:
    out = io.StringIO()

    call_command(
        "kds_seed_history", lines=600, days=10, restaurant="seeded", no_progress=True, stdout=out
    )

    restaurant = Restaurant.objects.get(slug="seeded")
    lines = Line.objects.filter(order__restaurant=restaurant)
    assert lines.count() == 600
    assert LineStation.objects.filter(line__in=lines).count() == 600
    assert OrderEvent.objects.filter(order__restaurant=restaurant, kind="bumped").exists()
    assert "Seeded" in out.getvalue() and "600 lines" in out.getvalue()
    scope = reports.report_scope(restaurant=restaurant, period=reports.Period.LAST_30)
    head = reports.headline(scope=scope)
    assert head.orders == Order.objects.filter(restaurant=restaurant).count()
    assert head.prep.count > 0
    assert head.prep.median is not None and head.prep.p90 is not None
    assert head.prep.median < head.prep.p90


def test_it_benchmarks_every_report_against_a_baseline() -> None:
    call_command(
        "kds_seed_history",
        lines=200,
        days=5,
        restaurant="seeded",
        no_progress=True,
        stdout=io.StringIO(),
    )
    out = io.StringIO()

    call_command(
        "kds_bench_reports", restaurant="seeded", runs=2, periods="7", no_progress=True, stdout=out
    )

    text = out.getvalue()
    for name in (
        "baseline: COUNT(*) of lines",
        "headline",
        "by_station",
        "by_dish",
        "by_hour",
        "by_channel",
        "whole page",
    ):
        assert name in text
    assert "Slowest report:" in text
