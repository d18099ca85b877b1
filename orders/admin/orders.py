"""Orders and webhook messages, read only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import (
    Line,
    Order,
    OrderEvent,
    WebhookMessage,
)
from .common import BoundedDatesMixin, ReadOnlyMixin, RestaurantScopedMixin


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
class OrderAdmin(RestaurantScopedMixin, BoundedDatesMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "source", "channel", "table", "priority", "status", "placed_at"]
    list_filter = ["status", "channel", "priority", "source"]
    search_fields = ["number", "external_id", "table", "customer_name"]
    date_hierarchy = "placed_at"
    inlines = [LineInline, EventInline]


@admin.register(WebhookMessage)
class WebhookMessageAdmin(RestaurantScopedMixin, ReadOnlyMixin, admin.ModelAdmin):
    restaurant_lookup = "source__restaurant"
    list_display = ["webhook_id", "source", "event_type", "outcome", "order", "received_at"]
    list_filter = ["outcome", "event_type", "source"]
    search_fields = ["webhook_id", "order__external_id"]


admin.site.site_header = _("Kitchen display administration")
admin.site.site_title = _("Kitchen display")
admin.site.index_title = _("Menu, stations and routing")
