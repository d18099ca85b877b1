"""Restaurants."""

from __future__ import annotations

from django.contrib import admin

from ..models import (
    Restaurant,
)


@admin.register(Restaurant)
class RestaurantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
