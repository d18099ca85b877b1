"""Restaurants."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ..actions.settings import restaurant_save
from ..models import (
    Restaurant,
)
from .common import changed_fields


@admin.register(Restaurant)
class RestaurantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Restaurant, form: Any, change: bool) -> None:
        restaurant_save(restaurant=obj, fields=changed_fields(obj, form), change=change)
