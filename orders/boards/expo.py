"""What expo shows: whole orders across every station. A pure function of the database.

`expo_board(station)` is the context of `templates/orders/expo.html`'s fragments, as
`board(station)` is for a prep station; `orders.boards.render.board_render` renders it for
screens of expo stations, so the page load and every push share one source of markup
and one render per (station, seq).

A line's state (held, cooking, ready, served) is `orders.kitchen.readiness`'s, as on
the front-of-house tablet and in serving; under each prep station expo shows the
line's state there. Ready orders come first, longest waiting first; their timer counts
from when they became ready.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..kitchen.allergies import is_allergy_note
from ..kitchen.clock import restaurant_clock
from ..kitchen.language import speech_language
from ..kitchen.readiness import LineState, line_state
from ..kitchen.speech import Dish, bcp47, is_chinese, late_phrase, ready_phrase
from ..models import (
    Line,
    LineStation,
    LineStatus,
    Measure,
    Order,
    OrderStatus,
    Station,
    StationKind,
    TicketState,
)
from .fragments import fragment
from .station import PriorityFlags

TEMPLATE = "orders/expo.html"


def dish_for(line: Line, language: str) -> Dish:
    """A line as it is spoken: the menu's name in the speech language, when there is one."""
    item = line.menu_item
    chinese = is_chinese(language)
    name = line.name
    if item is not None:
        name = (item.name_zh or item.name) if chinese else (item.name or line.name)
    measure = item.spoken_measure if item is not None else Measure.PORTION
    return Dish(name=name, quantity=line.quantity, measure=measure)


@dataclass
class ExpoLine:
    placement_id: int  # the expo placement: what expo acts on
    line_id: int
    name: str
    name_zh: str  # the menu's Chinese name, shown first on Chinese screens
    quantity: int
    modifiers: list[str]
    notes: str
    course: int
    state: LineState
    sent_back: bool
    can_send_back: bool  # back to a prep station: a line no station cooks has none
    ready_key: str  # changes each time the line becomes ready; empty while it is not
    say: str
    is_new: bool = False  # added by an update
    is_86: bool = False  # the dish is 86'd (sold out)
    # The menu's allergens and an allergy note, badged as on the station: the pass is
    # the last check before the food leaves.
    allergens: str = ""
    notes_allergy: bool = False

    @property
    def is_ready(self) -> bool:
        return self.state == LineState.READY

    @property
    def is_served(self) -> bool:
        return self.state == LineState.SERVED

    @property
    def is_held(self) -> bool:
        return self.state == LineState.HELD


@dataclass
class StationGroup:
    station_id: int
    name: str
    colour: str
    lines: list[ExpoLine] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.is_ready or line.is_served)

    @property
    def total(self) -> int:
        return len(self.lines)

    @property
    def complete(self) -> bool:
        return self.done == self.total


@dataclass
class ExpoTicket(PriorityFlags):
    order_id: int
    number: str
    channel: str
    channel_label: str
    table: str
    customer_name: str
    priority: str
    notes: str
    is_ready: bool
    since: datetime
    ready_at: datetime | None
    warning_seconds: int
    late_seconds: int
    groups: list[StationGroup]
    say: str
    say_late: str
    # The next course waiting to be fired (expo's "fire course N"), if any.
    held_course: int | None = None
    # A scheduled order not yet in the kitchen: when it goes to the prep screens.
    due_at: datetime | None = None
    fire_at: datetime | None = None

    @property
    def notes_allergy(self) -> bool:
        return is_allergy_note(self.notes)

    @property
    def is_upcoming(self) -> bool:
        return self.due_at is not None

    @property
    def key(self) -> str:
        return f"x{self.order_id}"

    @property
    def since_ms(self) -> int:
        return int(self.since.timestamp() * 1000)

    # An earlier course ready while a later one cooks (a hot pot's base): said too.
    course_ready_key: str = ""
    # Dishes added after the order was served or handed over.
    is_addition: bool = False

    @property
    def ready_key(self) -> str:
        if not self.is_ready or self.ready_at is None:
            return self.course_ready_key
        return f"o{self.order_id}:{int(self.ready_at.timestamp() * 1000)}"

    @property
    def done(self) -> int:
        return sum(g.done for g in self.groups)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)


