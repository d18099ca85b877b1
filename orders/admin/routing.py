"""Routing rules, with shadowed rules flagged, and the routing preview."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..kitchen.routing import shadowing_rule
from ..models import (
    Channel,
    RoutingRule,
)
from . import views as admin_views
from .common import RestaurantDefaultMixin


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
        rules = self.get_queryset(request)
        last = rules.order_by("-position").values_list("position", flat=True).first()
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
        rules = list(self.get_queryset(request).select_related("menu_item"))
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
