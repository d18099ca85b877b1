"""Kitchen printers and their jobs: set-up, failures, and a manager's reprint."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..actions.printing import print_job_reprint
from ..models import Printer, PrintJob
from ..printing.fonts import FontMissing, font_files
from .common import ReadOnlyMixin, RestaurantDefaultMixin, RestaurantScopedMixin

HOST = re.compile(r"[A-Za-z0-9.\-:\[\]]{1,255}")


class PrinterForm(forms.ModelForm):
    class Meta:
        model = Printer
        fields = [
            "restaurant",
            "station",
            "name",
            "host",
            "port",
            "mode",
            "paper_width",
            "chinese_font",
            "is_active",
        ]

    def clean_host(self) -> str:
        host = str(self.cleaned_data.get("host") or "").strip()
        if not HOST.fullmatch(host):
            raise forms.ValidationError(_("Enter an IP address or a host name."))
        return host

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


@admin.register(Printer)
class PrinterAdmin(RestaurantDefaultMixin, admin.ModelAdmin):
    form = PrinterForm
    list_display = [
        "name",
        "station",
        "address",
        "mode",
        "chinese_font",
        "state",
        "last_printed_at",
    ]
    list_filter = ["mode", "station", "is_active", "restaurant"]
    list_select_related = ["station"]
    readonly_fields = ["state", "last_printed_at"]
    fieldsets = [
        (None, {"fields": ["restaurant", "station", "name", "is_active"]}),
        (_("Connection"), {"fields": ["host", "port", "paper_width", "chinese_font"]}),
        (_("When it prints"), {"fields": ["mode"]}),
        (_("State"), {"fields": ["state", "last_printed_at"]}),
    ]

    @admin.display(description=_("address"))
    def address(self, obj: Printer) -> str:
        return f"{obj.host}:{obj.port}"

    @admin.display(description=_("state"))
    def state(self, obj: Printer) -> str:
        if not obj.is_active:
            return str(_("Switched off"))
        if obj.failures:
            return format_html(
                '<strong class="kds-printer-failing">{}</strong><br><small>{}</small>',
                ngettext("%(n)d failure in a row", "%(n)d failures in a row", obj.failures)
                % {"n": obj.failures},
                obj.last_error,
            )
        return str(_("OK"))

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if Printer.objects.filter(is_active=True, chinese_font=False).exists():
            try:
                font_files()
            except FontMissing as exc:
                messages.warning(request, str(exc))
        return super().changelist_view(request, extra_context)


@admin.register(PrintJob)
class PrintJobAdmin(RestaurantScopedMixin, ReadOnlyMixin, admin.ModelAdmin):
    restaurant_lookup = "printer__restaurant"
    list_display = [
        "created_at",
        "printer",
        "kind",
        "number",
        "reason",
        "status",
        "attempts",
        "reprint",
        "last_error",
    ]
    list_filter = ["status", "kind", "reason", "printer"]
    list_select_related = ["printer"]
    search_fields = ["payload__number", "last_error"]
    actions = ["reprint_jobs"]
    date_hierarchy = "created_at"

    @admin.display(description=_("order"))
    def number(self, obj: PrintJob) -> str:
        return f"#{obj.payload.get('number', '')}"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nothing on a job is edited; "change" is what allows the reprint action.
        return obj is None and request.user.has_perm("orders.change_printjob")

    @admin.action(description=_("Reprint selected slips (marked REPRINT)"), permissions=["change"])
    def reprint_jobs(self, request: HttpRequest, queryset: QuerySet[PrintJob]) -> None:
        jobs = list(queryset.select_related("printer"))
        for job in jobs:
            print_job_reprint(job=job, user=request.user)
        messages.success(
            request,
            ngettext("%(n)d slip sent again.", "%(n)d slips sent again.", len(jobs))
            % {"n": len(jobs)},
        )