@dataclass
class ExpoBoard:
    station: Station
    seq: int
    tickets: list[ExpoTicket]
    now: datetime
    # Prep stations with no live screen (orders.actions.presence), flagged in the top bar.
    unseen: list[Station] = field(default_factory=list)

    @property
    def ready_count(self) -> int:
        return sum(1 for t in self.tickets if t.is_ready)

    @property
    def cooking_count(self) -> int:
        return len(self.tickets) - self.ready_count


def _speaks(station: Station, page: str | None) -> str:
    """The station's speech language, else the page's (the screen's own, or its restaurant's)."""
    return speech_language(restaurant=station.restaurant, station=station, requested=page)


def expo_board(
    station: Station, *, now: datetime | None = None, language: str | None = None
) -> ExpoBoard:
    """The expo station's board: every open or ready order it sees, ready ones first.
    `language` is the page's: its calls are said in it unless the station says otherwise."""
    now = now or timezone.now()
    language = _speaks(station, language)
    expo_rows = list(
        LineStation.objects.filter(
            station=station,
            line__status=LineStatus.ACTIVE,
            line__order__status__in=[OrderStatus.OPEN, OrderStatus.READY],
        )
        .select_related("line", "line__order", "line__menu_item", "line__menu_item__category")
        .order_by("line__order_id", "line__course", "line__position", "line_id")
    )
    line_ids = [p.line_id for p in expo_rows]
    prep_by_line: dict[int, list[LineStation]] = {}
    # Every expo station's placement of the line: served is when all are handed over.
    expo_by_line: dict[int, list[str]] = {}
    for p in (
        LineStation.objects.filter(line_id__in=line_ids)
        .select_related("station")
        .order_by("station__position", "station__name")
    ):
        if p.station.kind == StationKind.PREP:
            prep_by_line.setdefault(p.line_id, []).append(p)
        else:
            expo_by_line.setdefault(p.line_id, []).append(p.state)
    by_order: dict[int, list[LineStation]] = {}
    for p in expo_rows:
        by_order.setdefault(p.line.order_id, []).append(p)

    tickets: list[ExpoTicket] = []
    for rows in by_order.values():
        order: Order = rows[0].line.order
        groups: dict[int, StationGroup] = {}
        ready_dishes: list[Dish] = []
        course_states: list[tuple[int, str, datetime | None]] = []
        for expo_p in rows:
            line = expo_p.line
            prep = prep_by_line.get(line.pk, [])
            expo_states = expo_by_line.get(line.pk, [expo_p.state])
            state = line_state(prep=[x.state for x in prep], expo=expo_states)
            dish = dish_for(line, language)
            # A line with nothing to cook is ready from the moment it arrived.
            ready_at = (
                max((x.ready_at for x in prep if x.ready_at), default=None)
                if prep
                else line.created_at
            )
            if state == LineState.READY:
                ready_dishes.append(dish)
            course_states.append((line.course, state, ready_at))
            ready_key = ""
            if state == LineState.READY:
                stamp = int(ready_at.timestamp() * 1000) if ready_at else 0
                ready_key = f"l{expo_p.pk}:{stamp}"
            say = ready_phrase(
                language=language, number=order.display_number, table=order.table, dishes=[dish]
            )
            spots: list[LineStation | None] = list(prep) or [None]
            for spot in spots:
                if spot is None:
                    # No station cooks it (orders.kitchen.readiness): ready on arrival. The
                    # template names this group (station_id 0) in the screen's language.
                    key, name, colour = 0, "", "#64748b"
                else:
                    key, name, colour = spot.station_id, spot.station.name, spot.station.colour
                group = groups.setdefault(key, StationGroup(key, name, colour))
                # The line at this station; a line no station cooks is all one spot.
                here = line_state(prep=[spot.state] if spot else [], expo=expo_states)
                group.lines.append(
                    ExpoLine(
                        placement_id=expo_p.pk,
                        line_id=line.pk,
                        name=line.name,
                        name_zh=line.menu_item.name_zh if line.menu_item else "",
                        quantity=line.quantity,
                        modifiers=[str(m) for m in (line.modifiers or [])],
                        notes=line.notes,
                        course=line.course,
                        state=here,
                        sent_back=any(x.sent_back for x in prep),
                        can_send_back=bool(prep),
                        ready_key=ready_key,
                        say=say,
                        is_new=line.added_by_update,
                        is_86=line.menu_item is not None and not line.menu_item.is_available,
                        allergens=line.menu_item.allergens if line.menu_item else "",
                        notes_allergy=bool(line.notes) and is_allergy_note(line.notes),
                    )
                )
        is_ready = order.status == OrderStatus.READY
        since = (order.ready_at if is_ready else None) or order.placed_at
        prep_rows = [x for r in rows for x in prep_by_line.get(r.line_id, [])]
        held = [x for x in prep_rows if x.state == TicketState.HELD]
        upcoming = bool(prep_rows) and len(held) == len(prep_rows) and order.fire_at is not None
        due_at = (
            min((x.hold_until for x in held if x.hold_until), default=None) if upcoming else None
        )
        tickets.append(
            ExpoTicket(
                order_id=order.pk,
                number=order.display_number,
                channel=order.channel,
                channel_label=str(order.get_channel_display()),
                table=order.table,
                customer_name=order.customer_name,
                priority=order.priority,
                notes=order.notes,
                is_addition=order.reopened_at is not None,
                is_ready=is_ready,
                since=since,
                ready_at=order.ready_at if is_ready else None,
                warning_seconds=station.warning_minutes * 60,
                late_seconds=station.late_minutes * 60,
                groups=list(groups.values()),
                say=ready_phrase(
                    language=language,
                    number=order.display_number,
                    table=order.table,
                    dishes=ready_dishes,
                ),
                say_late=late_phrase(
                    language=language, number=order.display_number, table=order.table
                ),
                held_course=min(
                    (
                        x.line.course
                        for r in rows
                        for x in prep_by_line.get(r.line_id, [])
                        if x.state == TicketState.HELD
                    ),
                    default=None,
                ),
                due_at=due_at,
                fire_at=order.fire_at if due_at else None,
                course_ready_key="" if is_ready else _course_ready_key(order.pk, course_states),
            )
        )
    # Ready first, longest waiting first; then cooking, oldest first; upcoming last, soonest first.
    tickets.sort(key=lambda t: (not t.is_ready, t.is_upcoming, t.due_at or t.since, t.order_id))
    unseen = list(
        Station.objects.filter(
            restaurant_id=station.restaurant_id,
            kind=StationKind.PREP,
            screens_offline_since__isnull=False,
        ).order_by("position", "name")
    )
    return ExpoBoard(station=station, seq=station.seq, tickets=tickets, now=now, unseen=unseen)


