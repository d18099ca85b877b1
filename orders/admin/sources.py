"""Order sources and their signing secrets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import (
    OrderSource,
    SourceSecret,
)
from .common import RestaurantDefaultMixin


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
