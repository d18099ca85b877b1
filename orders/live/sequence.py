"""Per-station sequence numbers, bumped in the transaction that changes a board."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F

from ..models import Station
from . import messages
from .broadcast import on_commit_send
from .groups import station_group


def stations_touch(*, station_ids: Iterable[int], reason: str) -> dict[int, int]:
    """Increments each station's seq and schedules the broadcast for after commit.

    Must run inside the transaction that made the change. Rows are locked in primary
    key order so two transactions touching overlapping stations cannot deadlock.
    """
    ids = sorted(set(station_ids))
    if not ids:
        return {}
    locked = dict(
        Station.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "seq")
    )
    Station.objects.filter(pk__in=list(locked)).update(seq=F("seq") + 1)
    # The rows are locked until commit: nobody else moved them between the two queries.
    seqs = {pk: seq + 1 for pk, seq in locked.items()}
    on_commit_send(
        (station_group(sid), messages.station_changed(seq=seq, reason=reason))
        for sid, seq in seqs.items()
    )
    return seqs
