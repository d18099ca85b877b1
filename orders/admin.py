"""The Django admin, as a kitchen manager uses it: menu, stations, routing rules, screens, sources.

Saving a station's thresholds, display or speech settings, or a screen's display options,
bumps the station's sequence number and tells its open screens after commit, so they
redraw without a reload. Routing rules are read per order, so a rule change applies to
orders that arrive afterwards; tickets already on a screen stay where they are.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from . import admin_views
from .models import (
    Channel,
    Line,
    LineStation,
    MenuCategory,
    MenuItem,
    Order,
    OrderEvent,
    OrderSource,
    OrderStatus,
    Restaurant,
    RoutingRule,
    Screen,
    SourceSecret,
    Station,
    StationKind,
    WebhookMessage,
)
from .resources import MenuItemConfirmImportForm, MenuItemImportForm, MenuItemResource
from .routing import shadowing_rule
from .screens import screen_pairing_link, screen_revoke
from .sequence import stations_touch

# Station fields a screen shows or speaks with: saving one of them redraws the screens.
STATION_SCREEN_FIELDS = {
    "name",
    "kind",
    "colour",
    "position",
    "warning_minutes",
    "late_minutes",
    "speech_language",
    "speech_voice",
    "speech_rate",
    "held_course_display",
    "auto_fire_next_course",
    "course_delay_minutes",
    "pacing",
}
# Menu item fields a ticket on a screen shows (its own thresholds, allergens).
MENU_ITEM_SCREEN_FIELDS = {
    "name",
    "name_zh",
    "warning_minutes",
    "late_minutes",
    "prep_minutes",
    "allergens",
}
SCREEN_DISPLAY_FIELDS = {
    "name",
    "station",
    "font_size",
    "show_all_day",
    "announce",
    "speech_volume",
    "chime_before_speaking",
    "announce_late",
}


def changed_fields(obj: models.Model, form: forms.BaseForm) -> list[str]:
    """The form's model fields whose value differs from the database row."""
    opts = obj._meta
    names = [
        f.name
        for f in opts.concrete_fields
        if f.name in form.fields and f.editable and not f.primary_key
    ]
    if obj.pk is None or not names:
        return names
    attnames = {n: opts.get_field(n).attname for n in names}  # type: ignore[union-attr]
    current = type(obj)._default_manager.filter(pk=obj.pk).values(*attnames.values()).first()
    if current is None:
        return names
    return [n for n in names if getattr(obj, attnames[n]) != current[attnames[n]]]


def save_form_fields(obj: models.Model, fields: list[str], *, change: bool) -> None:
    """Saves only what the form changed, so a concurrent write to another column (a screen
    pairing, a station's sequence number) is never overwritten with a stale value."""
    if not change or obj.pk is None:
        obj.save()
    elif fields:
        obj.save(update_fields=fields)


def only_restaurant() -> Restaurant | None:
    restaurants = list(Restaurant.objects.all()[:2])
    return restaurants[0] if len(restaurants) == 1 else None


