"""Menu import and export (CSV, Excel) with django-import-export.

Rows are matched on SKU within the restaurant. A category is found by its English or
Chinese name; one that does not exist is named in the preview ("will create category
Seafood") and made when the manager confirms the import (the preview's dry run is
rolled back). A row with a bad value is reported with its row number and skipped; the
other rows are imported. A changed value is shown as "old → new".

Files are read within bounds (size, rows, columns; orders/spreadsheets.py) before
anything is built from them, and exported text that a spreadsheet would run as a
formula is written as text.
"""

from __future__ import annotations

import time
from typing import Any

import tablib
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.forms import ConfirmImportForm, ImportForm

from ..actions.brand import BRAND_FIELDS, brand_dish_save
from ..models import Brand, BrandDish, MenuCategory, MenuItem, Restaurant
from ..spreadsheets import Bounds, cell_out, too_large
from .import_formats import (
    CategoryWidget,
    ChangeDiff,
    MeasureWidget,
    MinutesWidget,
    YesNoWidget,
    storable,
)


class MenuItemResource(resources.ModelResource):
    sku = fields.Field(attribute="sku", column_name="sku")
    name = fields.Field(attribute="name", column_name="name")
    name_zh = fields.Field(attribute="name_zh", column_name="name_zh")
    category = fields.Field(attribute="category", column_name="category")
    prep_minutes = fields.Field(
        attribute="prep_minutes", column_name="prep_minutes", widget=MinutesWidget()
    )
    default_course = fields.Field(
        attribute="default_course", column_name="default_course", widget=MinutesWidget()
    )
    allergens = fields.Field(attribute="allergens", column_name="allergens")
    measure = fields.Field(attribute="measure", column_name="measure", widget=MeasureWidget())
    is_active = fields.Field(attribute="is_active", column_name="active", widget=YesNoWidget())
    warning_minutes = fields.Field(
        attribute="warning_minutes", column_name="warning_minutes", widget=MinutesWidget()
    )
    late_minutes = fields.Field(
        attribute="late_minutes", column_name="late_minutes", widget=MinutesWidget()
    )

    class Meta:
        model = MenuItem
        import_id_fields = ["sku"]
        # A brand's columns, then the two a store's dish has beyond them.
        fields = ["sku", *BRAND_FIELDS, "warning_minutes", "late_minutes"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, restaurant: Restaurant | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.restaurant = restaurant
        self.fields["category"].widget = CategoryWidget(restaurant)

    def get_diff_class(self) -> type[resources.Diff]:
        return ChangeDiff

    def export_field(self, field: Any, instance: Any, **kwargs: Any) -> Any:
        # A dish named =HYPERLINK(...) stays text in the manager's spreadsheet.
        return cell_out(super().export_field(field, instance, **kwargs))

    def before_save_instance(self, instance: MenuItem, row: Any, **kwargs: Any) -> None:
        category = instance.category
        if category is not None and category.pk is None:
            # An earlier row of this import may have made it already.
            made = MenuCategory.objects.filter(
                restaurant=category.restaurant, name__iexact=category.name
            ).first()
            if made is None:
                last = (
                    MenuCategory.objects.filter(restaurant=category.restaurant)
                    .order_by("-position")
                    .first()
                )
                category.position = (last.position + 1) if last else 1
                category.save()
                self.new_categories.append(category.name)
                made = category
            instance.category = made
        if instance.pk is not None and instance.brand_dish_id is not None:
            # A store's spreadsheet that changes a dish of the brand's menu makes those
            # fields the store's own, as its form does: the brand's changes pass them by.
            attnames = {f: f"{f}_id" if f == "category" else f for f in BRAND_FIELDS}
            current = MenuItem.objects.filter(pk=instance.pk).values(*attnames.values()).first()
            if current is not None:
                changed = [f for f, a in attnames.items() if getattr(instance, a) != current[a]]
                instance.own_fields = sorted(set(instance.own_fields or []) | set(changed))
        super().before_save_instance(instance, row, **kwargs)

    def import_data(self, dataset: Any, *args: Any, **kwargs: Any) -> Any:
        """On SQLite, a file of many rows in transactions of KDS_IMPORT_ROWS_PER_TRANSACTION.

        SQLite has one writer: the library's one transaction for the whole file (a dry run
        too) held the write lock for the minute a large file takes, and every webhook
        behind it answered 503 once its 20 s wait ran out. Between batches the import
        pauses, so a waiting writer takes the lock. PostgreSQL keeps one transaction."""
        size = settings.KDS_IMPORT_ROWS_PER_TRANSACTION
        if connection.vendor != "sqlite" or len(dataset) <= size:
            return super().import_data(dataset, *args, **kwargs)
        self.new_categories: list[str] = []
        merged: Any = None
        for start in range(0, len(dataset), size):
            if merged is not None:
                time.sleep(0.2)  # longer than SQLite's longest busy-wait step (100 ms)
            part = tablib.Dataset(*dataset[start : start + size], headers=dataset.headers)
            result = super().import_data(part, *args, **kwargs)
            merged = result if merged is None else _merged(merged, result, offset=start)
            if result.has_errors():
                break  # as one transaction would: nothing after an unexpected error
        merged.total_rows = len(dataset)
        merged.kds_new_categories = list(dict.fromkeys(merged.kds_new_categories))
        return merged

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        # Kept across the batches of one file (import_data); a dry run's batches each
        # roll back, so a new category is named by each batch that uses it.
        if not hasattr(self, "new_categories"):
            self.new_categories = []

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        # The preview (a dry run, rolled back) and the confirmed import both say which
        # categories the import makes.
        super().after_import(dataset, result, **kwargs)
        result.kds_new_categories = list(dict.fromkeys(self.new_categories))

    def get_queryset(self) -> QuerySet[MenuItem]:
        qs = MenuItem.objects.select_related("category")
        if self.restaurant is not None:
            qs = qs.filter(restaurant=self.restaurant)
        return qs

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        # Blank cells mean the model's default, not an empty value.
        for column in ("prep_minutes", "default_course"):
            if column in row and str(row[column] or "").strip() == "":
                row[column] = MenuItem._meta.get_field(column).get_default()  # type: ignore[union-attr]
        # Text columns: an empty spreadsheet cell is None; a numeric SKU may be a float.
        for column in ("sku", "name", "name_zh", "allergens"):
            if column in row:
                value = row[column]
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                row[column] = "" if value is None else str(value).strip()

    def get_instance(self, instance_loader: Any, row: Any) -> MenuItem | None:
        # A SKU the database cannot compare (a NUL) matches nothing; import_instance
        # then reports the cell.
        if not storable(str(row.get("sku") or "")):
            return None
        found: MenuItem | None = super().get_instance(instance_loader, row)
        return found

    def after_init_instance(self, instance: MenuItem, new: bool, row: Any, **kwargs: Any) -> None:
        if new and self.restaurant is not None:
            instance.restaurant = self.restaurant

    def import_instance(self, instance: MenuItem, row: Any, **kwargs: Any) -> None:
        if self.restaurant is None:
            raise ValidationError(_("No restaurant to import into."))
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as invalid:
            errors = invalid.update_error_dict(errors)
        for column in ("sku", "name", "name_zh", "allergens"):
            if not storable(str(getattr(instance, column) or "")):
                # A NUL is refused by PostgreSQL: say which cell, instead of failing there.
                # Checked whatever else is wrong with the row: the model's own validation,
                # which comes next, looks the SKU up unless it is named here.
                errors[column] = ValidationError(_("Remove the control characters (NUL …)."))
        if errors:
            raise ValidationError(errors)
        warning, late = instance.warning_minutes, instance.late_minutes
        if (warning is None) != (late is None):
            raise ValidationError({"late_minutes": _("Set both thresholds, or leave both empty.")})


def _restaurant_field(restaurants: QuerySet[Restaurant] | None = None) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Restaurant.objects.all() if restaurants is None else restaurants,
        label=_("Restaurant"),
        required=False,
        help_text=_("Only needed when there is more than one restaurant."),
    )