def _course_ready_key(order_id: int, lines: list[tuple[int, str, datetime | None]]) -> str:
    """A key for the highest course whose every line is ready (or served) while a later
    course is still to come, so expo calls it out once; "" when there is none."""
    done = {LineState.READY, LineState.SERVED}
    best = ""
    for course in sorted({c for c, _, _ in lines}):
        upto = [(state, at) for c, state, at in lines if c <= course]
        later = [state for c, state, _ in lines if c > course]
        if not later or any(state not in done for state, _ in upto):
            continue
        if not any(state == LineState.READY for state, _ in upto):
            continue  # already carried out
        stamp = max((at for _, at in upto if at), default=None)
        best = f"o{order_id}:c{course}:{int(stamp.timestamp() * 1000) if stamp else 0}"
    return best


def expo_settings(station: Station, *, language: str | None = None) -> dict[str, Any]:
    language = _speaks(station, language)
    return {
        "warning_seconds": station.warning_minutes * 60,
        "late_seconds": station.late_minutes * 60,
        "name": station.name,
        "colour": station.colour,
        "kind": station.kind,
        "speech": {
            "lang": bcp47(language),
            "voice": station.speech_voice,
            "rate": station.speech_rate,
        },
    }


def _ticket_html(t: ExpoTicket) -> str:
    return fragment(
        f"{TEMPLATE}#ticket",
        t,
        lambda: render_to_string(f"{TEMPLATE}#ticket", {"t": t}).strip(),
    )


def expo_render_parts(
    station: Station, language: str
) -> tuple[int, tuple[tuple[str, str], ...], str, dict[str, Any]]:
    """(seq, [(key, html)], summary html, settings) for `orders.boards.render.RenderedBoard`."""
    b = expo_board(station, language=language)
    # Times on the tickets (an upcoming order's start) read in the restaurant's zone.
    with translation.override(language), restaurant_clock(station.restaurant):
        tickets = tuple((t.key, _ticket_html(t)) for t in b.tickets)
        summary = render_to_string(f"{TEMPLATE}#summary", {"b": b}).strip()
    return b.seq, tickets, summary, expo_settings(station, language=language)
