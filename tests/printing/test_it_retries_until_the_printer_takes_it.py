"""Printing never blocks intake: a printer that is off, out of paper or gone mid-job
holds its jobs, retried with back-off, each printed once."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from orders.actions.printing import SENDING_LEASE, backoff, print_jobs_send
from orders.models import PrintJob, PrintStatus
from tests import factories
from tests.printing.conftest import PrintKitchen, beef_order
from tests.printing.escpos_decode import decode
from tests.printing.fake_printer import PAPER_OK, PAPER_OUT


def order(pk: PrintKitchen, order_id: str = "o-1") -> None:
    response = factories.post_webhook(pk.k.source.slug, pk.k.secret, beef_order(order_id))
    assert response.status_code == 201  # stored and answered whatever the printer does


def test_it_prints_once_the_printer_is_back(print_kitchen: PrintKitchen) -> None:
    print_kitchen.fake.off()
    order(print_kitchen)
    now = timezone.now()
    assert print_jobs_send(now=now).failed == 1
    job = PrintJob.objects.get()
    assert job.status == PrintStatus.PENDING and job.attempts == 1
    assert "cannot connect" in job.last_error
    print_kitchen.printer.refresh_from_db()
    assert print_kitchen.printer.retry_at == now + backoff(1)

    # Still down a second later: backing off, nothing is tried before retry_at.
    assert print_jobs_send(now=now + timedelta(milliseconds=10)).failed == 0
    print_jobs_send(now=now + timedelta(seconds=1))
    job.refresh_from_db()
    assert job.attempts == 2

    print_kitchen.fake.on()
    assert print_jobs_send(now=now + timedelta(seconds=5)).printed == 1
    assert len(print_kitchen.fake.wait_for(1)) == 1
    job.refresh_from_db()
    assert job.status == PrintStatus.PRINTED
    print_kitchen.printer.refresh_from_db()
    assert print_kitchen.printer.failures == 0 and not print_kitchen.printer.last_error
    # Printed once: nothing is sent again.
    assert print_jobs_send(now=now + timedelta(seconds=60)).printed == 0
    assert len(print_kitchen.fake.slips) == 1


def test_it_waits_while_the_printer_is_out_of_paper(print_kitchen: PrintKitchen) -> None:
    print_kitchen.fake.status = PAPER_OUT
    order(print_kitchen)
    assert print_jobs_send().failed == 1
    assert "out of paper" in PrintJob.objects.get().last_error
    assert print_kitchen.fake.slips == []
    print_kitchen.fake.status = PAPER_OK
    assert print_jobs_send(now=timezone.now() + timedelta(seconds=2)).printed == 1
    assert len(print_kitchen.fake.wait_for(1)) == 1


def test_it_backs_off_up_to_a_minute() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 7, 50)] == [1, 2, 4, 60, 60]


def test_it_gives_up_on_a_job_older_than_the_limit(print_kitchen: PrintKitchen) -> None:
    print_kitchen.fake.off()
    order(print_kitchen)
    later = timezone.now() + timedelta(minutes=31)
    print_jobs_send(now=later)
    job = PrintJob.objects.get()
    assert job.status == PrintStatus.FAILED and "cannot connect" in job.last_error


def test_a_crash_mid_job_reprints_that_job_only_marked_reprint(print_kitchen: PrintKitchen) -> None:
    order(print_kitchen, "o-1")
    order(print_kitchen, "o-2")
    first, second = PrintJob.objects.order_by("pk")
    # A sender took the first job and died before it could mark it printed.
    started = timezone.now()
    PrintJob.objects.filter(pk=first.pk).update(
        status=PrintStatus.SENDING, sending_since=started, attempts=1
    )
    # While its lease runs, nobody else sends to that printer: not even the next job.
    assert print_jobs_send(now=started + timedelta(seconds=5)).printed == 0
    # After the lease, the job in flight is sent again, marked REPRINT; then the next one.
    after = started + SENDING_LEASE + timedelta(seconds=1)
    assert print_jobs_send(now=after).printed == 1
    assert print_jobs_send(now=after).printed == 1
    slips = [decode(s) for s in print_kitchen.fake.wait_for(2)]
    assert slips[0].rows[0].text == "REPRINT" and slips[0].rows[0].invert
    assert "REPRINT" not in slips[1].text
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.reprint and first.attempts == 2 and first.status == PrintStatus.PRINTED
    assert not second.reprint and second.attempts == 1
