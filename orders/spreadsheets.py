"""Spreadsheets in and out: files read within bounds, cells written so they stay text.

Reading: a file's size, rows and columns are bounded before anything is built from it.
An Excel sheet declares its own range (`<dimension ref="A1:XFD1048576"/>`) and openpyxl
pads every row to it, so a 1.5 KB file asked for billions of cells; its archive can also
inflate a thousandfold. Here the archive's inflated size is checked before it is opened,
the declared range is ignored, rows are read one at a time up to the limit and only the
columns the limit allows are built. Blank rows are dropped.

Writing: a cell that a spreadsheet program would run as a formula (=, +, -, @, or a tab
or carriage return before one) is written with a leading apostrophe, which shows it as
the text it is (OWASP's CSV injection advice). Reading a file back takes that apostrophe
off again, so an exported menu imports unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A figure such as -0:30, -2 or -1.5% is left a figure: it holds nothing a formula needs.
_FIGURE = re.compile(r"-[0-9][0-9.,:]*%?")


def cell_out(value: Any) -> Any:
    """A value for an exported cell: text that starts like a formula is kept as text."""
    # Text that already starts with apostrophes before a formula's start gets one more,
    # so reading it back (which takes one off) gives what was written.
    if (
        isinstance(value, str)
        and value.lstrip("'").startswith(FORMULA_STARTS)
        and not _FIGURE.fullmatch(value)
    ):
        return "'" + value
    return value


def row_out(values: Iterable[Any]) -> list[Any]:
    return [cell_out(value) for value in values]


def cell_in(value: Any) -> Any:
    """An imported cell, without the apostrophe `cell_out` put before a formula's start."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and value.lstrip("'").startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


class FileRefused(ValueError):
    """A file outside the bounds; the message says which and is shown to the manager."""


@dataclass(frozen=True)
class Bounds:
    max_bytes: int
    max_rows: int
    max_columns: int

    @classmethod
    def from_settings(cls) -> Bounds:
        return cls(
            max_bytes=settings.KDS_IMPORT_MAX_BYTES,
            max_rows=settings.KDS_IMPORT_MAX_ROWS,
            max_columns=settings.KDS_IMPORT_MAX_COLUMNS,
        )

    @property
    def max_inflated_bytes(self) -> int:
        # An Excel file is a zip of XML, about ten times its size unpacked; more than
        # twenty is a file built to be unpacked, not a menu.
        return self.max_bytes * 20


def too_large(size: int, bounds: Bounds) -> str | None:
    if size <= bounds.max_bytes:
        return None
    return _("The file is %(size)s; a menu file can be at most %(limit)s.") % {
        "size": _megabytes(size),
        "limit": _megabytes(bounds.max_bytes),
    }


def _megabytes(size: int) -> str:
    return str(filesizeformat(size))


def _blank(values: Sequence[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def dataset_from_rows(rows: Iterator[Sequence[Any]], bounds: Bounds) -> tablib.Dataset:
    """A dataset of the first row as headers and every other non-blank row, each cut or
    padded to the headers' width; refused once it passes the bounds."""
    dataset = tablib.Dataset()
    headers: list[Any] | None = None
    # Blank rows count too (a sheet with one cell far down is read as blank rows to it).
    for read, values in enumerate(rows):
        if read > 2 * bounds.max_rows:
            raise _too_many_rows(bounds)
        if len(values) > bounds.max_columns and not _blank(values[bounds.max_columns :]):
            raise _too_many_columns(bounds)
        values = [cell_in(value) for value in values[: bounds.max_columns]]
        if _blank(values):
            continue
        if headers is None:
            while values and values[-1] in (None, ""):
                values.pop()
            headers = list(values)
            dataset.headers = headers
            continue
        if dataset.height >= bounds.max_rows:
            raise _too_many_rows(bounds)
        width = len(headers)
        dataset.append((list(values) + [None] * width)[:width])
    return dataset


def _too_many_columns(bounds: Bounds) -> FileRefused:
    return FileRefused(
        ngettext(
            "The file has more than %(n)d column; a menu file has at most %(n)d.",
            "The file has more than %(n)d columns; a menu file has at most %(n)d.",
            bounds.max_columns,
        )
        % {"n": bounds.max_columns}
    )


def _too_many_rows(bounds: Bounds) -> FileRefused:
    return FileRefused(
        ngettext(
            "The file has more than %(n)d row; import at most %(n)d at a time.",
            "The file has more than %(n)d rows; import at most %(n)d at a time.",
            bounds.max_rows,
        )
        % {"n": bounds.max_rows}
    )


def read_csv(data: bytes | str, *, encoding: str, bounds: Bounds) -> tablib.Dataset:
    if isinstance(data, bytes):
        problem = too_large(len(data), bounds)
        if problem:
            raise FileRefused(problem)
        try:
            data = data.decode(encoding)
        except UnicodeDecodeError:
            raise FileRefused(_("The file is not UTF-8 text; save it as CSV UTF-8.")) from None
    elif (problem := too_large(len(data.encode()), bounds)) is not None:
        raise FileRefused(problem)
    # Each row is read as it is needed, so a file past the bounds is refused at the row
    # past them; a cell is bounded by the file's size.
    reader = csv.reader(io.StringIO(data, newline=""))
    try:
        return dataset_from_rows(reader, bounds)
    except csv.Error as exc:
        raise FileRefused(_("The file is not a CSV file: %(error)s") % {"error": exc}) from None


def _readable(rows: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The sheet's rows; a cell openpyxl cannot read (a number cell holding "inf") ends
    the file with the row it is on, since the reader cannot go past it."""
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except FileRefused:
            raise
        except Exception as exc:  # openpyxl's casts raise ValueError, TypeError, KeyError
            raise FileRefused(
                _("Row %(row)d of the sheet cannot be read (%(error)s); correct it and try again.")
                % {"row": number + 1, "error": exc}
            ) from None
        number += 1
        yield row


def read_xlsx(data: bytes, *, bounds: Bounds) -> tablib.Dataset:
    import openpyxl  # the exports' dependency too; loaded only when a sheet is read

    problem = too_large(len(data), bounds)
    if problem:
        raise FileRefused(problem)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRefused(_("The file is not an Excel (.xlsx) workbook.")) from None
    if inflated > bounds.max_inflated_bytes:
        raise FileRefused(
            _("The workbook unpacks to %(size)s; a menu file unpacks to at most %(limit)s.")
            % {"size": _megabytes(inflated), "limit": _megabytes(bounds.max_inflated_bytes)}
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file it cannot read
        raise FileRefused(
            _("The file is not an Excel workbook openpyxl can read: %(error)s")
            % {"error": type(exc).__name__}
        ) from None
    try:
        sheet = book.active
        if sheet is None:
            raise FileRefused(_("The workbook has no sheet."))
        # Its declared range is what it says, not what it holds.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        build_row = sheet._get_row  # type: ignore[union-attr]

        def bounded_row(cells: list[dict[str, Any]], *args: Any, **kwargs: Any) -> Any:
            # A row's cells as parsed, before a value is built for every column up to its
            # last: one filled far right must not make thousands.
            filled = [cell for cell in cells if cell["value"] not in (None, "")]
            if filled and filled[-1]["column"] > bounds.max_columns:
                raise _too_many_columns(bounds)
            return build_row(cells, *args, **kwargs)

        sheet._get_row = bounded_row  # type: ignore[union-attr]
        rows = sheet.iter_rows(max_col=bounds.max_columns, values_only=True)
        return dataset_from_rows(_readable(rows), bounds)  # type: ignore[arg-type]
    finally:
        book.close()
