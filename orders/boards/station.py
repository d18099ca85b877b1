"""What a prep station shows: a pure function of the database.

`board(station)` is the context the ticket fragments are rendered from. The page
load, the snapshot a screen gets after (re)connecting and every pushed change are
rendered from it through the same template partials (`orders.boards.render`), so
they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from ..kitchen.allergies import is_allergy_note
from ..models import (
    Channel,
    HeldCourseDisplay,
    LineStation,
    LineStatus,
    Order,
    OrderStatus,
    Priority,
    Station,
    StationKind,
    TicketState,
)
from .fragments import fragment

TEMPLATE = "orders/station.html"


@dataclass
class BoardLine:
    placement_id: int
    line_id: int
    name: str
    name_zh: str  # the menu's Chinese name, shown first on Chinese screens
    quantity: int
    voided_quantity: int
    modifiers: list[str]
    notes: str
    notes_allergy: bool
    allergens: str
    course: int
    seat: int | None
    state: str
    is_new: bool
    is_void: bool  # the whole line is voided
    void_pending: bool
    unmapped: bool
    sent_back: bool
    since: datetime | None
    # A held line due at a set time (pacing, a course delay, a scheduled order).
    hold_until: datetime | None = None
    # The dish is 86'd (sold out): flagged on every screen (`orders.actions.menu`).
    is_86: bool = False
    menu_item_id: int | None = None

    @property
    def starts_ms(self) -> int | None:
        return int(self.hold_until.timestamp() * 1000) if self.hold_until else None

    @property
    def is_ready(self) -> bool:
        return self.state == TicketState.READY

    @property
    def is_held(self) -> bool:
        return self.state == TicketState.HELD


class PriorityFlags:
    """Rush and VIP, for tickets on any screen (the station's and expo's)."""

    priority: str

    @property
    def is_rush(self) -> bool:
        return self.priority == Priority.RUSH

    @property
    def is_vip(self) -> bool:
        return self.priority == Priority.VIP


@dataclass
class Ticket(PriorityFlags):
    order_id: int
    number: str
    channel: str
    channel_label: str | Promise  # lazy: rendered in the screen's language
    table: str
    customer_name: str
    priority: str
    notes: str
    cancelled: bool
    since: datetime
    warning_seconds: int
    late_seconds: int
    lines: list[BoardLine] = field(default_factory=list)
    # Dishes added after the order was served or handed over (its new lines say "NEW").
    is_addition: bool = False
    show_held_in_full: bool = False

    @property
    def key(self) -> str:
        return f"t{self.order_id}"

    @property
    def void_pending(self) -> bool:
        return self.cancelled or any(line.void_pending for line in self.lines)

    @property
    def notes_allergy(self) -> bool:
        return is_allergy_note(self.notes)

    @property
    def since_ms(self) -> int:
        return int(self.since.timestamp() * 1000)

    @property
    def all_held(self) -> bool:
        """Nothing to cook yet: every line still to do is held."""
        todo = [line for line in self.lines if not line.void_pending and not line.is_ready]
        return bool(todo) and all(line.is_held for line in todo)

    @property
    def rank(self) -> int:
        """Where the ticket goes on the board: rush and VIP first, then the rest, and held
        tickets (nothing to cook yet) after every live one; by age within each."""
        if self.all_held:
            return 2
        return 0 if self.is_rush or self.is_vip else 1

    @property
    def compact(self) -> bool:
        """Held tickets shrink to a strip, unless the station shows them in full or a
        void on it waits to be seen."""
        return self.all_held and not self.void_pending and not self.show_held_in_full

    @property
    def held_count(self) -> int:
        return sum(line.quantity for line in self.lines if line.is_held)

    @property
    def starts_ms(self) -> int | None:
        """When the first held line is due, if any is due at a set time."""
        due = [line.starts_ms for line in self.lines if line.is_held and line.starts_ms]
        return min(due, default=None)


@dataclass
class AllDay:
    name: str
    quantity: int
    name_zh: str = ""  # the menu's Chinese name, shown on Chinese screens


@dataclass
class Board:
    station: Station
    seq: int
    tickets: list[Ticket]
    all_day: list[AllDay]
    now: datetime


def _thresholds(station: Station, placements: list[LineStation]) -> tuple[int, int]:
    """The ticket's warning and late thresholds in seconds: the strictest of the station's
    and its dishes' own (a dish's threshold can make its ticket late sooner, never later)."""
    warning = [
        p.line.menu_item.warning_minutes
        for p in placements
        if p.line.menu_item and p.line.menu_item.warning_minutes
    ]
    late = [
        p.line.menu_item.late_minutes
        for p in placements
        if p.line.menu_item and p.line.menu_item.late_minutes
    ]
    w = min([station.warning_minutes, *warning])
    lt = min([station.late_minutes, *late])
    if w >= lt:
        w = max(1, lt - 1) if lt > 1 else lt
    return w * 60, lt * 60


def _board_line(p: LineStation) -> BoardLine:
    line = p.line
    allergens = line.menu_item.allergens if line.menu_item else ""
    return BoardLine(
        placement_id=p.pk,
        line_id=line.pk,
        name=line.name,
        name_zh=line.menu_item.name_zh if line.menu_item else "",
        quantity=line.quantity,
        voided_quantity=line.voided_quantity,
        modifiers=[str(m) for m in (line.modifiers or [])],
        notes=line.notes,
        notes_allergy=bool(line.notes) and is_allergy_note(line.notes),
        allergens=allergens,
        course=line.course,
        seat=line.seat,
        state=p.state,
        is_new=line.added_by_update,
        is_void=line.status == LineStatus.VOIDED or line.order.status == OrderStatus.CANCELLED,
        void_pending=p.void_pending,
        unmapped=line.unmapped,
        sent_back=p.sent_back,
        since=p.fired_at,
        hold_until=p.hold_until if p.state == TicketState.HELD else None,
        is_86=line.menu_item is not None and not line.menu_item.is_available,
        menu_item_id=line.menu_item_id,
    )


# What a ticket is built from: loading only these, rather than every column of four
# tables (most of them timestamps, each parsed), halves the cost of reading a board.
# A field the board reads and this list lacks costs a query per ticket:
# tests/screens/test_board_queries.py fails on it.
BOARD_FIELDS = (
    "line_id",
    "station_id",
    "state",
    "hold_until",
    "fired_at",
    "void_pending",
    "sent_back",
    *(
        f"line__{name}"
        for name in (
            "order_id",
            "menu_item_id",
            "name",
            "quantity",
            "voided_quantity",
            "modifiers",
            "notes",
            "course",
            "seat",
            "status",
            "added_by_update",
            "unmapped",
            "position",
        )
    ),
    *(
        f"line__order__{name}"
        for name in (
            "number",
            "external_id",
            "channel",
            "table",
            "customer_name",
            "priority",
            "notes",
            "status",
            "placed_at",
            "fire_at",
            "reopened_at",
        )
    ),
    *(
        f"line__menu_item__{name}"
        for name in ("name_zh", "allergens", "warning_minutes", "late_minutes", "is_available")
    ),
)


def open_placements(station: Station) -> list[LineStation]:
    """The placements a station's board is built from, oldest first."""
    on_board = Q(state=TicketState.LIVE) | Q(void_pending=True)
    if station.held_course_display != HeldCourseDisplay.HIDE:
        # A scheduled order stays off the prep screens until it starts somewhere.
        started = LineStation.objects.filter(
            line__order=OuterRef("line__order"), station__kind=StationKind.PREP
        ).exclude(state=TicketState.HELD)
        on_board |= Q(state=TicketState.HELD) & (
            Q(line__order__fire_at__isnull=True) | Q(Exists(started))
        )
    # Never on a board: a served order, a cancel or a void the station has acknowledged.
    # Orders are chosen with the same exclusions as their rows, so a voided line still
    # live or held here cannot keep a ticket of ticked lines that no bump could clear.
    gone = (
        Q(line__order__status=OrderStatus.SERVED)
        | (Q(line__order__status=OrderStatus.CANCELLED) & Q(void_pending=False))
        | (Q(line__status=LineStatus.VOIDED) & Q(void_pending=False))
    )
    # Orders with anything still to do here; their finished lines are shown ticked.
    open_orders = (
        LineStation.objects.filter(station=station)
        .filter(on_board)
        .exclude(gone)
        .values("line__order_id")
    )
    rows = (
        LineStation.objects.filter(station=station, line__order_id__in=open_orders)
        .filter(on_board | Q(state=TicketState.READY, line__status=LineStatus.ACTIVE))
        .exclude(gone)
        .select_related("line", "line__order", "line__menu_item")
        .only(*BOARD_FIELDS)
        .order_by(
            "line__order__placed_at", "line__order_id", "line__course", "line__position", "line_id"
        )
    )
    return list(rows)


