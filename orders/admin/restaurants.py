"""Restaurants, and who belongs to which (a user's page lists their restaurants)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..access import user_sees_every_restaurant
from ..actions.brand import brand_menu_apply
from ..actions.settings import restaurant_save
from ..models import (
    Membership,
    Restaurant,
)
from .common import RestaurantScopedMixin, changed_fields


class RestaurantMemberInline(admin.TabularInline):
    model = Membership
    fields = ["user"]
    autocomplete_fields = ["user"]
    extra = 0
    verbose_name = _("member")
    verbose_name_plural = _("members")

    def _chain(self, request: HttpRequest) -> bool:
        return user_sees_every_restaurant(request.user)

    # Only a chain administrator says who belongs where: a manager of one store could
    # otherwise add themselves to it from another's page, or anyone to their own.
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._chain(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._chain(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._chain(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._chain(request)


@admin.register(Restaurant)
class RestaurantAdmin(RestaurantScopedMixin, admin.ModelAdmin):
    restaurant_lookup = "id"
    list_display = ["name", "slug", "brand", "time_zone", "clock_format", "language"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RestaurantMemberInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Which brand's menu a store follows is the chain's choice, not the store's.
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if user_sees_every_restaurant(request.user) else [*readonly, "brand"]

    def save_model(self, request: HttpRequest, obj: Restaurant, form: Any, change: bool) -> None:
        fields = changed_fields(obj, form)
        restaurant_save(restaurant=obj, fields=fields, change=change)
        if "brand" in fields or (not change and obj.brand_id):
            n = brand_menu_apply(restaurant=obj, user=request.user)
            if n:
                messages.info(
                    request,
                    ngettext(
                        "%(n)d dish of the brand's menu is on its menu.",
                        "%(n)d dishes of the brand's menu are on its menu.",
                        n,
                    )
                    % {"n": n},
                )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new restaurant has no members: only a chain administrator would see it.
        return user_sees_every_restaurant(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_sees_every_restaurant(request.user) and super().has_delete_permission(
            request, obj
        )


class UserMembershipInline(RestaurantMemberInline):
    fields = ["restaurant"]
    autocomplete_fields = []
    verbose_name = _("restaurant")
    verbose_name_plural = _("restaurants")


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class KitchenUserAdmin(UserAdmin):
    """The user's page names the restaurants they belong to."""

    inlines = [*UserAdmin.inlines, UserMembershipInline]
