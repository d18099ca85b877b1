"""Outgoing webhooks: where the kitchen's events go, whether they arrive, the delivery log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import DeliveryAttempt, OutboxMessage, OutboxState, WebhookEndpoint
from ..outbox.events import EVENT_TYPES
from .common import ReadOnlyMixin, RestaurantDefaultMixin


class DeliveryLogInline(ReadOnlyMixin, admin.TabularInline):
    model = DeliveryAttempt
    fields = (
        "at",
        "event",
        "status_code",
        "error",
        "duration_ms",
    )
    readonly_fields = fields
    ordering = ["-at", "-pk"]
    verbose_name_plural = _("delivery log (newest first, last 100)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[DeliveryAttempt]:
        base = super().get_queryset(request)
        newest = list(base.order_by("-at", "-pk").values_list("pk", flat=True)[:100])
        return base.filter(pk__in=newest).select_related("message")

    @admin.display(description=_("event"))
    def event(self, obj: DeliveryAttempt) -> str:
        return f"{obj.message.event_type} · {obj.message.msg_id}"


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=capfirst(_("events")),
        choices=[(e, e) for e in EVENT_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["restaurant", "name", "url", "events", "is_active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(RestaurantDefaultMixin, admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "state", "last_success_at", "waiting"]
    list_filter = ["is_active", "restaurant"]
    search_fields = ["name", "url"]
    readonly_fields = ["state", "signing_secret", "last_success_at", "failing_since", "disabled_at"]
    fieldsets = [
        (None, {"fields": ["restaurant", "name", "url", "events", "is_active"]}),
        (
            _("Delivery"),
            {
                "fields": [
                    "state",
                    "signing_secret",
                    "last_success_at",
                    "failing_since",
                    "disabled_at",
                ],
                "description": _(
                    "Signed per Standard Webhooks (webhook-id, webhook-timestamp, "
                    "webhook-signature) with this endpoint's secret; retried with back-off; "
                    "receivers dedupe on webhook-id."
                ),
            },
        ),
    ]
    inlines = [DeliveryLogInline]
    actions = ["enable", "retry_failed"]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [DeliveryLogInline] if obj is not None else []  # a new one has no log

    @admin.display(description=_("state"))
    def state(self, obj: WebhookEndpoint) -> SafeString | str:
        if obj.disabled_at is not None and not obj.is_active:
            since = timezone.localtime(obj.disabled_at).strftime("%Y-%m-%d %H:%M")
            return format_html(
                "<strong style='color:#b91c1c'>{}</strong>",
                _("Disabled %(since)s: failing for days") % {"since": since},
            )
        if not obj.is_active:
            return str(_("Off"))
        if obj.failing_since is not None:
            since = timezone.localtime(obj.failing_since).strftime("%Y-%m-%d %H:%M")
            return format_html(
                "<strong style='color:#b45309'>{}</strong>",
                _("Failing since %(since)s") % {"since": since},
            )
        return str(_("Delivering"))

    @admin.display(description=_("waiting"))
    def waiting(self, obj: WebhookEndpoint) -> int:
        return obj.messages.filter(state=OutboxState.PENDING).count()

    @admin.display(description=_("signing secret"))
    def signing_secret(self, obj: WebhookEndpoint) -> SafeString | str:
        if not obj.pk:
            return str(_("Made when you save."))
        return format_html("<code class='kds-secret'>{}</code>", obj.secret)

    @admin.action(description=_("Switch on again (and deliver what waits)"), permissions=["change"])
    def enable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        count = queryset.update(is_active=True, disabled_at=None, failing_since=None)
        messages.success(
            request,
            ngettext("%(n)d endpoint is on.", "%(n)d endpoints are on.", count) % {"n": count},
        )

    @admin.action(description=_("Try the given-up events again"), permissions=["change"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        count = OutboxMessage.objects.filter(
            endpoint__in=queryset, state=OutboxState.FAILED
        ).update(state=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now())
        messages.success(
            request,
            ngettext("%(n)d event queued again.", "%(n)d events queued again.", count)
            % {"n": count},
        )
