"""GET /chain/ — the head office's page: every restaurant of the user's at a glance,
refreshed live, and the speed of service compared store by store."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import reports
from ..access import user_restaurants
from ..htmx import swapping, vary_on_htmx
from . import charts
from .chain import chain_now, chain_period
from .views import can_view_reports, minutes, share

# Seconds between two refreshes of the live figures.
REFRESH_SECONDS = 10
PERIODS = [(k, v) for k, v in reports.Period.choices if k != reports.Period.CUSTOM]


class ChainForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"), choices=PERIODS, required=False, initial=reports.Period.TODAY
    )

    def period_value(self) -> str:
        if self.is_bound and self.is_valid():
            return str(self.cleaned_data.get("period") or reports.Period.TODAY)
        return reports.Period.TODAY


def _live(request: HttpRequest, restaurants: list[Any]) -> dict[str, Any]:
    now = timezone.now()
    stores = chain_now(restaurants=restaurants, now=now)
    return {
        "stores": stores,
        "totals": {
            "open_tickets": sum(s.open_tickets for s in stores),
            "late_tickets": sum(s.late_tickets for s in stores),
            "screens": sum(s.screens for s in stores),
            "screens_offline": sum(s.screens_offline for s in stores),
            "orders_last_hour": sum(s.orders_last_hour for s in stores),
        },
        "now": timezone.localtime(now),
        "refresh_seconds": REFRESH_SECONDS,
    }


def _compared(request: HttpRequest, restaurants: list[Any], form: ChainForm) -> dict[str, Any]:
    rows = chain_period(restaurants=restaurants, period=form.period_value())
    return {
        "compared": [
            {
                "store": r,
                "count": r.prep.count,
                "median": minutes(r.prep.median),
                "p90": minutes(r.prep.p90),
                "late": share(r.prep.late_share),
                "warn": (r.prep.late_share or 0) > 0.1,
            }
            for r in rows
        ],
        "chain_chart": charts.chain_chart(rows),
    }


def chain_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_view_reports(request.user):
        raise PermissionDenied(_("Only kitchen managers may see the chain page."))
    restaurants = list(user_restaurants(request.user).order_by("name", "pk"))
    form = ChainForm(request.GET or None)
    part = request.GET.get("part") if swapping(request) else None
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": _("All restaurants"),
        "restaurants": restaurants,
        "form": form,
    }
    if part != "compared":
        context.update(_live(request, restaurants))
    if part != "live":
        context.update(_compared(request, restaurants, form))
    template = "orders/chain.html"
    if part in ("live", "compared"):
        template = f"{template}#{part}"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return vary_on_htmx(response)
