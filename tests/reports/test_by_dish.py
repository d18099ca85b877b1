"""The slowest dishes and those most often late, with their late thresholds and prep times."""

from __future__ import annotations

import pytest

from orders import reports
from tests.reports.history import make_history

pytestmark = pytest.mark.django_db


def test_it_ranks_dishes_by_median_ticket_time_against_the_target() -> None:
    h = make_history()
    for minutes in (9, 11, 15):  # steak: target 10, late after 12 (the grill's)
        h.ticket(h.order(h.at("12:00")), minutes=minutes, item=h.steak)
    for minutes in (3, 5, 7, 8):  # noodles at the wok: target 4, late after 6
        h.ticket(h.order(h.at("12:00")), minutes=minutes, station=h.wok, item=h.noodles)
    h.ticket(h.order(h.at("12:00")), minutes=2.5, item=h.salad)  # target 2, late after 3

    report = reports.by_dish(scope=h.scope())

    assert [d.name for d in report.slowest] == ["Steak", "Dan dan noodles", "Salad"]
    steak, noodles, salad = report.slowest
    assert steak.prep.median == pytest.approx(11 * 60, abs=0.01)
    assert steak.prep_minutes == 10
    assert steak.over_prep_time == pytest.approx(60, abs=0.01)
    assert (steak.late_after, noodles.late_after, salad.late_after) == (12 * 60, 6 * 60, 3 * 60)
    assert noodles.prep.median == pytest.approx(6 * 60, abs=0.01)
    assert noodles.over_prep_time == pytest.approx(2 * 60, abs=0.01)
    assert salad.over_prep_time == pytest.approx(30, abs=0.01)
    assert [d.lateness for d in report.slowest] == ["some", "most", "none"]
    # Late: noodles 2 of 4, steak 1 of 3, salad none.
    assert [(d.name, d.prep.late) for d in report.most_late] == [
        ("Dan dan noodles", 2),
        ("Steak", 1),
    ]


def test_it_keeps_the_top_of_each_list() -> None:
    h = make_history()
    h.ticket(h.order(h.at("12:00")), minutes=20, item=h.steak)
    h.ticket(h.order(h.at("12:00")), minutes=9, station=h.wok, item=h.noodles)

    report = reports.by_dish(scope=h.scope(), limit=1)

    assert [d.name for d in report.slowest] == ["Steak"]
    assert [d.name for d in report.most_late] == ["Dan dan noodles"]


def test_a_dish_made_at_two_stations_has_the_range_of_their_thresholds() -> None:
    h = make_history()
    h.ticket(h.order(h.at("12:00")), minutes=5, station=h.wok, item=h.steak)  # late after 6
    h.ticket(h.order(h.at("12:00")), minutes=5, station=h.grill, item=h.steak)  # after 12

    (steak,) = reports.by_dish(scope=h.scope()).slowest

    assert (steak.late_after, steak.late_after_max) == (6 * 60, 12 * 60)


def test_a_dishs_threshold_makes_it_late_sooner_never_later() -> None:
    """The stricter of the dish's and the station's, as on the screens."""
    h = make_history()
    h.steak.late_minutes = 20  # slower than either station allows
    h.steak.save(update_fields=["late_minutes"])
    h.ticket(h.order(h.at("12:00")), minutes=7, station=h.wok, item=h.steak)  # wok: 6
    h.ticket(h.order(h.at("12:00")), minutes=2.5, station=h.grill, item=h.salad)  # salad: 3

    report = reports.by_dish(scope=h.scope())

    by_name = {d.name: d for d in report.slowest}
    assert by_name["Steak"].late_after == 6 * 60 and by_name["Steak"].prep.late == 1
    assert by_name["Salad"].late_after == 3 * 60 and by_name["Salad"].prep.late == 0
