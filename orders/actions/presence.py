"""The scheduler's presence check: which stations have lost every screen, and back.

A station with no live screen (`orders.live.presence`) is marked `screens_offline_since`
(expo flags it); once that has lasted the station's `print_backup_after_seconds`, it is
in backup (`backup_printing_since`) and its backup printers print: from then on every
change, in the change's own transaction (`orders.printing.plan`), and at once what
arrived since the screens went away; and the outbound `station.offline` event goes
out, once per outage (`offline_reported_at`). When a screen is live again the marks
clear.

Several schedulers may run this at once: each mark is set by a conditional UPDATE, and
only the one that changed the row acts on it. The catch-up is a sweep that runs on
every check while in backup and prints an order only if the printer has no slip of it
since the screens went away: an order whose transaction read "not in backup" just
before the mark was set is caught by the next sweep, and never printed twice (its
job, if it has one, commits with the order).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from ..live.presence import stations_with_live_screens
from ..live.sequence import stations_touch
from ..models import (
    LineStation,
    LineStatus,
    OrderStatus,
    Printer,
    PrintJob,
    PrintKind,
    PrintMode,
    PrintReason,
    Screen,
    Station,
    StationKind,
    TicketState,
)
from ..outbox.events import STATION_OFFLINE, outbox_emit, station_data
from ..printing.plan import print_jobs_plan

log = logging.getLogger(__name__)


@dataclass
class PresenceChanges:
    offline: list[int] = field(default_factory=list)
    online: list[int] = field(default_factory=list)
    backup: list[int] = field(default_factory=list)
    reported: list[int] = field(default_factory=list)  # station.offline sent
    caught_up: int = 0

    @property
    def count(self) -> int:
        return len(self.offline) + len(self.online) + len(self.backup) + self.caught_up


def _last_seen(station_ids: list[int], now: datetime) -> dict[int, datetime]:
    rows = (
        Screen.objects.filter(station_id__in=station_ids)
        .values("station_id")
        .annotate(seen=Max("last_seen_at"), gone=Max("disconnected_at"))
    )
    found: dict[int, datetime] = {}
    for row in rows:
        times = [t for t in (row["seen"], row["gone"]) if t is not None]
        if times:
            found[row["station_id"]] = max(times)
    return found


def _catch_up(station: Station, now: datetime) -> int:
    """Slips for what reached the station live since its screens went away, once per order."""
    since = station.screens_offline_since
    assert since is not None
    jobs: list[PrintJob] = []
    for printer in Printer.objects.filter(
        station=station, is_active=True, mode=PrintMode.BACKUP
    ).select_related("station__restaurant"):
        printed = PrintJob.objects.filter(
            printer=printer, order_id=OuterRef("line__order_id"), created_at__gte=since
        )
        placements = (
            LineStation.objects.filter(
                station=station, state=TicketState.LIVE, line__status=LineStatus.ACTIVE
            )
            .filter(Q(line__created_at__gte=since) | Q(fired_at__gte=since))
            .exclude(line__order__status__in=[OrderStatus.CANCELLED, OrderStatus.SERVED])
            .exclude(Exists(printed))
            .select_related("line", "line__order", "line__menu_item")
            .order_by("line__order__placed_at", "line__order_id", "line__position")
        )
        by_order: dict[int, list[LineStation]] = defaultdict(list)
        for p in placements:
            by_order[p.line.order_id].append(p)
        for group in by_order.values():
            for job in print_jobs_plan(
                order=group[0].line.order,
                kind=PrintKind.TICKET,
                slips=[(station.pk, p.line, None) for p in group],
                at=now,
            ):
                if job.printer_id == printer.pk:
                    job.reason = PrintReason.CATCH_UP
                    jobs.append(job)
    PrintJob.objects.bulk_create(jobs)
    return len(jobs)


def _report_offline(
    station: Station, offline_since: datetime, now: datetime, changes: PresenceChanges
) -> None:
    """The outbound `station.offline` event, once per outage, when backup would start."""
    if station.offline_reported_at is not None:
        return
    if not Screen.objects.filter(
        station=station, paired_at__isnull=False, revoked_at__isnull=True
    ).exists():
        return  # a station nobody set a screen up for has no screens to lose
    if not Station.objects.filter(pk=station.pk, offline_reported_at__isnull=True).update(
        offline_reported_at=now
    ):
        return
    minutes = int((now - offline_since).total_seconds() // 60)
    outbox_emit(
        restaurant_id=station.restaurant_id,
        event_type=STATION_OFFLINE,
        data=station_data(station, last_seen_at=offline_since, minutes=minutes),
        now=now,
    )
    changes.reported.append(station.pk)


def stations_presence_check(*, now: datetime | None = None) -> PresenceChanges:
    """Marks stations that lost or regained their screens; starts and feeds backup printing."""
    now = now or timezone.now()
    changes = PresenceChanges()
    with transaction.atomic():
        stations = list(Station.objects.all())
        live = stations_with_live_screens([s.pk for s in stations], now=now)
        gone = [s.pk for s in stations if s.pk not in live and s.screens_offline_since is None]
        seen = _last_seen(gone, now)
        for station in stations:
            if station.pk in live:
                if station.screens_offline_since is not None and Station.objects.filter(
                    pk=station.pk, screens_offline_since__isnull=False
                ).update(
                    screens_offline_since=None, backup_printing_since=None, offline_reported_at=None
                ):
                    changes.online.append(station.pk)
                continue
            if station.screens_offline_since is None:
                since = min(seen.get(station.pk, now), now)
                if Station.objects.filter(pk=station.pk, screens_offline_since__isnull=True).update(
                    screens_offline_since=since
                ):
                    station.screens_offline_since = since
                    changes.offline.append(station.pk)
            after = timedelta(seconds=station.print_backup_after_seconds)
            offline_since = station.screens_offline_since
            if offline_since is not None and offline_since + after <= now:
                _report_offline(station, offline_since, now, changes)
            if station.backup_printing_since is None:
                if offline_since is None or offline_since + after > now:
                    continue
                if not Station.objects.filter(
                    pk=station.pk, backup_printing_since__isnull=True
                ).update(backup_printing_since=now):
                    continue
                station.backup_printing_since = now
                changes.backup.append(station.pk)
            changes.caught_up += _catch_up(station, now)
        changed = {*changes.offline, *changes.online, *changes.backup}
        if changed:
            # Expo flags stations without a live screen: redraw the expo boards concerned.
            restaurants = {s.restaurant_id for s in stations if s.pk in changed}
            expo = Station.objects.filter(restaurant_id__in=restaurants, kind=StationKind.EXPO)
            stations_touch(station_ids=expo.values_list("pk", flat=True), reason="presence")
    for pk in changes.offline:
        log.warning("station %s has no live screen", pk)
    for pk in changes.backup:
        log.warning("station %s: backup printing started", pk)
    return changes