def board(station: Station, *, now: datetime | None = None) -> Board:
    """The station's board: its open tickets (rush and VIP first, held last, each oldest
    first) and the all-day counts."""
    now = now or timezone.now()
    placements = open_placements(station)
    by_order: dict[int, list[LineStation]] = {}
    for p in placements:
        by_order.setdefault(p.line.order_id, []).append(p)
    tickets: list[Ticket] = []
    for group in by_order.values():
        order: Order = group[0].line.order
        # A ticket's age counts from its earliest working line; held-only tickets from arrival.
        times = [p.fired_at for p in group if p.fired_at and p.state != TicketState.HELD]
        since = min(times, default=None) or order.placed_at
        warning, late = _thresholds(station, group)
        tickets.append(
            Ticket(
                order_id=order.pk,
                number=order.display_number,
                channel=order.channel,
                channel_label=Channel(order.channel).label
                if order.channel in Channel.values
                else order.channel,
                table=order.table,
                customer_name=order.customer_name,
                priority=order.priority,
                notes=order.notes,
                cancelled=order.status == OrderStatus.CANCELLED,
                is_addition=order.reopened_at is not None,
                since=since,
                warning_seconds=warning,
                late_seconds=late,
                lines=[_board_line(p) for p in group],
                show_held_in_full=station.held_course_display == HeldCourseDisplay.FULL,
            )
        )
    tickets.sort(key=lambda t: (t.rank, t.since, t.order_id))
    totals: dict[tuple[str, str], int] = {}
    for p in placements:
        if (
            p.state == TicketState.LIVE
            and not p.void_pending
            and p.line.status == LineStatus.ACTIVE
        ):
            if p.line.order.status == OrderStatus.CANCELLED:
                continue
            dish = (p.line.name, p.line.menu_item.name_zh if p.line.menu_item else "")
            totals[dish] = totals.get(dish, 0) + p.line.quantity
    all_day = [
        AllDay(name, qty, name_zh)
        for (name, name_zh), qty in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return Board(station=station, seq=station.seq, tickets=tickets, all_day=all_day, now=now)


# ---------------------------------------------------------------- rendering


def station_settings(station: Station) -> dict[str, Any]:
    return {
        "warning_seconds": station.warning_minutes * 60,
        "late_seconds": station.late_minutes * 60,
        "name": station.name,
        "colour": station.colour,
    }


def station_render_parts(
    station: Station, language: str
) -> tuple[int, tuple[tuple[str, str], ...], str, dict[str, Any]]:
    """(seq, [(key, html)], all-day html, settings) for `orders.boards.render.RenderedBoard`."""
    b = board(station)
    with translation.override(language):
        tickets = tuple((t.key, _ticket_html(t, station)) for t in b.tickets)
        all_day = render_to_string(f"{TEMPLATE}#allday", {"all_day": b.all_day}).strip()
    return b.seq, tickets, all_day, station_settings(station)


def _ticket_html(t: Ticket, station: Station) -> str:
    return fragment(
        f"{TEMPLATE}#ticket",
        t,
        lambda: render_to_string(f"{TEMPLATE}#ticket", {"t": t, "station": station}).strip(),
    )
