"""Menu files are read within bounds: a file's size, rows and columns are refused with a
message before anything is built from them, whatever range an Excel sheet declares; one
bad cell refuses its row, not the file; the preview lists a page of rows."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from orders.models import MenuItem
from tests import factories
from tests.admin.test_menu_import import HEADER, csv_format_index, upload
from tests.admin.test_menu_import_preview import confirm, rows_csv, text


def xlsx_format_index(client: Client) -> str:
    page = client.get("/admin/orders/menuitem/import/").text
    return re.search(r'<option value="(\d+)"[^>]*>xlsx</option>', page).group(1)  # type: ignore[union-attr]


def book(rows: list[list[Any]], *, far_cell: str | None = None) -> bytes:
    """An .xlsx of `rows`, with one more cell far away (such as XFD1048576) if asked."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if far_cell:
        sheet[far_cell] = "x"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def workbook(
    rows: list[list[Any]],
    *,
    dimension: str | None = None,
    replace: tuple[bytes, bytes] | None = None,
) -> bytes:
    """An .xlsx of `rows`; `dimension` replaces the range the sheet declares, `replace`
    one text of the sheet's XML with another."""
    source, patched = zipfile.ZipFile(io.BytesIO(book(rows))), io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/") and dimension is not None:
                data = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data
                )
            if member.filename.startswith("xl/worksheets/") and replace is not None:
                data = data.replace(*replace)
            target.writestr(member, data)
    return patched.getvalue()


def far_cell_workbook(cell: str, rows: list[list[Any]]) -> bytes:
    return book(rows, far_cell=cell)


def dish(n: int, prep: str = "5") -> list[str]:
    return [f"D-{n}", f"Dish {n}", "", "", prep, "1", "", "yes"]


def file_error(response: Any) -> str:
    assert response.status_code == 200
    assert "result" not in response.context or response.context["result"] is None
    return " ".join(str(e) for e in response.context["form"].errors["import_file"])


