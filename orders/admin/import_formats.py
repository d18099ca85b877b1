"""The menu file's formats and cells: CSV and Excel read within the bounds, and the
widgets that read and write a dish's columns (category by either name, yes/no, minutes,
measure words) and show a changed value as "old → new"."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.formats import base_formats

from ..models import Measure, MenuCategory, Restaurant
from ..spreadsheets import Bounds, read_csv, read_xlsx


class MenuCSV(base_formats.CSV):
    """CSV read within the bounds, one row at a time."""

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> Any:
        return read_csv(
            in_stream, encoding=self.encoding or "utf-8-sig", bounds=Bounds.from_settings()
        )


class MenuXLSX(base_formats.XLSX):
    """Excel read within the bounds, whatever range the sheet declares."""

    def create_dataset(self, in_stream: Any) -> Any:
        return read_xlsx(in_stream, bounds=Bounds.from_settings())


def storable(text: str) -> bool:
    """Text without control characters or lone surrogates (tabs aside): PostgreSQL refuses
    a NUL, a printer would run ESC. A no-break or ideographic space (U+00A0, U+3000), which
    spreadsheets and Chinese input methods put in names, is text (isprintable() said no)."""
    return all(c == "\t" or unicodedata.category(c) not in ("Cc", "Cs") for c in text)


class CategoryWidget(widgets.ForeignKeyWidget):
    """A category by name (English or Chinese). A name the menu does not have yet is an
    unsaved category, made by `MenuItemResource.before_save_instance` only for a row that
    is saved (so a row skipped for its errors makes none)."""

    def __init__(self, restaurant: Restaurant | None) -> None:
        super().__init__(MenuCategory, field="name")
        self.restaurant = restaurant

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> MenuCategory | None:
        name = str(value or "").strip()
        if not name:
            return None
        if self.restaurant is None:
            raise ValueError(_("No restaurant to import into."))
        if not storable(name) or "\t" in name:  # before the query: PostgreSQL refuses a NUL
            raise ValueError(_("A category name cannot hold control characters."))
        found = MenuCategory.objects.filter(
            Q(name__iexact=name) | Q(name_zh=name), restaurant=self.restaurant
        ).first()
        if found is not None:
            return found
        if len(name) > 80:
            raise ValueError(_("A category name has at most 80 characters."))
        return MenuCategory(restaurant=self.restaurant, name=name)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.name if value is not None else ""


class YesNoWidget(widgets.BooleanWidget):
    """Accepts 1/0, true/false, yes/no, y/n, 是/否; empty means yes."""

    TRUE = {"1", "true", "yes", "y", "是", "active"}
    FALSE = {"0", "false", "no", "n", "否", "inactive"}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        text = str(value if value is not None else "").strip().lower()
        if text == "":
            return True
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Enter yes or no."))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "yes" if value else "no"


class MinutesWidget(widgets.IntegerWidget):
    """A whole number of minutes (or a course), 0-999: `inf`, `nan`, 1e400 or a number no
    column stores is that row's error, not one that stops the whole file."""

    LIMIT = 999

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if value is None or str(value).strip() == "":
            return None
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValueError(_("Enter a whole number.")) from None
        if not math.isfinite(number) or not number.is_integer():
            raise ValueError(_("Enter a whole number."))
        if not 0 <= number <= self.LIMIT:
            raise ValueError(_("Enter a number from 0 to %(n)d.") % {"n": self.LIMIT})
        return int(number)


class ChangeDiff(resources.Diff):
    """A preview cell per column: the value, or "old → new" where the row changes it.

    (The library's diff marks characters deleted and inserted, so 1 changed to 3
    reads "13" once the colours are lost.)"""

    def as_html(self) -> list[SafeString]:
        cells = []
        for old, new in zip(self.left, self.right, strict=False):
            before, after = force_str(old or ""), force_str(new or "")
            if self.new or before == after:
                cells.append(format_html("{}", after))
            else:
                cells.append(
                    format_html(
                        '<span class="kds-change"><del>{}</del> → <ins>{}</ins></span>',
                        before or "—",
                        after or "—",
                    )
                )
        return cells


class MeasureWidget(widgets.Widget):
    """A measure word by its key ("bowl") or the word itself ("碗"); empty: the category's."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = str(value if value is not None else "").strip()
        if not text:
            return ""
        for key, label in Measure.choices:
            if text.casefold() in (key, str(label).casefold()) or text == _word(str(label)):
                return str(key)
        words = ", ".join(f"{key} ({_word(str(label))})" for key, label in Measure.choices)
        raise ValueError(_("Not a measure word; use one of %(words)s.") % {"words": words})

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return str(value or "")


def _word(label: str) -> str:
    """ "bowl (碗)" → "碗"."""
    return label.rsplit("(", 1)[-1].rstrip(")") if "(" in label else label
