"""The real `manage.py kds_scheduler` process sends the slips, with its other jobs."""

from __future__ import annotations

import pytest

from orders.models import PrintJob, PrintStatus
from tests import factories
from tests.kitchen.courses.test_scheduler_process import Scheduler
from tests.printing.conftest import PrintKitchen, beef_order
from tests.printing.escpos_decode import decode


@pytest.fixture
def scheduler(transactional_db: None) -> Scheduler:
    return Scheduler()


def test_the_scheduler_process_prints_a_new_ticket_once(
    print_kitchen: PrintKitchen, scheduler: Scheduler
) -> None:
    print_kitchen.fake.off()
    factories.post_webhook(print_kitchen.k.source.slug, print_kitchen.k.secret, beef_order())
    scheduler.start()
    try:
        print_kitchen.fake.on()  # the printer is switched on after the order came in
        (slip,) = print_kitchen.fake.wait_for(1, timeout=30)
    finally:
        output = scheduler.stop()
    assert "#42" in decode(slip).text
    assert "print: printed 1 slip(s)" in output
    assert PrintJob.objects.get().status == PrintStatus.PRINTED
    assert len(print_kitchen.fake.slips) == 1
