"""A printed ticket has what the station's screen shows, in ESC/POS a printer takes.

Orders go in through the webhook; the scheduler's sender (`print_jobs_send`) sends the
job to a real TCP listener, and the bytes it got are decoded and read.
"""

from __future__ import annotations

from orders.actions.printing import print_jobs_send
from orders.models import PrintJob, PrintKind, PrintStatus
from tests import factories
from tests.printing.conftest import PrintKitchen, beef_order
from tests.printing.escpos_decode import decode


def post(pk: PrintKitchen, body: dict[str, object]) -> None:
    response = factories.post_webhook(pk.k.source.slug, pk.k.secret, body)
    assert response.status_code in (200, 201), response.content


def test_it_prints_a_new_ticket_with_everything_the_screen_shows(
    print_kitchen: PrintKitchen,
) -> None:
    post(print_kitchen, beef_order())
    job = PrintJob.objects.get()
    assert (job.kind, job.reason, job.status) == (PrintKind.TICKET, "always", PrintStatus.PENDING)

    assert print_jobs_send().printed == 1
    (slip,) = print_kitchen.fake.wait_for(1)
    printed = decode(slip)
    assert printed.initialised_first and printed.cut_last
    assert not printed.images  # English: the printer's own font
    assert printed.row("#42").big
    assert printed.row("Table A12").tall
    assert "Dine-in · Wang" in printed.text
    rush = printed.row("RUSH")
    assert rush.invert and rush.bold
    assert printed.row("2 x Sliced beef").bold
    assert "+ extra spicy" in printed.text and "+ no coriander" in printed.text
    assert printed.row("ALLERGENS: sesame").bold
    assert printed.row("! peanut allergy").bold
    assert "1 x Frozen tofu" in printed.text
    assert "Birthday" in printed.text
    assert "REPRINT" not in printed.text and "VOID" not in printed.text
    job.refresh_from_db()
    assert job.status == PrintStatus.PRINTED and job.printed_at is not None


def test_it_prints_void_and_added_slips_for_changes(print_kitchen: PrintKitchen) -> None:
    post(print_kitchen, beef_order())
    # The update drops the tofu, and adds rice.
    update = beef_order(
        kind="order.updated",
        items=[
            {"id": "l-1", "sku": "BEEF", "name": "Sliced beef", "quantity": 2},
            {"id": "l-3", "name": "Steamed rice", "quantity": 3},
        ],
        timestamp=factories.now_rfc3339(5),
    )
    post(print_kitchen, update)
    kinds = sorted(PrintJob.objects.values_list("kind", flat=True))
    assert kinds == [PrintKind.ADDED, PrintKind.TICKET, PrintKind.VOID]

    assert print_jobs_send().printed == 1  # one at a time per printer, oldest first
    assert print_jobs_send().printed == 1
    assert print_jobs_send().printed == 1
    slips = [decode(s) for s in print_kitchen.fake.wait_for(3)]
    assert "1 x Frozen tofu" in slips[0].text
    texts = {s.rows[0].text: s for s in slips[1:]}
    assert set(texts) == {"VOID", "ADDED"}
    assert texts["VOID"].rows[0].invert
    assert "-1 x Frozen tofu" in texts["VOID"].text
    assert "Steamed rice" not in texts["VOID"].text
    assert "3 x Steamed rice" in texts["ADDED"].text
    assert "Sliced beef" not in texts["ADDED"].text


def test_it_prints_a_cancel_slip(print_kitchen: PrintKitchen) -> None:
    post(print_kitchen, beef_order())
    post(print_kitchen, factories.order_body("o-1", kind="order.cancelled"))
    print_jobs_send()
    print_jobs_send()
    cancel = decode(print_kitchen.fake.wait_for(2)[1])
    assert cancel.rows[0].text == "ORDER CANCELLED"
    assert "-2 x Sliced beef" in cancel.text


def test_it_prints_a_later_course_when_it_fires(print_kitchen: PrintKitchen) -> None:
    from orders.actions.firing import course_fire
    from orders.models import Order

    body = beef_order(
        items=[
            {"id": "l-1", "sku": "BEEF", "name": "Sliced beef", "quantity": 1},
            {"id": "l-2", "name": "Mango pudding", "quantity": 2, "course": 2},
        ]
    )
    post(print_kitchen, body)
    print_jobs_send()
    first = decode(print_kitchen.fake.wait_for(1)[0])
    assert "Mango pudding" not in first.text  # held: not cooking yet

    course_fire(order=Order.objects.get())
    print_jobs_send()
    fired = decode(print_kitchen.fake.wait_for(2)[1])
    assert "-- Course 2 --" in fired.text
    assert "2 x Mango pudding" in fired.text and "Sliced beef" not in fired.text


def test_it_prints_nothing_on_a_printer_that_is_switched_off(print_kitchen: PrintKitchen) -> None:
    print_kitchen.printer.is_active = False
    print_kitchen.printer.save()
    post(print_kitchen, beef_order())
    assert not PrintJob.objects.exists()
