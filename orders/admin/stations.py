"""Stations: thresholds, kind, colour, speech, courses; exactly one fallback."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..access import user_restaurants
from ..actions.settings import screen_save, station_save
from ..models import (
    Screen,
    Station,
    StationKind,
)
from .common import RestaurantDefaultMixin, changed_fields, screen_status


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
            "print_backup_after_seconds",
        ]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out (a form from before printers, a script): the default.
        self.fields["print_backup_after_seconds"].required = False

    def clean_print_backup_after_seconds(self) -> int:
        value = self.cleaned_data.get("print_backup_after_seconds")
        default = Station._meta.get_field("print_backup_after_seconds").get_default()
        return int(value) if value is not None else int(default)

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
    fields = ["name", "status", "last_seen_at", "language", "font_size", "announce"]
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
        (_("Printers"), {"fields": ["print_backup_after_seconds"]}),
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
        replaced = station_save(station=obj, fields=changed_fields(obj, form), change=change)
        for other in replaced:
            messages.info(
                request,
                _("%(new)s is now the fallback station instead of %(old)s.")
                % {"new": obj, "old": other},
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Screens added or changed in the station's inline go through `screen_save`, as
        on their own page: a new one belongs to the station's restaurant and gets its
        pairing link; a changed one redraws the station's open screens."""
        if formset.model is not Screen:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for screen in formset.deleted_objects:
            screen.delete()
        for screen in formset.new_objects:
            screen.restaurant_id = form.instance.restaurant_id
            url = screen_save(screen=screen, fields=[], change=False)
            if url:
                messages.success(
                    request,
                    format_html(
                        "{} {} <a href='{}'>{}</a>",
                        screen.name,
                        _("pairing link (works once):"),
                        url,
                        url,
                    ),
                )
        for screen, fields in formset.changed_objects:
            screen_save(screen=screen, fields=fields, change=True)
        formset.save_m2m()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        without = (
            user_restaurants(request.user)
            .exclude(stations__is_fallback=True)
            .filter(stations__isnull=False)
        )
        for restaurant in without.distinct():
            messages.warning(
                request,
                _("%(restaurant)s has no fallback station: lines no rule matches reach no cook.")
                % {"restaurant": restaurant},
            )
        return super().changelist_view(request, extra_context)
