"""Print jobs: sending them (the scheduler), back-off, and a manager's reprint.

Each job is printed once. A sender first marks it "sending" and commits, then talks to
the printer, then marks it printed. A sender that dies in between leaves it
"sending"; after SENDING_LEASE it is sent again marked REPRINT (nobody knows whether
the printer got it), so a crash reprints at most the one job in flight. One job per
printer is in flight at a time, oldest first, so a VOID never overtakes its ticket.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..kitchen.language import page_language
from ..models import Printer, PrintJob, PrintReason, PrintStatus
from ..printing.encode import ticket_bytes
from ..printing.fonts import FontMissing
from ..printing.layout import ticket_rows
from ..printing.transport import PrinterUnavailable, printer_send

log = logging.getLogger(__name__)

SENDING_LEASE = timedelta(seconds=60)
BACKOFF_MAX_SECONDS = 60


def backoff(failures: int) -> timedelta:
    """1, 2, 4 … seconds after each failure in a row, at most a minute."""
    return timedelta(seconds=min(BACKOFF_MAX_SECONDS, 2 ** max(0, failures - 1)))


def print_job_bytes(job: PrintJob) -> bytes:
    """The bytes of a job for its printer (raises FontMissing when it needs a font)."""
    printer = job.printer
    restaurant = printer.station.restaurant
    rows = ticket_rows(
        job.payload,
        language=page_language(restaurant=restaurant),
        time_zone=restaurant.time_zone,
        reprint=job.reprint,
    )
    return ticket_bytes(rows, width_dots=printer.paper_width, chinese_font=printer.chinese_font)


@dataclass(frozen=True)
class Outcome:
    printed: int = 0
    failed: int = 0


def _due(now: datetime) -> Q:
    pending = Q(status=PrintStatus.PENDING, next_attempt_at__lte=now)
    stale = Q(status=PrintStatus.SENDING, sending_since__lt=now - SENDING_LEASE)
    return pending | stale


def _claim(printer_id: int, now: datetime) -> PrintJob | None:
    """Takes the printer's oldest due job, unless one of its jobs is already in flight."""
    with transaction.atomic():
        locked = Printer.objects.filter(pk=printer_id)
        if connection.features.has_select_for_update_skip_locked:
            locked = locked.select_for_update(skip_locked=True)
        if not locked.exists():
            return None  # another sender has it
        in_flight = PrintJob.objects.filter(
            printer_id=printer_id,
            status=PrintStatus.SENDING,
            sending_since__gte=now - SENDING_LEASE,
        )
        if in_flight.exists():
            return None
        job = (
            PrintJob.objects.filter(
                printer_id=printer_id,
                status__in=[PrintStatus.PENDING, PrintStatus.SENDING],
            )
            .order_by("created_at", "pk")
            .first()
        )
        if job is None or not PrintJob.objects.filter(_due(now), pk=job.pk).exists():
            return None
        crashed = job.status == PrintStatus.SENDING
        job.status = PrintStatus.SENDING
        job.sending_since = now
        job.attempts += 1
        job.reprint = job.reprint or crashed
        job.save(update_fields=["status", "sending_since", "attempts", "reprint"])
        if crashed:
            log.warning("print job %s was in flight when its sender stopped; reprinting", job.pk)
    return job


def _failed(job: PrintJob, error: str, now: datetime) -> None:
    printer = job.printer
    printer.failures += 1
    printer.retry_at = now + backoff(printer.failures)
    printer.last_error = error[:300]
    printer.save(update_fields=["failures", "retry_at", "last_error"])
    give_up = job.created_at < now - timedelta(minutes=settings.KDS_PRINT_GIVE_UP_MINUTES)
    job.status = PrintStatus.FAILED if give_up else PrintStatus.PENDING
    job.next_attempt_at = printer.retry_at
    job.sending_since = None
    job.last_error = error[:300]
    job.save(update_fields=["status", "next_attempt_at", "sending_since", "last_error"])
    log.warning("print job %s to %s: %s", job.pk, printer, error)


def _printed(job: PrintJob, now: datetime) -> None:
    PrintJob.objects.filter(pk=job.pk).update(
        status=PrintStatus.PRINTED, printed_at=now, sending_since=None, last_error=""
    )
    Printer.objects.filter(pk=job.printer_id).update(
        failures=0, retry_at=None, last_error="", last_printed_at=now
    )


def print_jobs_send(*, now: datetime | None = None) -> Outcome:
    """Sends the due job of each printer that is not backing off; the scheduler's job."""
    now = now or timezone.now()
    printers = (
        PrintJob.objects.filter(_due(now), printer__is_active=True)
        .filter(Q(printer__retry_at__isnull=True) | Q(printer__retry_at__lte=now))
        .values_list("printer_id", flat=True)
        .distinct()
    )
    printed = failed = 0
    for printer_id in sorted(set(printers)):
        job = _claim(printer_id, now)
        if job is None:
            continue
        job = PrintJob.objects.select_related("printer__station__restaurant").get(pk=job.pk)
        try:
            data = print_job_bytes(job)
            printer_send(host=job.printer.host, port=job.printer.port, data=data)
        except (PrinterUnavailable, FontMissing) as exc:
            _failed(job, str(exc), now)
            failed += 1
            continue
        _printed(job, now)
        printed += 1
    return Outcome(printed=printed, failed=failed)


def print_job_reprint(*, job: PrintJob, user: object | None = None) -> PrintJob:
    """A manager's reprint: a new job with the same slip, marked REPRINT, sent at once."""
    now = timezone.now()
    return PrintJob.objects.create(
        printer=job.printer,
        order=job.order,
        kind=job.kind,
        reason=PrintReason.REPRINT,
        payload=job.payload,
        created_at=now,
        next_attempt_at=now,
        reprint=True,
        reprint_of=job,
        requested_by=user if getattr(user, "pk", None) else None,  # type: ignore[misc]
    )