class MenuItemImportForm(ImportForm):
    restaurant = _restaurant_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.restaurants_for(Restaurant.objects.all())

    def restaurants_for(self, restaurants: QuerySet[Restaurant]) -> None:
        """Only these restaurants (the user's) can be imported into."""
        self.restaurants = restaurants
        self.fields["restaurant"] = _restaurant_field(restaurants)
        if restaurants.count() <= 1:
            self.fields["restaurant"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        upload = cleaned.get("import_file")
        problem = too_large(upload.size, Bounds.from_settings()) if upload is not None else None
        if problem:
            # Before the file is read, let alone parsed.
            self.add_error("import_file", problem)
        if cleaned.get("restaurant") is None and self.restaurants.count() > 1:
            self.add_error("restaurant", _("Pick the restaurant whose menu this is."))
        if not self.restaurants.exists():
            self.add_error(None, _("Create a restaurant first."))
        return cleaned


class MenuItemConfirmImportForm(ConfirmImportForm):
    restaurant = forms.ModelChoiceField(
        queryset=Restaurant.objects.all(), required=False, widget=forms.HiddenInput()
    )


def _merged(into: Any, part: Any, *, offset: int) -> Any:
    """`part`, the result of rows from `offset` on, added to `into`."""
    for row in part.invalid_rows:
        row.number += offset
        into.invalid_rows.append(row)
    for row in part.error_rows:
        row.number += offset
        into.error_rows.append(row)
    into.rows.extend(part.rows)
    into.base_errors.extend(part.base_errors)
    for kind, count in part.totals.items():
        into.totals[kind] += count
    into.kds_new_categories = [*into.kds_new_categories, *part.kds_new_categories]
    return into


# The brand menu's columns, as the spreadsheet and the form have them.
BRAND_DISH_COLUMNS = [
    "brand",
    "sku",
    "name",
    "name_zh",
    "category",
    "category_zh",
    "prep_minutes",
    "default_course",
    "allergens",
    "measure",
    "is_active",
]


class BrandDishResource(resources.ModelResource):
    """The brand's menu as a spreadsheet: one row a dish, matched on brand and SKU. Each
    row saved reaches the brand's restaurants (`brand_dish_save`), as a form's save."""

    brand = fields.Field(
        attribute="brand", column_name="brand", widget=widgets.ForeignKeyWidget(Brand, "slug")
    )
    measure = fields.Field(attribute="measure", column_name="measure", widget=MeasureWidget())
    is_active = fields.Field(attribute="is_active", column_name="active", widget=YesNoWidget())

    class Meta:
        model = BrandDish
        import_id_fields = ["brand", "sku"]
        fields = BRAND_DISH_COLUMNS
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        for column in ("sku", "name", "name_zh", "category", "category_zh", "allergens"):
            if column in row:
                value = row[column]
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                text = "" if value is None else str(value).strip()
                if not storable(text):
                    raise ValidationError({column: _("Remove the control characters (NUL …).")})
                row[column] = text

    def do_instance_save(self, instance: BrandDish, is_create: bool) -> None:
        brand_dish_save(dish=instance, user=self.user)