class RestaurantDefaultMixin:
    """New objects belong to the only restaurant, when there is just one; the field hides."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "restaurant" and only_restaurant() is not None:
            kwargs["widget"] = forms.HiddenInput()
        field: forms.ModelChoiceField[Any] | None = super().formfield_for_foreignkey(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        return field

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)  # type: ignore[misc]
        restaurant = only_restaurant()
        if restaurant is not None:
            initial.setdefault("restaurant", restaurant.pk)
        return initial


@admin.register(Restaurant)
class RestaurantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


# Stations ------------------------------------------------------------------------------


class StationForm(forms.ModelForm):
    class Meta:
        model = Station
        fields = [
            "restaurant",
            "name",
            "slug",
            "kind",
            "colour",
            "position",
            "is_fallback",
            "warning_minutes",
            "late_minutes",
            "speech_language",
            "speech_voice",
            "speech_rate",
            "held_course_display",
            "auto_fire_next_course",
            "course_delay_minutes",
            "pacing",
        ]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}

    def _get_validation_exclusions(self) -> set[str]:
        # Ticking "fallback" moves the fallback here (see StationAdmin.save_model), so the
        # one-fallback constraint is checked by clean() with a message that says so.
        exclude: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        exclude.add("is_fallback")
        return exclude

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        restaurant = cleaned.get("restaurant")
        if restaurant is None:
            return cleaned
        was_fallback = (
            self.instance.pk is not None
            and Station.objects.filter(pk=self.instance.pk, is_fallback=True).exists()
        )
        if was_fallback and not cleaned.get("is_fallback"):
            self.add_error(
                "is_fallback",
                _(
                    "A restaurant needs exactly one fallback station. To move it, tick "
                    "“fallback” on the station that should take over."
                ),
            )
        if (
            self.instance.pk is None
            and not cleaned.get("is_fallback")
            and cleaned.get("kind") == StationKind.PREP
            and not Station.objects.filter(restaurant=restaurant, is_fallback=True).exists()
        ):
            self.add_error(
                "is_fallback",
                _(
                    "%(restaurant)s has no fallback station yet: make this one the fallback, "
                    "so lines no rule matches still reach a cook."
                )
                % {"restaurant": restaurant},
            )
        return cleaned


class ScreenInline(admin.TabularInline):
    model = Screen
    fields = ["name", "status", "last_seen_at", "font_size", "announce"]
    readonly_fields = ["status", "last_seen_at"]
    extra = 0
    show_change_link = True

    @admin.display(description=_("status"))
    def status(self, obj: Screen) -> str:
        return screen_status(obj)


@admin.register(Station)
class StationAdmin(RestaurantDefaultMixin, SimpleHistoryAdmin):
    form = StationForm
    list_display = [
        "name",
        "slug",
        "kind",
        "swatch",
        "position",
        "warning_minutes",
        "late_minutes",
        "is_fallback",
        "screen_count",
    ]
    list_display_links = ["name"]
    list_editable = ["position", "warning_minutes", "late_minutes"]
    list_filter = ["kind", "is_fallback", "restaurant"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ScreenInline]
    fieldsets = [
        (None, {"fields": ["restaurant", "name", "slug", "kind", "colour", "position"]}),
        (
            _("Routing"),
            {"fields": ["is_fallback"]},
        ),
        (
            _("When a ticket counts as late"),
            {
                "fields": ["warning_minutes", "late_minutes"],
                "description": _(
                    "Minutes since the ticket arrived. A menu item's own thresholds override these."
                ),
            },
        ),
        (
            _("Speech (screens that speak)"),
            {"fields": ["speech_language", "speech_voice", "speech_rate"]},
        ),
        (
            _("Courses and pacing"),
            {
                "fields": [
                    "held_course_display",
                    "auto_fire_next_course",
                    "course_delay_minutes",
                    "pacing",
                ]
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Station]:
        return super().get_queryset(request).annotate(n_screens=Count("screens"))

    @admin.display(description=_("colour"))
    def swatch(self, obj: Station) -> str:
        return format_html(
            '<span style="display:inline-block;width:1.2em;height:1.2em;border-radius:3px;'
            'vertical-align:middle;background:{}" title="{}"></span>',
            obj.colour,
            obj.colour,
        )

    @admin.display(description=_("screens"), ordering="n_screens")
    def screen_count(self, obj: Station) -> int:
        return getattr(obj, "n_screens", 0)

    def save_model(self, request: HttpRequest, obj: Station, form: Any, change: bool) -> None:
        obj._history_user = request.user  # type: ignore[attr-defined]
        fields = changed_fields(obj, form)
        with transaction.atomic():
            if "is_fallback" in fields and obj.is_fallback:
                others = Station.objects.filter(
                    restaurant_id=obj.restaurant_id, is_fallback=True
                ).exclude(pk=obj.pk)
                for other in others:
                    other.is_fallback = False
                    other.save(update_fields=["is_fallback"])
                    messages.info(
                        request,
                        _("%(new)s is now the fallback station instead of %(old)s.")
                        % {"new": obj, "old": other},
                    )
            save_form_fields(obj, fields, change=change)
            if change and STATION_SCREEN_FIELDS.intersection(fields):
                stations_touch(station_ids=[obj.pk], reason="settings")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        without = Restaurant.objects.exclude(stations__is_fallback=True).filter(
            stations__isnull=False
        )
        for restaurant in without.distinct():
            messages.warning(
                request,
                _("%(restaurant)s has no fallback station: lines no rule matches reach no cook.")
                % {"restaurant": restaurant},
            )
        return super().changelist_view(request, extra_context)


# Screens -------------------------------------------------------------------------------


def screen_status(screen: Screen) -> str:
    if screen.revoked_at is not None:
        return str(_("Revoked"))
    if screen.paired_at is not None:
        return str(_("Paired"))
    if screen.pairing_token and (
        screen.pairing_expires_at is None or screen.pairing_expires_at > timezone.now()
    ):
        return str(_("Waiting for pairing"))
    return str(_("Not paired"))


class ScreenForm(forms.ModelForm):
    class Meta:
        model = Screen
        fields = [
            "restaurant",
            "station",
            "name",
            "font_size",
            "show_all_day",
            "announce",
            "speech_volume",
            "chime_before_speaking",
            "announce_late",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        station, restaurant = cleaned.get("station"), cleaned.get("restaurant")
        if (
            station is not None
            and restaurant is not None
            and station.restaurant_id != restaurant.pk
        ):
            self.add_error("station", _("Pick a station of %(r)s.") % {"r": restaurant})
        return cleaned


@admin.register(Screen)
class ScreenAdmin(RestaurantDefaultMixin, admin.ModelAdmin):
    form = ScreenForm
    list_display = ["name", "station", "status", "font_size", "announce", "last_seen_at"]
    list_filter = ["station", "font_size", "announce", "restaurant"]
    list_select_related = ["station"]
    search_fields = ["name", "station__name"]
    readonly_fields = ["status", "pairing_link", "paired_at", "last_seen_at", "revoked_at"]
    actions = ["revoke_screens"]
    fieldsets = [
        (None, {"fields": ["restaurant", "station", "name"]}),
        (_("Display"), {"fields": ["font_size", "show_all_day"]}),
        (
            _("Voice"),
            {"fields": ["announce", "speech_volume", "chime_before_speaking", "announce_late"]},
        ),
        (
            _("Pairing"),
            {"fields": ["status", "pairing_link", "paired_at", "last_seen_at", "revoked_at"]},
        ),
    ]

    @admin.display(description=_("status"))
    def status(self, obj: Screen) -> str:
        return screen_status(obj)

    @admin.display(description=_("pairing link"))
    def pairing_link(self, obj: Screen) -> str:
        if obj.pk is None:
            return str(_("Save the screen first; its pairing link appears here."))
        parts = []
        if screen_status(obj) == str(_("Waiting for pairing")):
            parts.append(
                format_html(
                    '<a href="{}" class="kds-pairing-url">{}</a><br><small>{}</small><br>',
                    obj.pairing_url,
                    obj.pairing_url,
                    _("Open this link once on the device. It works once."),
                )
            )
        url_pair = reverse("admin:orders_screen_pair", args=[obj.pk])
        url_revoke = reverse("admin:orders_screen_revoke", args=[obj.pk])
        parts.append(
            format_html(
                '<a class="button" href="{}">{}</a> <a class="button" href="{}">{}</a>',
                url_pair,
                _("New pairing link"),
                url_revoke,
                _("Revoke"),
            )
        )
        return format_html_join("", "{}", ((p,) for p in parts))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:screen_id>/pair/",
                self.admin_site.admin_view(self.pair_view),
                name="orders_screen_pair",
            ),
            path(
                "<int:screen_id>/revoke/",
                self.admin_site.admin_view(self.revoke_view),
                name="orders_screen_revoke",
            ),
            *super().get_urls(),
        ]

    def _confirm(
        self, request: HttpRequest, screen: Screen, *, title: str, text: str, button: str
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "object": screen,
            "text": text,
            "button": button,
        }
        return TemplateResponse(request, "admin/orders/screen/confirm.html", context)

    def _screen_to_change(self, request: HttpRequest, screen_id: int) -> Screen:
        screen = get_object_or_404(Screen, pk=screen_id)
        if not self.has_change_permission(request, screen):
            raise PermissionDenied
        return screen

    def pair_view(self, request: HttpRequest, screen_id: int) -> HttpResponse:
        screen = self._screen_to_change(request, screen_id)
        if request.method != "POST":
            return self._confirm(
                request,
                screen,
                title=str(_("New pairing link for %(s)s") % {"s": screen.name}),
                text=str(
                    _(
                        "A new one-time link replaces any earlier one. A device already paired "
                        "stays paired; a revoked screen can be paired again with it."
                    )
                ),
                button=str(_("Make a new link")),
            )
        with transaction.atomic():
            if screen.revoked_at is not None:
                Screen.objects.filter(pk=screen.pk).update(revoked_at=None, paired_at=None)
                screen.refresh_from_db()
            url = screen_pairing_link(screen=screen)
        messages.success(
            request,
            format_html("{} <a href='{}'>{}</a>", _("Pairing link (works once):"), url, url),
        )
        return HttpResponseRedirect(reverse("admin:orders_screen_change", args=[screen.pk]))

    def revoke_view(self, request: HttpRequest, screen_id: int) -> HttpResponse:
        screen = self._screen_to_change(request, screen_id)
        if request.method != "POST":
            return self._confirm(
                request,
                screen,
                title=str(_("Revoke %(s)s") % {"s": screen.name}),
                text=str(
                    _(
                        "The device stops showing the board at once and needs a new pairing "
                        "link to come back."
                    )
                ),
                button=str(_("Revoke")),
            )
        screen_revoke(screen=screen)
        messages.success(request, _("%(s)s is revoked.") % {"s": screen.name})
        return HttpResponseRedirect(reverse("admin:orders_screen_change", args=[screen.pk]))

    @admin.action(description=_("Revoke selected screens"), permissions=["change"])
    def revoke_screens(self, request: HttpRequest, queryset: QuerySet[Screen]) -> None:
        n = 0
        for screen in queryset.filter(revoked_at__isnull=True):
            screen_revoke(screen=screen)
            n += 1
        messages.success(
            request,
            ngettext("%(n)d screen revoked.", "%(n)d screens revoked.", n) % {"n": n},
        )

    def save_model(self, request: HttpRequest, obj: Screen, form: Any, change: bool) -> None:
        fields = changed_fields(obj, form)
        with transaction.atomic():
            old_station = (
                Screen.objects.filter(pk=obj.pk).values_list("station_id", flat=True).first()
                if change
                else None
            )
            save_form_fields(obj, fields, change=change)
            if not change:
                url = screen_pairing_link(screen=obj)
                messages.success(
                    request,
                    format_html(
                        "{} <a href='{}'>{}</a>",
                        _("Pairing link (works once):"),
                        url,
                        url,
                    ),
                )
            elif SCREEN_DISPLAY_FIELDS.intersection(fields):
                ids = {obj.station_id} | ({old_station} if old_station else set())
                stations_touch(station_ids=ids, reason="settings")


# Menu ----------------------------------------------------------------------------------


@admin.register(MenuCategory)
class MenuCategoryAdmin(RestaurantDefaultMixin, admin.ModelAdmin):
    list_display = ["name", "name_zh", "position", "item_count"]
    list_editable = ["name_zh", "position"]
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
    list_display = [
        "sku",
        "name",
        "name_zh",
        "category",
        "prep_minutes",
        "default_course",
        "allergens",
        "is_active",
    ]
    list_display_links = ["sku", "name"]
    list_editable = ["prep_minutes", "default_course", "is_active"]
    list_filter = ["is_active", "category", "default_course", "restaurant"]
    list_select_related = ["category"]
    list_per_page = 100
    search_fields = ["sku", "name", "name_zh", "allergens"]
    actions = ["activate", "deactivate"]
    fieldsets = [
        (None, {"fields": ["restaurant", "sku", "name", "name_zh", "category", "is_active"]}),
        (_("Kitchen"), {"fields": ["prep_minutes", "default_course", "allergens"]}),
        (
            _("Own thresholds"),
            {
                "fields": ["warning_minutes", "late_minutes"],
                "description": _("Override the station's thresholds for this dish."),
            },
        ),
    ]

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
        with transaction.atomic():
            save_form_fields(obj, fields, change=change)
            if change and MENU_ITEM_SCREEN_FIELDS.intersection(fields):
                # Tickets of this dish already on a screen use its thresholds: redraw them.
                showing = (
                    LineStation.objects.filter(line__menu_item=obj)
                    .exclude(line__order__status__in=[OrderStatus.SERVED, OrderStatus.CANCELLED])
                    .values_list("station_id", flat=True)
                    .distinct()
                )
                stations_touch(station_ids=list(showing), reason="settings")

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        out: dict[str, Any] = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        restaurant = None
        if form is not None and hasattr(form, "cleaned_data"):
            restaurant = form.cleaned_data.get("restaurant")
        out["restaurant"] = restaurant or only_restaurant()
        return out

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

    def get_import_data_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        out: dict[str, Any] = super().get_import_data_kwargs(**kwargs)
        out.pop("restaurant", None)
        return out

    def add_success_message(self, result: Any, request: HttpRequest) -> None:
        super().add_success_message(result, request)
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


# Routing rules -------------------------------------------------------------------------


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = [
            "restaurant",
            "position",
            "name",
            "is_active",
            "menu_item",
            "category",
            "channel",
            "source",
            "stations",
        ]
        widgets = {"stations": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        history = getattr(self.instance, "_history", None)
        if history is not None and "stations" in self.fields:
            # A revert form: show the stations as they were, not as they are.
            self.initial["stations"] = [s.station_id for s in history.stations.all()]
        if "channel" in self.fields:
            channel = self.fields["channel"]
            assert isinstance(channel, forms.ChoiceField)
            channel.choices = [("", _("any channel")), *Channel.choices]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        restaurant = cleaned.get("restaurant")
        if restaurant is None:
            return cleaned
        for name in ("menu_item", "category", "source"):
            value = cleaned.get(name)
            if value is not None and value.restaurant_id != restaurant.pk:
                self.add_error(name, _("Pick one of %(r)s.") % {"r": restaurant})
        stations = cleaned.get("stations") or []
        if any(s.restaurant_id != restaurant.pk for s in stations):
            self.add_error("stations", _("Pick stations of %(r)s.") % {"r": restaurant})
        item, category = cleaned.get("menu_item"), cleaned.get("category")
        if item is not None and category is not None and item.category_id != category.pk:
            self.add_error(
                "category",
                _(
                    "This rule can never match: %(item)s is not in %(category)s. Leave the "
                    "category empty or pick the dish's own."
                )
                % {"item": item, "category": category},
            )
        return cleaned


def conditions_text(rule: RoutingRule) -> str:
    parts = []
    if rule.menu_item_id:
        parts.append(str(_("dish: %(x)s") % {"x": rule.menu_item}))
    if rule.category_id:
        parts.append(str(_("category: %(x)s") % {"x": rule.category}))
    if rule.channel:
        parts.append(str(_("channel: %(x)s") % {"x": rule.get_channel_display()}))
    if rule.source_id:
        parts.append(str(_("source: %(x)s") % {"x": rule.source}))
    return "; ".join(parts) or str(_("every line"))


@admin.register(RoutingRule)
class RoutingRuleAdmin(RestaurantDefaultMixin, SimpleHistoryAdmin):
    form = RoutingRuleForm
    list_display = ["position", "name", "conditions", "station_list", "is_active"]
    list_display_links = ["name"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active", "channel", "stations", "category", "source", "restaurant"]
    list_select_related = ["menu_item", "category", "source"]
    search_fields = ["name", "menu_item__sku", "menu_item__name", "category__name"]
    autocomplete_fields = ["menu_item", "category", "source"]
    ordering = ["restaurant", "position", "pk"]
    fieldsets = [
        (None, {"fields": ["restaurant", "position", "name", "is_active"]}),
        (
            _("When a line matches all of these (empty: any)"),
            {"fields": ["menu_item", "category", "channel", "source"]},
        ),
        (_("Send it to"), {"fields": ["stations"]}),
    ]
    change_list_template = "admin/orders/routingrule/change_list.html"
    change_form_template = "admin/orders/routingrule/change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoutingRule]:
        return super().get_queryset(request).prefetch_related("stations")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        last = RoutingRule.objects.order_by("-position").values_list("position", flat=True).first()
        initial.setdefault("position", (last or 0) + 10)
        return initial

    @admin.display(description=_("conditions"))
    def conditions(self, obj: RoutingRule) -> str:
        return conditions_text(obj)

    @admin.display(description=_("stations"))
    def station_list(self, obj: RoutingRule) -> str:
        return format_html_join(
            " ",
            '<span style="border-left:4px solid {};padding-left:4px">{}</span>',
            ((s.colour, s.name) for s in obj.stations.all()),
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "preview/",
                self.admin_site.admin_view(self.preview_view),
                name="orders_routingrule_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        return admin_views.routing_preview(request, model_admin=self)

    def save_model(self, request: HttpRequest, obj: RoutingRule, form: Any, change: bool) -> None:
        obj._history_user = request.user  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        rule = form.instance
        rules = list(
            RoutingRule.objects.filter(restaurant_id=rule.restaurant_id).prefetch_related(
                "stations"
            )
        )
        earlier = shadowing_rule(rule, rules)
        if earlier is not None:
            messages.warning(
                request,
                _(
                    "“%(rule)s” can never match: the earlier rule “%(earlier)s” (order "
                    "%(position)s) catches every line it would. Move it above, or make it "
                    "more specific."
                )
                % {"rule": rule, "earlier": earlier, "position": earlier.position},
            )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        rules = list(RoutingRule.objects.select_related("menu_item").prefetch_related("stations"))
        for rule in rules:
            earlier = shadowing_rule(rule, rules)
            if earlier is not None:
                messages.warning(
                    request,
                    _(
                        "“%(rule)s” can never match: “%(earlier)s” comes first and "
                        "catches its lines."
                    )
                    % {"rule": rule, "earlier": earlier},
                )
        extra = {
            "preview_url": reverse("admin:orders_routingrule_preview"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)


# Order sources -------------------------------------------------------------------------


class SourceSecretInline(admin.TabularInline):
    model = SourceSecret
    fields = ["masked", "created_at", "expires_at"]
    readonly_fields = ["masked", "created_at", "expires_at"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("signing secrets (newest first)")

    @admin.display(description=_("secret"))
    def masked(self, obj: SourceSecret) -> str:
        return f"{obj.secret[:10]}…"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OrderSource)
class OrderSourceAdmin(RestaurantDefaultMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "webhook_url", "default_priority", "is_active"]
    list_editable = ["default_priority", "is_active"]
    list_filter = ["is_active", "default_priority", "restaurant"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["restaurant", "name", "slug", "is_active", "default_priority", "webhook_url"]
    readonly_fields = ["webhook_url"]
    inlines = [SourceSecretInline]
    actions = ["rotate_secrets"]

    @admin.display(description=_("webhook URL"))
    def webhook_url(self, obj: OrderSource) -> str:
        return settings.KDS_BASE_URL + obj.webhook_path if obj.slug else ""

    def _show_secret(self, request: HttpRequest, source: OrderSource, secret: str) -> None:
        messages.success(
            request,
            format_html(
                "{} <code>{}</code> <code class='kds-secret'>{}</code><br><small>{}</small>",
                _("New signing secret for"),
                source.slug,
                secret,
                _("Copy it now: it is not shown again."),
            ),
        )

    def save_model(self, request: HttpRequest, obj: OrderSource, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            self._show_secret(request, obj, SourceSecret.objects.create(source=obj).secret)

    @admin.action(
        description=_("Rotate the signing secret (the old one works 24 more hours)"),
        permissions=["change"],
    )
    def rotate_secrets(self, request: HttpRequest, queryset: QuerySet[OrderSource]) -> None:
        for source in queryset:
            with transaction.atomic():
                secret = source.rotate_secret().secret
            self._show_secret(request, source, secret)


# Orders, read only ---------------------------------------------------------------------


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LineInline(ReadOnlyMixin, admin.TabularInline):
    model = Line
    fields = ("quantity", "name", "sku", "course", "modifiers", "notes", "status", "unmapped")
    readonly_fields = fields
    extra = 0


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = OrderEvent
    fields = ("at", "kind", "line", "station", "actor", "data")
    readonly_fields = fields
    extra = 0


@admin.register(Order)
class OrderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "source", "channel", "table", "priority", "status", "placed_at"]
    list_filter = ["status", "channel", "priority", "source"]
    search_fields = ["number", "external_id", "table", "customer_name"]
    date_hierarchy = "placed_at"
    inlines = [LineInline, EventInline]


@admin.register(WebhookMessage)
class WebhookMessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["webhook_id", "source", "event_type", "outcome", "order", "received_at"]
    list_filter = ["outcome", "event_type", "source"]
    search_fields = ["webhook_id", "order__external_id"]


admin.site.site_header = _("Kitchen display administration")
admin.site.site_title = _("Kitchen display")
admin.site.index_title = _("Menu, stations and routing")
