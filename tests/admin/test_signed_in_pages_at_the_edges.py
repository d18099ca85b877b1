"""The managers' pages at the calendar's ends and with hostile input: a form error or the
admin's "invalid filter" page, never a 500. Reports with a period in year 1 or 9999,
the order list's date drill-down to 9999-12-31, the routing preview with JSON nested
thousands deep, and an import in every format the page offers."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import MenuItem, Restaurant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(kitchen: factories.Kitchen) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("boss", password="x" * 12))
    return client


def ok(response: object) -> None:
    status = getattr(response, "status_code", 0)
    assert status in (200, 302), status


ENDS = [
    ("9999-12-31", "9999-12-31"),
    ("9999-12-30", "9999-12-31"),
    ("0001-01-01", "0001-01-01"),
    ("0001-01-01", "0001-12-31"),
]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/New_York"])
@pytest.mark.parametrize(("start", "end"), ENDS)
def test_reports_refuse_a_period_at_the_calendars_ends(
    boss: Client, kitchen: factories.Kitchen, zone: str, start: str, end: str
) -> None:
    Restaurant.objects.filter(pk=kitchen.restaurant.pk).update(time_zone=zone)
    query = f"/reports/?period=custom&start={start}&end={end}"
    page = boss.get(query)
    assert page.status_code == 200
    assert "Pick dates between" in page.content.decode()
    for table in ("summary", "hours"):
        response = boss.get(f"{query}&csv={table}")
        assert response.status_code == 200, (table, response.status_code)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates() | st.sampled_from([date.min, date.max]) | st.text(max_size=12),
    end=st.dates() | st.sampled_from([date.min, date.max]) | st.text(max_size=12),
    period=st.sampled_from(["custom", "today", "7d", "nonsense", ""]),
)
def test_reports_answer_any_period(boss: Client, start: object, end: object, period: str) -> None:
    response = boss.get("/reports/", {"period": period, "start": str(start), "end": str(end)})
    assert response.status_code == 200


DRILL_DOWNS = [
    "placed_at__year=9999",
    "placed_at__year=9999&placed_at__month=12",
    "placed_at__year=9999&placed_at__month=12&placed_at__day=31",
    "placed_at__year=1&placed_at__month=1&placed_at__day=1",
    "placed_at__year=0",
    "placed_at__year=10000",
    "placed_at__year=99999999999999999999",
    "placed_at__year=2026&placed_at__month=13",
    "placed_at__year=2026&placed_at__month=2&placed_at__day=30",
]


@pytest.mark.parametrize("query", DRILL_DOWNS)
def test_the_order_lists_date_drill_down_takes_any_date(boss: Client, query: str) -> None:
    ok(boss.get(f"/admin/orders/order/?{query}"))


def preview(boss: Client, order_json: str) -> str:
    response = boss.post(
        reverse("admin:orders_routingrule_preview"),
        {"order_json": order_json, "channel": "dine_in"},
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        "[" * 20_000 + "]" * 20_000,
        '{"items": [' + "[" * 5000 + "]" * 5000 + "]}",
        json.dumps({"items": [{"sku": "a\x00"}]}),
        json.dumps({"items": [{"name": "tofu\x00"}]}),
        json.dumps({"items": [{"name": "x" * 10_000}]}),
        '{"items": [{"name": 1e400}]}',
        '{"items": [{"name": NaN}]}',
        json.dumps({"items": [{"name": ["a"]}]}),
        json.dumps({"data": {"items": [{"name": "a"}] * 201}}),
    ],
    ids=["deep", "deep item", "nul sku", "nul name", "long", "1e400", "nan", "list", "201"],
)
def test_the_routing_preview_refuses_hostile_json_with_a_form_error(
    boss: Client, body: str
) -> None:
    page = preview(boss, body)
    assert 'class="errorlist' in page, page[-2000:]


def test_the_routing_preview_still_previews_an_order(boss: Client) -> None:
    page = preview(boss, json.dumps({"channel": "takeout", "items": [{"name": "Mapo tofu"}]}))
    assert 'id="kds-preview-result"' in page
    # A number where a sku goes is looked up as its digits.
    assert 'id="kds-preview-result"' in preview(boss, json.dumps({"items": [{"sku": 10**30}]}))


def offered_formats(boss: Client, url: str) -> dict[str, str]:
    page = boss.get(reverse(url)).content.decode()
    return {
        name: value
        for value, name in re.findall(r'<option value="(\d+)"[^>]*>(\w+)</option>', page)
    }


def menu_file(kind: str) -> tuple[str, bytes]:
    rows = [["sku", "name", "prep_minutes"], ["A-1", "Mapo tofu", "5"], ["A-2", "Fries", "3"]]
    if kind == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return "menu.xlsx", out.getvalue()
    text = io.StringIO()
    csv.writer(text, delimiter="\t" if kind == "tsv" else ",").writerows(rows)
    return f"menu.{kind}", text.getvalue().encode()


def test_the_menu_import_offers_only_formats_that_work(boss: Client) -> None:
    formats = offered_formats(boss, "admin:orders_menuitem_import")
    assert sorted(formats) == ["csv", "xlsx"]
    for kind, value in formats.items():
        name, data = menu_file(kind)
        response = boss.post(
            reverse("admin:orders_menuitem_import"),
            {"import_file": SimpleUploadedFile(name, data), "format": value},
        )
        assert response.status_code == 200, (kind, response.status_code)
        result = response.context["result"]
        assert (result.total_rows, len(result.invalid_rows), result.has_errors()) == (2, 0, False)
        assert "Confirm import" in response.content.decode(), kind
    assert not MenuItem.objects.exists()


def test_the_menu_export_offers_csv_and_excel(boss: Client) -> None:
    assert sorted(offered_formats(boss, "admin:orders_menuitem_export")) == ["csv", "xlsx"]
