"""Which printers print a change now, as unsaved job rows for the writer to insert.

A printer in *always* mode prints every change of its station. One in *backup* mode
prints only while its station is in backup (`Station.backup_printing_since`, set by the
scheduler's presence check once no screen of the station has been live for the
station's `print_backup_after_seconds`). The caller inserts the rows in the
transaction of the change, so a slip exists exactly when the change does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ..models import (
    Line,
    LineStation,
    Order,
    Printer,
    PrintJob,
    PrintKind,
    PrintMode,
    PrintReason,
    TicketState,
)
from .tickets import ticket_line, ticket_payload

# (station id, line, quantity to print or None for the line's quantity)
Slip = tuple[int, Line, int | None]


def printers_printing(station_ids: Iterable[int]) -> dict[int, list[tuple[Printer, str]]]:
    """The active printers of these stations that print now, each with why."""
    ids = set(station_ids)
    if not ids:
        return {}
    found: dict[int, list[tuple[Printer, str]]] = defaultdict(list)
    for printer in Printer.objects.filter(station_id__in=ids, is_active=True).select_related(
        "station__restaurant"
    ):
        if printer.mode == PrintMode.ALWAYS:
            found[printer.station_id].append((printer, PrintReason.ALWAYS))
        elif printer.station.backup_printing_since is not None:
            found[printer.station_id].append((printer, PrintReason.BACKUP))
    return found


def print_jobs_plan(
    *, order: Order, kind: PrintKind, slips: Iterable[Slip], at: datetime
) -> list[PrintJob]:
    """One job per printing printer of each station in `slips`, with that station's lines."""
    by_station: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for station_id, line, quantity in slips:
        by_station[station_id].append(ticket_line(line, quantity=quantity))
    printing = printers_printing(by_station)
    jobs: list[PrintJob] = []
    for station_id, lines in by_station.items():
        for printer, reason in printing.get(station_id, []):
            payload = ticket_payload(
                order=order, station=printer.station, kind=kind, lines=lines, at=at
            )
            jobs.append(
                PrintJob(
                    printer=printer,
                    order=order,
                    kind=kind,
                    reason=reason,
                    payload=payload,
                    created_at=at,
                    next_attempt_at=at,
                )
            )
    return jobs


def live_slips(placements: Iterable[LineStation]) -> list[Slip]:
    """The placements that just reached a board live (held ones print when they fire)."""
    return [(p.station_id, p.line, None) for p in placements if p.state == TicketState.LIVE]
