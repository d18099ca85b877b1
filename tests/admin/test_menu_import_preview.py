"""The menu import's preview says what it will do: the categories it will create (made
only when the manager confirms), and each changed value as "old → new"."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orders.models import MenuCategory, MenuItem
from tests import factories
from tests.admin.test_menu_import import csv_format_index, upload


def rows_csv(*rows: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "sku",
            "name",
            "name_zh",
            "category",
            "prep_minutes",
            "default_course",
            "allergens",
            "active",
        ]
    )
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(client: Client, data: bytes) -> Any:
    response = upload(client, data, fmt=csv_format_index(client))
    assert response.status_code == 200
    return response


def confirm(client: Client, response: Any) -> Any:
    form = response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    return client.post(reverse("admin:orders_menuitem_process_import"), data)


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_the_preview_names_each_new_category_and_creates_none(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    MenuCategory.objects.create(restaurant=kitchen.restaurant, name="Soups", name_zh="汤")
    data = rows_csv(
        ["F-1", "Steamed fish", "清蒸鱼", "Seafood", "12", "1", "", "yes"],
        ["F-2", "Salt and pepper prawns", "椒盐虾", "seafood", "8", "1", "shellfish", "yes"],
        ["S-1", "Hot and sour soup", "酸辣汤", "汤", "4", "1", "", "yes"],
    )

    response = preview(manager_client, data)

    page = text(response.content.decode())
    assert page.count("will create category Seafood") == 1
    assert "will create category seafood" not in page
    assert "Soups" not in re.findall(r"will create category (\w+)", page)
    assert list(MenuCategory.objects.values_list("name", flat=True)) == ["Soups"]
    assert not MenuItem.objects.exists()

    done = confirm(manager_client, response)

    assert done.status_code == 302
    seafood = MenuCategory.objects.get(restaurant=kitchen.restaurant, name="Seafood")
    assert set(seafood.items.values_list("sku", flat=True)) == {"F-1", "F-2"}
    soup = MenuItem.objects.get(sku="S-1").category
    assert soup is not None and soup.name == "Soups"
    said = " ".join(str(m) for m in get_messages(done.wsgi_request))
    assert "Created the category Seafood." in said


def test_a_row_skipped_for_its_errors_creates_no_category(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    data = rows_csv(
        ["D-1", "Mango pudding", "芒果布丁", "Desserts", "soon", "1", "", "yes"],  # bad minutes
        ["R-1", "Rice", "米饭", "", "1", "1", "", "yes"],
    )

    response = preview(manager_client, data)

    assert "will create category" not in text(response.content.decode())
    assert confirm(manager_client, response).status_code == 302
    assert not MenuCategory.objects.exists()
    assert MenuItem.objects.filter(sku="R-1").exists()


def test_a_changed_value_reads_old_arrow_new(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    MenuItem.objects.create(restaurant=kitchen.restaurant, sku="A1", name="Rice", prep_minutes=1)

    response = preview(
        manager_client, rows_csv(["A1", "Steamed rice", "", "", "3", "1", "", "yes"])
    )

    rows = re.findall(r'<tr class="update">(.*?)</tr>', response.content.decode(), re.S)
    assert len(rows) == 1
    cells = [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", rows[0], re.S)]
    assert "1 → 3" in cells
    assert "Rice → Steamed rice" in cells
    assert "A1" in cells  # unchanged: the value alone
    assert "13" not in cells


@pytest.mark.parametrize("name", ["Sea\x00food", "Sea\x1bfood", "x" * 81])
def test_a_category_name_that_cannot_be_stored_is_a_row_error(
    kitchen: factories.Kitchen, manager_client: Client, name: str
) -> None:
    response = preview(manager_client, rows_csv(["F-1", "Fish", "", name, "5", "1", "", "yes"]))

    assert [row.number for row in response.context["result"].invalid_rows] == [1]
    assert not MenuCategory.objects.exists()


def test_a_dish_name_with_a_nul_is_a_row_error(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = preview(manager_client, rows_csv(["F-1", "Fi\x00sh", "", "", "5", "1", "", "yes"]))

    errors = response.context["result"].invalid_rows
    assert [row.number for row in errors] == [1]
    assert "name" in errors[0].field_specific_errors


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(category=st.text(max_size=90))
def test_any_category_name_is_previewed_or_refused_never_a_500(
    kitchen: factories.Kitchen, manager_client: Client, category: str
) -> None:
    response = upload(
        manager_client,
        rows_csv(["H-1", "Dish", "", category, "5", "1", "", "yes"]),
        fmt=csv_format_index(manager_client),
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert len(result.invalid_rows) + len(result.valid_rows()) == 1
    # (PostgreSQL cannot even be asked about a name with a NUL; the import refuses it.)
    if category.strip() and "\x00" not in category:
        assert not MenuCategory.objects.filter(name=category.strip()).exists()


@pytest.mark.parametrize("column", [0, 1, 2, 6])  # sku, name, name_zh, allergens
def test_a_nul_in_any_text_cell_is_that_rows_error(
    kitchen: factories.Kitchen, manager_client: Client, column: int
) -> None:
    row = ["N-1", "Noodles", "面", "", "5", "1", "", "yes"]
    row[column] = row[column] + "\x00x"

    response = preview(manager_client, rows_csv(row, ["N-2", "Rice", "", "", "1", "1", "", "yes"]))

    result = response.context["result"]
    assert [r.number for r in result.invalid_rows] == [1]
    assert not result.has_errors()


def test_the_measure_word_column_takes_a_key_or_the_word(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["sku", "name", "name_zh", "measure"])
    writer.writerows(
        [
            ["R-1", "Rice", "米饭", "碗"],
            ["B-1", "Beer", "啤酒", "bottle"],
            ["C-1", "Cake", "糍粑", ""],
            ["X-1", "Soup", "汤", "barrel"],
        ]
    )

    response = preview(manager_client, out.getvalue().encode())
    bad = response.context["result"].invalid_rows
    assert [row.number for row in bad] == [4]
    assert "Not a measure word" in str(bad[0].field_specific_errors["measure"])

    assert confirm(manager_client, response).status_code == 302
    assert dict(MenuItem.objects.values_list("sku", "measure")) == {
        "R-1": "bowl",
        "B-1": "bottle",
        "C-1": "",
    }
