"""A kitchen manager sets up printers, reads the jobs and their failures, and reprints."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.actions.printing import print_jobs_send
from orders.models import Printer, PrintJob, PrintStatus
from tests import factories


@pytest.fixture
def printer_manager(manager: User) -> Client:
    importlib.import_module("orders.migrations.0004_printers_screen_health").manager_permissions(
        apps, None
    )
    client = Client()
    client.force_login(User.objects.get(pk=manager.pk))
    return client


def form(k: factories.Kitchen, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "restaurant": k.restaurant.pk,
        "station": k.fallback.pk,
        "name": "Wok printer",
        "host": "192.0.2.10",
        "port": "9100",
        "mode": "backup",
        "paper_width": "576",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_it_adds_a_printer(printer_manager: Client, kitchen: factories.Kitchen) -> None:
    response = printer_manager.post("/admin/orders/printer/add/", form(kitchen))
    assert response.status_code == 302, response.content
    printer = Printer.objects.get()
    assert (printer.host, printer.port, printer.mode) == ("192.0.2.10", 9100, "backup")


@pytest.mark.parametrize(
    "changes",
    [
        {"host": "bad host"},
        {"host": "printer\x00.local"},
        {"host": "a" * 300},
        {"host": ""},
        {"port": "0"},
        {"port": "70000"},
        {"port": str(2**63)},
        {"port": "nine"},
        {"mode": "sometimes"},
        {"paper_width": "1000"},
    ],
)
def test_it_refuses_a_printer_it_could_not_reach(
    printer_manager: Client, kitchen: factories.Kitchen, changes: dict[str, str]
) -> None:
    response = printer_manager.post("/admin/orders/printer/add/", form(kitchen, **changes))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Printer.objects.exists()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(host=st.text(max_size=300), port=st.text(max_size=30))
def test_it_never_fails_on_any_host_or_port(
    printer_manager: Client, kitchen: factories.Kitchen, host: str, port: str
) -> None:
    response = printer_manager.post(
        "/admin/orders/printer/add/", form(kitchen, host=host, port=port)
    )
    assert response.status_code in (200, 302)
    Printer.objects.all().delete()


def test_it_lists_failures_and_reprints(
    printer_manager: Client, kitchen: factories.Kitchen
) -> None:
    from tests.printing.fake_printer import FakePrinter

    fake = FakePrinter()  # never switched on: the port refuses
    printer = Printer.objects.create(
        restaurant=kitchen.restaurant,
        station=kitchen.fallback,
        name="Pass",
        host="127.0.0.1",
        port=fake.port,
        mode="always",
    )
    factories.post_webhook(kitchen.source.slug, kitchen.secret, factories.order_body())
    print_jobs_send()
    page = printer_manager.get("/admin/orders/printjob/?status=pending").content.decode()
    assert "cannot connect" in page and "#42" in page
    assert "1 failure in a row" in printer_manager.get("/admin/orders/printer/").content.decode()

    job = PrintJob.objects.get()
    response = printer_manager.post(
        "/admin/orders/printjob/",
        {"action": "reprint_jobs", "_selected_action": [job.pk]},
    )
    assert response.status_code == 302
    again = PrintJob.objects.exclude(pk=job.pk).get()
    assert again.reprint and again.reprint_of == job and again.reason == "reprint"
    assert again.status == PrintStatus.PENDING and again.printer == printer


def test_front_of_house_cannot_see_jobs(front_of_house: User, kitchen: factories.Kitchen) -> None:
    client = Client()
    client.force_login(front_of_house)
    assert client.get("/admin/orders/printjob/").status_code == 302
