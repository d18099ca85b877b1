"""Backup mode: a station's backup printer prints once none of its screens has been live
for the station's N seconds: what arrived meanwhile (once), then every change, until a
screen is back. The screen is a real socket (WebsocketCommunicator) of the consumer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.actions.presence import stations_presence_check
from orders.actions.printing import print_jobs_send
from orders.models import MenuItem, Printer, PrintJob, PrintMode, Station
from tests import factories
from tests.printing.escpos_decode import decode
from tests.printing.fake_printer import FakePrinter
from tests.screens.conftest import connect, pair, sync

pytestmark = pytest.mark.django_db(transaction=True)


def setup(fake: FakePrinter) -> tuple[factories.Kitchen, Printer]:
    k = factories.make_kitchen()
    k.fallback.print_backup_after_seconds = 20
    k.fallback.save()
    MenuItem.objects.create(restaurant=k.restaurant, sku="BEEF", name="Sliced beef")
    printer = Printer.objects.create(
        restaurant=k.restaurant,
        station=k.fallback,
        name="Backup",
        host="127.0.0.1",
        port=fake.port,
        mode=PrintMode.BACKUP,
    )
    return k, printer


def order(k: factories.Kitchen, order_id: str, number: str) -> None:
    body = factories.order_body(order_id, number=number)
    assert factories.post_webhook(k.source.slug, k.secret, body).status_code == 201


def station(k: factories.Kitchen) -> Station:
    return Station.objects.get(pk=k.fallback.pk)


async def test_it_prints_while_the_screens_are_down_and_stops_when_they_return(
    in_memory_layer: None, fake_printer: FakePrinter
) -> None:
    k, _ = await sync(setup)(fake_printer)
    _, cookie = await sync(pair)(k.fallback, "Wall")
    screen, _ = await connect(cookie)

    await sync(order)(k, "o-1", "1")
    await sync(stations_presence_check)()
    assert await sync(PrintJob.objects.count)() == 0  # the screen shows it
    assert (await sync(station)(k)).screens_offline_since is None

    await screen.disconnect()
    gone = timezone.now()
    await sync(stations_presence_check)()
    down = await sync(station)(k)
    assert down.screens_offline_since is not None and down.backup_printing_since is None
    await sync(order)(k, "o-2", "2")  # arrives while down, before backup starts
    assert await sync(PrintJob.objects.count)() == 0

    # N seconds later: backup starts and prints what arrived meanwhile, once.
    changes = await sync(stations_presence_check)(now=gone + timedelta(seconds=21))
    assert changes.backup == [k.fallback.pk] and changes.caught_up == 1
    again = await sync(stations_presence_check)(now=gone + timedelta(seconds=22))
    assert again.caught_up == 0
    jobs = await sync(list)(PrintJob.objects.all())
    assert [(j.reason, j.payload["number"]) for j in jobs] == [("catch-up", "2")]

    # In backup, a new order prints with the change itself.
    await sync(order)(k, "o-3", "3")
    reasons = await sync(list)(PrintJob.objects.order_by("pk").values_list("reason", flat=True))
    assert reasons == ["catch-up", "backup"]
    await sync(print_jobs_send)(now=gone + timedelta(seconds=23))
    await sync(print_jobs_send)(now=gone + timedelta(seconds=23))
    slips = [decode(s).rows[0].text for s in fake_printer.wait_for(2)]
    assert sorted(slips) == ["#2", "#3"]

    # A screen is back: backup stops.
    screen, _ = await connect(cookie)
    changes = await sync(stations_presence_check)()
    assert changes.online == [k.fallback.pk]
    back = await sync(station)(k)
    assert back.screens_offline_since is None and back.backup_printing_since is None
    await sync(order)(k, "o-4", "4")
    assert await sync(PrintJob.objects.count)() == 2
    await screen.disconnect()


async def test_a_screen_whose_server_died_counts_as_gone_after_its_heartbeat(
    in_memory_layer: None, fake_printer: FakePrinter
) -> None:
    """A SIGKILLed server records no disconnect: a stale heartbeat is gone all the same."""
    k, _ = await sync(setup)(fake_printer)
    _, cookie = await sync(pair)(k.fallback, "Wall")
    screen, _ = await connect(cookie)
    await sync(stations_presence_check)()
    assert (await sync(station)(k)).screens_offline_since is None
    later = timezone.now() + timedelta(seconds=31)
    changes = await sync(stations_presence_check)(now=later)
    assert changes.offline == [k.fallback.pk]
    await screen.disconnect()


async def test_an_always_printer_prints_whatever_the_screens_do(
    in_memory_layer: None, fake_printer: FakePrinter
) -> None:
    k, printer = await sync(setup)(fake_printer)
    printer.mode = PrintMode.ALWAYS
    await sync(printer.save)()
    _, cookie = await sync(pair)(k.fallback, "Wall")
    screen, _ = await connect(cookie)
    await sync(order)(k, "o-1", "1")
    assert await sync(list)(PrintJob.objects.values_list("reason", flat=True)) == ["always"]
    await screen.disconnect()
