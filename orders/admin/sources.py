"""Order sources: their kind, what to paste where in the vendor's settings, their secrets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from ..intake.sources import KINDS, secret_for, setup_steps
from ..models import OrderSource, SourceFetch, SourceKind, SourceSecret
from .common import ReadOnlyMixin, RestaurantDefaultMixin


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


class SourceFetchInline(ReadOnlyMixin, admin.TabularInline):
    """Square's orders, announced and fetched: what is still waiting and why."""

    model = SourceFetch
    fields = (
        "external_id",
        "created_at",
        "attempts",
        "next_attempt_at",
        "done_at",
        "failed_at",
        "last_error",
    )
    readonly_fields = fields
    ordering = ["-created_at"]
    verbose_name_plural = _("orders fetched from Square (newest first)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SourceFetch]:
        # The newest fifty: enough to see what is stuck, not a year of history.
        newest = super().get_queryset(request).order_by("-created_at").values("pk")[:50]
        return super().get_queryset(request).filter(pk__in=list(newest))


class OrderSourceForm(forms.ModelForm):
    vendor_secret = forms.CharField(
        label=_("secret from the vendor"),
        required=False,
        max_length=100,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Shopify, Square and Deliverect give the signing secret: paste it here. "
            "Empty keeps the current one; a new one replaces it (the old one works 24 more hours)."
        ),
    )
    api_token = forms.CharField(
        label=_("API access token / client secret"),
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Square: the access token. Deliverect: the client secret. Empty keeps it."),
    )

    class Meta:
        model = OrderSource
        fields = [
            "restaurant",
            "name",
            "slug",
            "kind",
            "is_active",
            "default_priority",
            "vendor_location",
            "api_client_id",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].required = False  # empty: our own contract
        if self.instance.api_secret:
            # Never shown again, but the manager must see that one is set.
            ending = self.instance.api_secret[-4:]
            self.fields["api_token"].help_text = _(
                "One is set (ending …%(end)s). Paste another to replace it; empty keeps it."
            ) % {"end": ending}

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        kind = cleaned["kind"] = cleaned.get("kind") or SourceKind.STANDARD
        secret = cleaned.get("vendor_secret") or ""
        if self.instance.pk is None and KINDS[kind].vendor_secret and not secret:
            self.add_error(
                "vendor_secret",
                _("%(vendor)s gives the secret: paste it here (the steps below say where).")
                % {"vendor": SourceKind(kind).label},
            )
        if secret and not KINDS[kind].vendor_secret:
            self.add_error("vendor_secret", _("For this kind we make the secret; leave it empty."))
        if secret and len(secret) < 8:
            self.add_error("vendor_secret", _("That is too short to be the vendor's secret."))
        needs_token = kind == SourceKind.SQUARE and not self.instance.api_secret
        if needs_token and not cleaned.get("api_token"):
            self.add_error(
                "api_token", _("Square sends only the order's id: the access token fetches it.")
            )
        return cleaned


@admin.register(OrderSource)
class OrderSourceAdmin(RestaurantDefaultMixin, admin.ModelAdmin):
    form = OrderSourceForm
    list_display = ["name", "slug", "kind", "webhook_url", "default_priority", "is_active"]
    list_editable = ["default_priority", "is_active"]
    list_filter = ["kind", "is_active", "default_priority", "restaurant"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["webhook_url", "setup"]
    fieldsets = [
        (None, {"fields": ["restaurant", "name", "slug", "kind", "is_active", "default_priority"]}),
        (_("What to paste where"), {"fields": ["webhook_url", "setup"]}),
        (
            _("Vendor"),
            {
                "fields": ["vendor_secret", "api_token", "api_client_id", "vendor_location"],
                "description": _("Only for Shopify, WooCommerce, Square and Deliverect sources."),
            },
        ),
    ]
    inlines = [SourceSecretInline]
    actions = ["rotate_secrets"]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is not None and obj.kind == SourceKind.SQUARE:
            return [SourceSecretInline, SourceFetchInline]
        return [SourceSecretInline]

    @admin.display(description=_("webhook URL"))
    def webhook_url(self, obj: OrderSource) -> str:
        return settings.KDS_BASE_URL + obj.webhook_path if obj.slug else ""

    @admin.display(description=_("steps"))
    def setup(self, obj: OrderSource) -> SafeString | str:
        if not obj.pk:
            return str(_("Choose the kind and save: the steps for that vendor appear here."))
        steps = setup_steps(obj.kind, url=self.webhook_url(obj))
        return format_html(
            "<ol class='kds-setup'>{}</ol>",
            format_html_join("", "<li>{}</li>", ((s,) for s in steps)),
        )

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
        if form.cleaned_data.get("api_token"):
            obj.api_secret = form.cleaned_data["api_token"]
        vendor_secret = form.cleaned_data.get("vendor_secret") or ""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if vendor_secret and change:
                obj.rotate_secret(secret=vendor_secret)
            elif vendor_secret:
                SourceSecret.objects.create(source=obj, secret=vendor_secret)
            elif not change:
                made = SourceSecret.objects.create(source=obj, secret=secret_for(obj.kind)).secret
        if not change and not vendor_secret:
            self._show_secret(request, obj, made)

    @admin.action(
        description=_("Rotate the signing secret (the old one works 24 more hours)"),
        permissions=["change"],
    )
    def rotate_secrets(self, request: HttpRequest, queryset: QuerySet[OrderSource]) -> None:
        for source in queryset:
            if KINDS[source.kind].vendor_secret:
                messages.warning(
                    request,
                    _("%(slug)s: %(vendor)s makes its secret; paste its new one in the form.")
                    % {"slug": source.slug, "vendor": SourceKind(source.kind).label},
                )
                continue
            with transaction.atomic():
                secret = source.rotate_secret(secret=secret_for(source.kind)).secret
            self._show_secret(request, source, secret)