def test_a_sheet_declaring_the_largest_range_imports_what_it_holds(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    data = workbook([HEADER, dish(1), dish(2)], dimension="A1:XFD1048576")
    assert len(data) < 10_000

    response = upload(manager_client, data, name="menu.xlsx", fmt=xlsx_format_index(manager_client))

    assert response.context["result"].total_rows == 2
    assert confirm(manager_client, response).status_code == 302
    assert sorted(MenuItem.objects.values_list("sku", flat=True)) == ["D-1", "D-2"]


def test_a_sheet_with_a_cell_at_its_last_row_is_refused_not_padded(
    kitchen: factories.Kitchen, manager_client: Client, settings: Any
) -> None:
    # Before, openpyxl padded every row to the far cell: billions of cells from 5 KB.
    data = far_cell_workbook("XFD1048576", [HEADER, dish(1)])

    response = upload(manager_client, data, name="menu.xlsx", fmt=xlsx_format_index(manager_client))

    assert "more than 2000 rows" in file_error(response)
    assert not MenuItem.objects.exists()


def test_a_sheet_with_too_many_columns_is_refused(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    data = far_cell_workbook("AZ2", [HEADER, dish(1)])

    response = upload(manager_client, data, name="menu.xlsx", fmt=xlsx_format_index(manager_client))

    assert "more than 40 columns" in file_error(response)


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_opened(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 50_000_000)
    assert len(bomb.getvalue()) < 100_000

    response = upload(
        manager_client, bomb.getvalue(), name="menu.xlsx", fmt=xlsx_format_index(manager_client)
    )

    assert "unpacks to 47.7\xa0MB" in file_error(response)


def test_a_file_that_is_not_a_workbook_is_refused_with_a_message(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    response = upload(
        manager_client, b"sku,name\n", name="menu.xlsx", fmt=xlsx_format_index(manager_client)
    )

    assert "not an Excel (.xlsx) workbook" in file_error(response)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    kitchen: factories.Kitchen, manager_client: Client, settings: Any
) -> None:
    settings.KDS_IMPORT_MAX_BYTES = 10_000
    data = rows_csv(*(dish(n) for n in range(400)))
    assert len(data) > 10_000

    response = upload(manager_client, data, fmt=csv_format_index(manager_client))

    assert "a menu file can be at most 9.8\xa0KB" in file_error(response)
    assert not MenuItem.objects.exists()


@pytest.mark.parametrize(("rows", "refused"), [(50, False), (51, True)])
def test_a_csv_past_the_row_limit_is_refused(
    kitchen: factories.Kitchen, manager_client: Client, settings: Any, rows: int, refused: bool
) -> None:
    settings.KDS_IMPORT_MAX_ROWS = 50
    data = rows_csv(*(dish(n) for n in range(rows)))

    response = upload(manager_client, data, fmt=csv_format_index(manager_client))

    if refused:
        assert "more than 50 rows" in file_error(response)
    else:
        assert response.context["result"].total_rows == 50


def test_a_csv_past_the_column_limit_is_refused_and_empty_columns_are_not(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    wide = rows_csv([*dish(1), *([""] * 60)])
    assert (
        upload(manager_client, wide, fmt=csv_format_index(manager_client))
        .context["result"]
        .total_rows
        == 1
    )

    wider = rows_csv([*dish(1), *([""] * 40), "x"])
    response = upload(manager_client, wider, fmt=csv_format_index(manager_client))
    assert "more than 40 columns" in file_error(response)


@pytest.mark.parametrize("cell", ["inf", "-inf", "nan", "1e400", "1e20", "-5", "70000", "2.5"])
def test_one_number_no_column_stores_refuses_only_its_row(
    kitchen: factories.Kitchen, manager_client: Client, cell: str
) -> None:
    response = upload(
        manager_client,
        rows_csv(dish(1), dish(2, prep=cell), dish(3)),
        fmt=csv_format_index(manager_client),
    )

    result = response.context["result"]
    assert not result.has_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert "prep_minutes" in result.invalid_rows[0].field_specific_errors
    assert confirm(manager_client, response).status_code == 302
    assert sorted(MenuItem.objects.values_list("sku", flat=True)) == ["D-1", "D-3"]


def test_an_infinite_excel_cell_refuses_only_its_row(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    # A number cell past what a float holds: openpyxl reads it as inf.
    data = workbook(
        [HEADER, dish(1), [*dish(2)[:4], 12345, 1, "", "yes"], dish(3)],
        replace=(b"<v>12345</v>", b"<v>1E+400</v>"),
    )

    response = upload(manager_client, data, name="menu.xlsx", fmt=xlsx_format_index(manager_client))

    result = response.context["result"]
    assert not result.has_errors()
    assert [row.number for row in result.invalid_rows] == [2]


def test_a_cell_openpyxl_cannot_read_is_named_with_its_row(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    data = workbook(
        [HEADER, dish(1), [*dish(2)[:4], 12345, 1, "", "yes"]],
        replace=(b"<v>12345</v>", b"<v>inf</v>"),
    )

    response = upload(manager_client, data, name="menu.xlsx", fmt=xlsx_format_index(manager_client))

    assert "Row 3 of the sheet cannot be read" in file_error(response)


def test_the_preview_lists_a_page_of_rows_and_counts_the_rest(
    kitchen: factories.Kitchen, manager_client: Client, settings: Any
) -> None:
    settings.KDS_IMPORT_PREVIEW_ROWS = 10
    rows = [dish(n) for n in range(30)] + [dish(n, prep="soon") for n in range(30, 55)]

    response = upload(manager_client, rows_csv(*rows), fmt=csv_format_index(manager_client))

    page = response.content.decode()
    assert page.count('<tr class="new">') == 10
    assert len(re.findall(r"<td>D-3\d|<td>D-4\d|<td>D-5\d", page)) == 10
    assert "… and 20 more rows, not listed here; they are part of the import." in text(page)
    assert "… and 15 more rows with errors, not listed here; they are skipped too." in text(page)
    assert confirm(manager_client, response).status_code == 302
    assert MenuItem.objects.count() == 30


def test_a_file_outside_the_bounds_is_refused_in_chinese_too(
    kitchen: factories.Kitchen, manager_client: Client
) -> None:
    data = far_cell_workbook("AZ2", [HEADER, dish(1)])
    manager_client.cookies["django_language"] = "zh-hans"

    response = upload(manager_client, data, name="menu.xlsx", fmt=xlsx_format_index(manager_client))

    assert "40" in file_error(response)
    assert re.search(r"[\u4e00-\u9fff]", file_error(response))


CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["inf", "-inf", "nan", "1e400", "-0", "9" * 30, "1_000", "٣", "0x10", "=1+1"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# A NUL SKU on a row with another bad cell: the model's validation looked the SKU up,
# and PostgreSQL refused the query (found by this test in CI's PostgreSQL pass).
@example(rows=[[], [], ["\x00", "", "", "", ":"]])
@given(
    rows=st.lists(
        st.tuples(st.lists(CELLS, min_size=11, max_size=11), st.integers(0, 11)).map(
            lambda cells_width: cells_width[0][: cells_width[1]]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_cells_are_each_rows_own_problem_never_the_files(
    kitchen: factories.Kitchen, manager_client: Client, rows: list[list[str]]
) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])

    response = upload(manager_client, out.getvalue().encode(), fmt=csv_format_index(manager_client))

    assert response.status_code == 200
    nonblank = [r for r in rows if any(c.strip() for c in r)]
    if not nonblank:
        assert "No valid data to import" in file_error(response)
        return
    result = response.context["result"]
    assert not result.has_errors(), [e.error for _, errs in result.row_errors() for e in errs]
    assert len(result.invalid_rows) + len(result.valid_rows()) == len(nonblank)


@pytest.mark.parametrize("space", ["\xa0", "\u3000", "\u2009"])
def test_a_name_with_a_no_break_or_ideographic_space_is_imported(
    kitchen: factories.Kitchen, manager_client: Client, space: str
) -> None:
    # Spreadsheets copied from the web and Chinese input methods put these in names;
    # they were refused as control characters.
    row = ["D-1", f"Mapo{space}Tofu", f"麻婆{space}豆腐", f"Wok{space}Dishes", "5", "1", "", "yes"]

    response = upload(manager_client, rows_csv(row), fmt=csv_format_index(manager_client))

    assert response.context["result"].invalid_rows == []
    assert confirm(manager_client, response).status_code == 302
    item = MenuItem.objects.select_related("category").get()
    assert (item.name, item.name_zh) == (f"Mapo{space}Tofu", f"麻婆{space}豆腐")
    assert item.category.name == f"Wok{space}Dishes"  # type: ignore[union-attr]


def test_nginx_lets_through_every_file_the_import_takes(settings: Any) -> None:
    # Else a file between the two limits meets nginx's bare 413 page, not our message.
    conf = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()
    size = re.search(r"^\s*client_max_body_size\s+(\d+)([km]?);", conf, re.M)
    assert size is not None
    limit = int(size.group(1)) * {"": 1, "k": 1024, "m": 1024 * 1024}[size.group(2)]
    multipart = 4_000  # the form's other fields, boundaries and headers
    assert settings.KDS_IMPORT_MAX_BYTES + multipart <= limit
