"""The Percentile aggregate gives PostgreSQL's percentile_cont answers on every database."""

from __future__ import annotations

import random

import pytest

from orders import reports
from orders.models import LineStation
from tests.reports.history import make_history

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fraction", [0.0, 0.25, 0.5, 0.9, 1.0])
def test_it_matches_a_reference_percentile_cont(fraction: float) -> None:
    h = make_history()
    rng = random.Random(5)
    durations = [rng.randrange(30, 1800) for _ in range(37)]
    for seconds in durations:
        h.ticket(h.order(h.at("12:00")), minutes=seconds / 60)

    got = LineStation.objects.aggregate(
        p=reports.Percentile(reports.Seconds("ready_at", "fired_at"), fraction)
    )["p"]

    assert got == pytest.approx(
        reports.percentile_cont([float(d) for d in durations], fraction), abs=0.01
    )


def test_it_knows_the_reference_answers() -> None:
    assert reports.percentile_cont([1, 2, 3, 4, 10], 0.5) == 3
    assert reports.percentile_cont([1, 2, 3, 10], 0.5) == 2.5
    assert reports.percentile_cont([1, 2, 3, 4, 10], 0.9) == pytest.approx(7.6)
    assert reports.percentile_cont([], 0.5) is None


def test_it_refuses_a_fraction_outside_zero_to_one() -> None:
    with pytest.raises(ValueError):
        reports.Percentile("ready_at", 1.5)
