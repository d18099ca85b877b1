"""The menu: categories and dishes in English and Chinese, import and export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from ..access import user_restaurants, user_sees_every_restaurant
from ..actions.brand import brand_dish_save, menu_item_follow_brand, menu_item_own_fields
from ..actions.menu import menu_item_availability_set
from ..actions.settings import menu_item_save
from ..models import (
    Brand,
    BrandDish,
    MenuCategory,
    MenuItem,
)
from ..spreadsheets import FileRefused
from .common import RestaurantDefaultMixin, changed_fields, only_restaurant
from .import_formats import MenuCSV, MenuXLSX
from .resources import (
    BRAND_DISH_COLUMNS,
    BrandDishResource,
    MenuItemConfirmImportForm,
    MenuItemImportForm,
    MenuItemResource,
)


@admin.register(MenuCategory)
class MenuCategoryAdmin(RestaurantDefaultMixin, admin.ModelAdmin):
    list_display = ["name", "name_zh", "measure", "position", "item_count"]
    list_editable = ["name_zh", "measure", "position"]
    list_filter = ["restaurant"]
    search_fields = ["name", "name_zh"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MenuCategory]:
        return super().get_queryset(request).annotate(n_items=Count("items"))

    @admin.display(description=_("items"), ordering="n_items")
    def item_count(self, obj: MenuCategory) -> int:
        return getattr(obj, "n_items", 0)


class MenuItemForm(forms.ModelForm):
    class Meta:
        model = MenuItem
        fields = [
            "restaurant",
            "sku",
            "name",
            "name_zh",
            "category",
            "is_active",
            "prep_minutes",
            "default_course",
            "allergens",
            "measure",
            "warning_minutes",
            "late_minutes",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        category, restaurant = cleaned.get("category"), cleaned.get("restaurant")
        if (
            category is not None
            and restaurant is not None
            and category.restaurant_id != restaurant.pk
        ):
            self.add_error("category", _("Pick a category of %(r)s.") % {"r": restaurant})
        warning, late = cleaned.get("warning_minutes"), cleaned.get("late_minutes")
        if (warning is None) != (late is None):
            self.add_error(
                "late_minutes" if late is None else "warning_minutes",
                _("Set both thresholds, or leave both empty to use the station's."),
            )
        return cleaned


@admin.register(MenuItem)
class MenuItemAdmin(RestaurantDefaultMixin, ImportExportMixin, SimpleHistoryAdmin):
    form = MenuItemForm
    resource_classes = [MenuItemResource]
    import_form_class = MenuItemImportForm
    confirm_form_class = MenuItemConfirmImportForm
    import_template_name = "admin/orders/menuitem/import.html"
    # Only what is tested end to end: tablib cannot read HTML back (a 500), and JSON or
    # YAML uploads would be parsed whole before any bound applies.
    import_formats = [MenuCSV, MenuXLSX]
    export_formats = [MenuCSV, MenuXLSX]
    list_display = [
        "sku",
        "name",
        "name_zh",
        "availability",
        "category",
        "prep_minutes",
        "default_course",
        "allergens",
        "is_active",
    ]
    list_display_links = ["sku", "name"]
    list_editable = ["prep_minutes", "default_course", "is_active"]
    list_filter = ["is_available", "is_active", "category", "default_course", "restaurant"]
    list_select_related = ["category"]
    list_per_page = 100
    search_fields = ["sku", "name", "name_zh", "allergens"]
    actions = ["activate", "deactivate", "sold_out", "back_on", "follow_brand"]
    fieldsets = [
        (None, {"fields": ["restaurant", "sku", "name", "name_zh", "category", "is_active"]}),
        (_("86"), {"fields": ["availability"]}),
        (_("Brand menu"), {"fields": ["brand"]}),
        (_("Kitchen"), {"fields": ["prep_minutes", "default_course", "allergens", "measure"]}),
        (
            _("Own thresholds"),
            {
                "fields": ["warning_minutes", "late_minutes"],
                "description": _(
                    "For a dish that must be quicker than its station's thresholds: the "
                    "stricter of the two applies."
                ),
            },
        ),
    ]

    readonly_fields = ["availability", "brand"]

    @admin.display(description=_("86 / available"), ordering="is_available")
    def availability(self, obj: MenuItem) -> SafeString | str:
        if obj.is_available:
            return str(_("Available"))
        since = obj.unavailable_since
        when = timezone.localtime(since).strftime("%H:%M") if since else ""
        return format_html(
            "<strong style='color:#b45309'>{}</strong>",
            _("86 — sold out since %(time)s") % {"time": when},
        )

    def _availability(self, request: HttpRequest, queryset: QuerySet[MenuItem], on: bool) -> None:
        changed = sum(
            menu_item_availability_set(item=item, available=on, user=request.user)
            for item in queryset
        )
        messages.success(
            request,
            ngettext("%(n)d dish changed.", "%(n)d dishes changed.", changed) % {"n": changed},
        )

    @admin.action(description=_("86 the selected dishes (sold out)"), permissions=["change"])
    def sold_out(self, request: HttpRequest, queryset: QuerySet[MenuItem]) -> None:
        self._availability(request, queryset, False)

    @admin.action(description=_("Selected dishes are available again"), permissions=["change"])
    def back_on(self, request: HttpRequest, queryset: QuerySet[MenuItem]) -> None:
        self._availability(request, queryset, True)

    def get_export_queryset(self, request: HttpRequest) -> Any:
        # The export applies the list's filters from the address; one the list does not
        # know makes the list redirect with ?e=1, and must not make the export crash.
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as exc:
            raise BadRequest(_("The export's filters are not valid: %s") % exc) from exc

    def save_model(self, request: HttpRequest, obj: MenuItem, form: Any, change: bool) -> None:
        obj._history_user = request.user  # type: ignore[attr-defined]
        fields = changed_fields(obj, form)
        if change:
            menu_item_own_fields(item=obj, fields=fields)  # the store differs from its brand
        menu_item_save(item=obj, fields=fields, change=change)

    @admin.display(description=_("brand menu"))
    def brand(self, obj: MenuItem) -> str:
        if obj.brand_dish_id is None:
            return str(_("This restaurant's own dish"))
        if not obj.own_fields:
            return str(_("As the brand's"))
        return str(
            _("Differs from the brand's: %(fields)s") % {"fields": ", ".join(obj.own_fields)}
        )

    @admin.action(description=_("Follow the brand's menu again"), permissions=["change"])
    def follow_brand(self, request: HttpRequest, queryset: QuerySet[MenuItem]) -> None:
        items = list(queryset.filter(brand_dish__isnull=False).select_related("brand_dish"))
        for item in items:
            menu_item_follow_brand(item=item, user=request.user)
        messages.success(
            request,
            ngettext("%(n)d dish changed.", "%(n)d dishes changed.", len(items))
            % {"n": len(items)},
        )

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        out: dict[str, Any] = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        restaurant = None
        if form is not None and hasattr(form, "cleaned_data"):
            restaurant = form.cleaned_data.get("restaurant")
        out["restaurant"] = restaurant or only_restaurant(request)
        return out

    def create_import_form(self, request: HttpRequest) -> Any:
        form = super().create_import_form(request)
        form.restaurants_for(user_restaurants(request.user))
        return form

    def create_confirm_form(self, request: HttpRequest, import_form: Any = None) -> Any:
        form = super().create_confirm_form(request, import_form=import_form)
        form.fields["restaurant"].queryset = user_restaurants(request.user)
        return form

    def get_confirm_form_initial(self, request: HttpRequest, import_form: Any) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_confirm_form_initial(request, import_form)
        if import_form is not None and import_form.cleaned_data.get("restaurant"):
            initial["restaurant"] = import_form.cleaned_data["restaurant"].pk
        return initial

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Rows with errors are reported and skipped; the other rows can still be imported."""
        response: HttpResponse = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None)
        result = context.get("result") if context else None
        if context is not None and result is not None:
            # The preview lists a page of each kind of row, and says how many more there are.
            limit = settings.KDS_IMPORT_PREVIEW_ROWS
            valid, invalid = result.valid_rows(), result.invalid_rows
            context["kds_valid_rows"] = valid[:limit]
            context["kds_valid_more"] = max(0, len(valid) - limit)
            context["kds_invalid_rows"] = invalid[:limit]
            context["kds_invalid_more"] = max(0, len(invalid) - limit)
        if context is not None and result is not None and "confirm_form" not in context:
            # Rows that fail validation are skipped; an unexpected error in any row would
            # roll the whole import back, so then nothing is offered for import.
            bad = len(result.invalid_rows)
            good = result.total_rows - bad
            if not result.has_errors() and good > 0:
                import_form = context["form"]
                context["confirm_form"] = self.create_confirm_form(request, import_form=import_form)
                context["kds_skipped_rows"] = bad
                context["kds_good_rows"] = good
        return response

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        if isinstance(e, FileRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        out: dict[str, Any] = super().get_import_data_kwargs(**kwargs)
        out.pop("restaurant", None)
        return out

    def add_success_message(self, result: Any, request: HttpRequest) -> None:
        super().add_success_message(result, request)
        made = getattr(result, "kds_new_categories", [])
        if made:
            messages.info(
                request,
                ngettext(
                    "Created the category %(names)s.",
                    "Created the categories %(names)s.",
                    len(made),
                )
                % {"names": ", ".join(made)},
            )
        bad = len(result.invalid_rows)
        if bad:
            messages.warning(
                request,
                ngettext(
                    "%(n)d row had errors and was not imported.",
                    "%(n)d rows had errors and were not imported.",
                    bad,
                )
                % {"n": bad},
            )

    @admin.action(description=_("Mark selected dishes active"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[MenuItem]) -> None:
        for item in queryset.filter(is_active=False):
            item.is_active = True
            item.save(update_fields=["is_active"])

    @admin.action(description=_("Mark selected dishes inactive"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[MenuItem]) -> None:
        for item in queryset.filter(is_active=True):
            item.is_active = False
            item.save(update_fields=["is_active"])


class ChainOnlyMixin:
    """Pages of the whole chain (the brands and their menu): chain administrators only."""

    def _chain(self, request: HttpRequest) -> bool:
        return user_sees_every_restaurant(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._chain(request) and super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._chain(request) and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._chain(request) and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._chain(request) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._chain(request) and super().has_delete_permission(request, obj)  # type: ignore[misc]


@admin.register(Brand)
class BrandAdmin(ChainOnlyMixin, admin.ModelAdmin):
    chain_only = True
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(BrandDish)
class BrandDishAdmin(ChainOnlyMixin, ImportExportMixin, SimpleHistoryAdmin):
    """The brand's menu: a save reaches every restaurant of the brand (orders.actions.brand)."""

    chain_only = True
    resource_classes = [BrandDishResource]
    import_formats = [MenuCSV, MenuXLSX]
    export_formats = [MenuCSV, MenuXLSX]
    list_display = ["sku", "name", "name_zh", "category", "prep_minutes", "is_active", "stores"]
    list_display_links = ["sku", "name"]
    list_filter = ["brand", "is_active", "category"]
    search_fields = ["sku", "name", "name_zh", "category"]
    fields = BRAND_DISH_COLUMNS

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        out: dict[str, Any] = super().get_import_resource_kwargs(request, **kwargs)
        out["user"] = request.user
        return out

    @admin.display(description=_("restaurants that differ"))
    def stores(self, obj: BrandDish) -> str:
        differ = [i.restaurant.name for i in obj.items.select_related("restaurant") if i.own_fields]
        return ", ".join(differ) or "—"

    def save_model(self, request: HttpRequest, obj: BrandDish, form: Any, change: bool) -> None:
        obj._history_user = request.user  # type: ignore[attr-defined]
        copies = brand_dish_save(dish=obj, user=request.user)
        messages.info(
            request,
            ngettext(
                "%(n)d restaurant's menu follows it.",
                "%(n)d restaurants' menus follow it.",
                len(copies),
            )
            % {"n": len(copies)},
        )
