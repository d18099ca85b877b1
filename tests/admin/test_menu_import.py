"""Menu import from CSV and Excel: a preview with an error per bad row; good rows import."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from orders.models import MenuCategory, MenuItem
from tests import factories

HEADER = [
    "sku",
    "name",
    "name_zh",
    "category",
    "prep_minutes",
    "default_course",
    "allergens",
    "active",
]
BAD = {
    17: ["", "No SKU", "", "Soups", "5", "1", "", "yes"],  # no SKU
    88: ["S-088", "Bad time", "", "Soups", "soon", "1", "", "yes"],  # not a number
    150: ["S-150", "", "", "Soups", "5", "1", "", "yes"],  # no name
    299: ["S-299", "Course ten", "", "Soups", "5", "10", "", "maybe"],  # course > 9, bad flag
}


def menu_csv(rows: int = 300) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(1, rows + 1):
        category = ["Soups", "Wok", "Grill"][n % 3]
        writer.writerow(
            BAD.get(
                n, [f"S-{n:03}", f"Dish {n}", f"菜{n}", category, str(n % 9 + 1), "1", "", "yes"]
            )
        )
    return out.getvalue().encode()


def upload(client: Client, data: bytes, name: str = "menu.csv", fmt: str = "0") -> Any:
    return client.post(
        reverse("admin:orders_menuitem_import"),
        {"import_file": SimpleUploadedFile(name, data), "format": fmt},
    )


def csv_format_index(client: Client) -> str:
    page = client.get(reverse("admin:orders_menuitem_import")).text
    return re.search(r'<option value="(\d+)"[^>]*>csv</option>', page).group(1)  # type: ignore[union-attr]


def test_it_reports_bad_rows_and_imports_the_rest(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = upload(manager_client, menu_csv(), fmt=csv_format_index(manager_client))
    assert response.status_code == 200
    result = response.context["result"]
    assert sorted(row.number for row in result.invalid_rows) == sorted(BAD)
    assert "4 rows have errors and will be skipped" in response.text
    assert "296 rows can be imported" in response.text
    assert not MenuItem.objects.exists()  # the preview saved nothing
    assert not MenuCategory.objects.exists()

    confirm = response.context["confirm_form"]
    data = {
        name: confirm[name].value() for name in confirm.fields if confirm[name].value() is not None
    }
    done = manager_client.post(reverse("admin:orders_menuitem_process_import"), data)
    assert done.status_code == 302
    assert MenuItem.objects.count() == 296
    assert not MenuItem.objects.filter(sku__in=["S-088", "S-150", "S-299"]).exists()
    assert set(MenuCategory.objects.values_list("name", flat=True)) == {"Soups", "Wok", "Grill"}
    item = MenuItem.objects.get(sku="S-010")
    assert (item.name, item.name_zh, item.category and item.category.name, item.prep_minutes) == (
        "Dish 10",
        "菜10",
        "Wok",
        2,
    )
    assert item.restaurant == kitchen.restaurant


def test_it_names_the_problem_of_each_bad_row(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = upload(manager_client, menu_csv(), fmt=csv_format_index(manager_client))
    errors = {row.number: str(row.error_dict) for row in response.context["result"].invalid_rows}
    assert "sku" in errors[17]
    assert "whole number" in errors[88]
    assert "name" in errors[150]
    assert "default_course" in errors[299] and "is_active" in errors[299]


def test_it_updates_existing_dishes_by_sku(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    MenuItem.objects.create(
        restaurant=kitchen.restaurant, sku="S-001", name="Old name", prep_minutes=9
    )
    response = upload(manager_client, menu_csv(3), fmt=csv_format_index(manager_client))
    confirm = response.context["confirm_form"]
    data = {
        name: confirm[name].value() for name in confirm.fields if confirm[name].value() is not None
    }
    manager_client.post(reverse("admin:orders_menuitem_process_import"), data)
    assert MenuItem.objects.count() == 3
    assert MenuItem.objects.get(sku="S-001").name == "Dish 1"


def test_it_exports_the_menu_as_excel(kitchen: factories.Kitchen, manager_client: Client) -> None:
    import openpyxl

    cat = MenuCategory.objects.create(restaurant=kitchen.restaurant, name="Soups", name_zh="汤")
    MenuItem.objects.create(
        restaurant=kitchen.restaurant, sku="A", name="Soup", name_zh="汤", category=cat
    )
    page = manager_client.get(reverse("admin:orders_menuitem_export")).text
    xlsx = re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', page).group(1)  # type: ignore[union-attr]
    response = manager_client.post(
        reverse("admin:orders_menuitem_export"),
        {
            "format": xlsx,
            "resource": "0",
            "menuitemresource_sku": "on",
            "menuitemresource_name": "on",
            "menuitemresource_name_zh": "on",
            "menuitemresource_category": "on",
        },
    )
    assert response.status_code == 200, response.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("sku", "name", "name_zh", "category")
    assert rows[1][:4] == ("A", "Soup", "汤", "Soups")


def test_it_imports_an_excel_sheet(kitchen: factories.Kitchen, manager_client: Client) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["HP-BEEF", "Sliced Beef", "肥牛", "Hot pot plates", 3, 2, "", "yes"])
    sheet.append(["HP-LAMB", "Lamb Rolls", "羊肉卷", "Hot pot plates", "x", 2, "", "yes"])
    out = io.BytesIO()
    book.save(out)
    page = manager_client.get(reverse("admin:orders_menuitem_import")).text
    xlsx = re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', page).group(1)  # type: ignore[union-attr]
    response = upload(manager_client, out.getvalue(), name="menu.xlsx", fmt=xlsx)
    assert [row.number for row in response.context["result"].invalid_rows] == [2]
    confirm = response.context["confirm_form"]
    data = {n: confirm[n].value() for n in confirm.fields if confirm[n].value() is not None}
    assert (
        manager_client.post(reverse("admin:orders_menuitem_process_import"), data).status_code
        == 302
    )
    beef = MenuItem.objects.get()
    assert (beef.sku, beef.name_zh, beef.prep_minutes, beef.default_course) == (
        "HP-BEEF",
        "肥牛",
        3,
        2,
    )


def test_it_refuses_an_export_with_an_unknown_filter(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    MenuItem.objects.create(restaurant=kitchen.restaurant, sku="A", name="Soup")
    url = reverse("admin:orders_menuitem_export")
    manager_client.raise_request_exception = False
    assert manager_client.get(f"{url}?station=1").status_code == 400
    assert manager_client.get(f"{url}?is_active__exact=1").status_code == 200
