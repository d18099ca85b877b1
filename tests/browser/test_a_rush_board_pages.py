"""A station at the peak: 120 open tickets, at 1920×1080 and at 1024×768.

The rush ticket sent last is on page 1, held tickets come after every live one as
strips, the page keys and buttons move pages, the marker says what the other pages
hide, and every ticket on page 1 bumps.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction

from orders.live.sequence import stations_touch
from orders.models import ClockFormat, LineStation, Order, Restaurant, Station, TicketState
from tests.browser.conftest import Kitchen2, OpenScreen, Post, board_keys, off_the_loop
from tests.factories import order_body

VIEWPORTS = [(1920, 1080), (1024, 768)]
LIVE = 110
HELD = 9


def busy_station(post: Post) -> str:
    """110 live tickets, 9 held (their first course is the fryer's), then a rush ticket
    with a peanut allergy, sent last: 120 open tickets at the wok. Returns its number."""
    for n in range(1, LIVE + 1):
        post(
            order_body(
                f"o-{n}",
                number=str(n),
                items=[{"id": "l-1", "name": "Mapo tofu", "quantity": 1 + n % 3}],
            )
        )
    for n in range(LIVE + 1, LIVE + HELD + 1):
        items = [
            {"id": "l-1", "name": "Fries", "sku": "FRIES", "quantity": 1, "course": 1},
            {"id": "l-2", "name": "Peking duck", "quantity": 1, "course": 2},
        ]
        post(order_body(f"o-{n}", number=str(n), items=items))
    post(
        order_body(
            "o-rush",
            number="999",
            priority="rush",
            notes="PEANUT ALLERGY",
            items=[{"id": "l-1", "name": "Kung pao chicken", "quantity": 2}],
        )
    )
    return "999"


def on_page(page: Any) -> list[str]:
    return list(
        page.eval_on_selector_all(
            "#board .ticket:not(.off-page)", "els => els.map(e => e.dataset.key)"
        )
    )


def whole_in_sight(page: Any, key: str) -> bool:
    board = page.locator("#board").bounding_box()
    box = page.locator(f"#{key}").bounding_box()
    return bool(
        box
        and box["width"] > 0
        and box["x"] >= board["x"] - 1
        and box["y"] >= board["y"] - 1
        and box["x"] + box["width"] <= board["x"] + board["width"] + 1
        and box["y"] + box["height"] <= board["y"] + board["height"] + 1
    )


def label(page: Any) -> str:
    return str(page.locator("[data-page-label]").inner_text())


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v[0]}x{v[1]}")
def test_it_pages_a_board_of_120_tickets_rush_first_held_last(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post, viewport: tuple[int, int]
) -> None:
    busy_station(post)
    rush = f"t{Order.objects.get(external_id='o-rush').pk}"
    page = open_screen(kitchen2.a, viewport=viewport).page
    page.wait_for_selector("#board .ticket:nth-child(120)", state="attached")
    keys = board_keys(page)

    # Rush first, whatever its age; held tickets after every live one, as strips.
    assert keys[0] == rush
    held = page.eval_on_selector_all(
        "#board .ticket", "els => els.map(e => e.classList.contains('is-held'))"
    )
    assert sum(held) == HELD and held == sorted(held)
    assert page.locator("#board .ticket.is-held:not(.is-compact)").count() == 0
    assert "PEANUT ALLERGY" in page.locator(f"#{rush}").inner_text()

    # Page 1 shows whole tickets, the rush one among them; the others are paged.
    first = on_page(page)
    assert rush in first and 1 < len(first) < 120
    assert all(whole_in_sight(page, key) for key in first)
    pages = int(page.locator("#board").get_attribute("data-pages"))
    assert pages > 1 and label(page) == f"Page 1/{pages}"
    assert page.locator("[data-more]").inner_text().startswith(f"+{120 - len(first)}")
    if viewport[0] < 1100:
        assert not page.locator("#allday").is_visible()

    # Page keys and buttons.
    page.keyboard.press("PageDown")
    assert label(page) == f"Page 2/{pages}"
    second = on_page(page)
    assert second and not set(second) & set(first)
    assert all(whole_in_sight(page, key) for key in second)
    page.keyboard.press("End")
    assert label(page) == f"Page {pages}/{pages}"
    assert set(on_page(page)) & {k for k, h in zip(keys, held, strict=True) if h}
    page.keyboard.press("Home")
    assert label(page) == f"Page 1/{pages}"
    page.click("[data-page='next']")
    assert label(page) == f"Page 2/{pages}"
    page.keyboard.press("PageUp")
    assert on_page(page) == first

    # Every ticket on page 1 bumps, one tap each.
    for key in first:
        page.click(f"#{key} .ticket-head")
        page.wait_for_selector(f"#{key}", state="detached")
    bumped = [int(key[1:]) for key in first]
    page.wait_for_selector("#board[data-waiting='0']", state="attached")
    assert set(
        LineStation.objects.filter(line__order_id__in=bumped, station=kitchen2.a).values_list(
            "state", flat=True
        )
    ) == {TicketState.READY}
    assert len(board_keys(page)) == 120 - len(first)


def test_it_says_what_the_other_pages_hide(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    """ "+N: 1 RUSH · 12 LATE" for the tickets off the page, the urgent named."""
    for n in range(1, 41):
        post(order_body(f"o-{n}", number=str(n)))
    off_the_loop(_late, station=kitchen2.a)
    page = open_screen(kitchen2.a, viewport=(1024, 768)).page
    page.wait_for_selector("#board .ticket:nth-child(40)", state="attached")
    more = page.locator("[data-more]")
    hidden = 40 - len(on_page(page))
    assert hidden > 2 and more.inner_text() == f"+{hidden}: {hidden} LATE"

    post(order_body("o-rush", number="77", priority="rush"))
    page.wait_for_selector("#board .ticket:nth-child(41)", state="attached")
    assert board_keys(page)[0] == f"t{Order.objects.get(external_id='o-rush').pk}"
    page.keyboard.press("PageDown")
    hidden = 41 - len(on_page(page))
    assert more.inner_text() == f"+{hidden}: 1 RUSH · {hidden - 1} LATE"


def _late(*, station: Station) -> None:
    """Every ticket at the station started cooking long ago."""
    with transaction.atomic():
        LineStation.objects.filter(station=station).update(
            fired_at=datetime(2020, 1, 1, tzinfo=UTC)
        )
        stations_touch(station_ids=[station.pk], reason="test")


def test_it_scales_tickets_and_tells_late_by_more_than_colour(
    kitchen2: Kitchen2, open_screen: OpenScreen, post: Post
) -> None:
    post(order_body("o-1", number="1"))
    post(order_body("o-2", number="2"))
    off_the_loop(_late, station=kitchen2.a)
    post(order_body("o-3", number="3"))
    opened = open_screen(kitchen2.a, viewport=(1024, 768))
    page = opened.page
    page.wait_for_selector("#board .ticket.state-late")
    page.wait_for_selector("#board .ticket.state-ok")

    def px(selector: str, prop: str = "fontSize") -> str:
        # A redraw can replace the ticket between finding it and reading its style (a
        # detached element has none): read again.
        for _ in range(20):
            value = str(page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}"))
            if value:
                return value
            page.wait_for_timeout(50)
        raise AssertionError(f"no {prop} for {selector}")

    # The state word is as large as the timer; late is striped and framed, on time is not.
    assert px(".state-late .cue") == px(".state-late .age")
    assert "gradient" in px(".state-late .ticket-head", "backgroundImage")
    assert px(".state-ok .ticket-head", "backgroundImage") == "none"
    assert px(".state-late .cue", "borderTopStyle") == "solid"
    normal = float(px(".ticket .num")[:-2])

    opened.screen.font_size = "xl"
    opened.screen.save(update_fields=["font_size"])
    page.reload()
    page.wait_for_selector("#board .ticket.state-late")
    assert float(px(".ticket .num")[:-2]) == pytest.approx(normal * 1.36, rel=0.02)


def test_it_draws_the_restaurants_clock(kitchen2: Kitchen2, open_screen: OpenScreen) -> None:
    """The top bar's clock: the restaurant's zone and 12-hour format, not the device's."""
    Restaurant.objects.filter(pk=kitchen2.k.restaurant.pk).update(
        time_zone="America/New_York", clock_format=ClockFormat.H12
    )
    page = open_screen(kitchen2.a).page
    page.wait_for_selector("[data-clock]:not(:empty)")
    shown = page.locator("[data-clock]").inner_text()
    zone = zoneinfo.ZoneInfo("America/New_York")
    now = datetime.now(UTC)
    expected = {
        (now + timedelta(minutes=d)).astimezone(zone).strftime("%I:%M %p").lstrip("0")
        for d in (-1, 0, 1)
    }
    assert shown.replace("\u202f", " ") in expected


def test_it_bumps_the_ghost_ticket(kitchen2: Kitchen2, open_screen: OpenScreen, post: Post) -> None:
    """Course 1 ready, course 2's only dish voided: one tap on the header clears the
    ticket for good (it stayed with a ticked line that no bump could move)."""
    items = [
        {"id": "l-1", "name": "Spring rolls", "quantity": 1, "course": 1},
        {"id": "l-2", "name": "Peking duck", "quantity": 1, "course": 2},
    ]
    post(order_body("o-1", number="501", items=items))
    post(order_body("o-2", number="502"))
    page = open_screen(kitchen2.a, viewport=(1024, 768)).page
    order = Order.objects.get(external_id="o-1")
    key = f"t{order.pk}"
    page.click(f"#{key} .line:has-text('Spring rolls')")
    page.wait_for_selector(f"#{key} .line.is-ready:has-text('Spring rolls')")
    post(order_body("o-1", kind="order.updated", number="501", items=items[:1]))
    page.wait_for_selector(f"#{key} .line.is-void")

    page.click(f"#{key} .ticket-head")

    page.wait_for_selector(f"#{key}", state="detached", timeout=3000)
    page.wait_for_selector("#board[data-waiting='0']", state="attached")
    page.reload()
    page.wait_for_selector("#board .ticket")
    assert board_keys(page) == [f"t{Order.objects.get(external_id='o-2').pk}"]
