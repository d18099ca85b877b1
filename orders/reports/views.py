"""The speed-of-service reports page, its CSV downloads and who may see them."""

from __future__ import annotations

import csv
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import reports
from ..access import user_restaurants
from ..htmx import page_or_partial, vary_on_htmx
from ..kitchen.speech import is_chinese
from ..models import Channel, Restaurant, Station, StationKind
from ..spreadsheets import row_out
from . import charts as report_charts

VIEW_REPORTS = "orders.view_reports"
# The longest custom period the page accepts: a year and a day for leap years.
MAX_DAYS = 366


def can_view_reports(user: Any) -> bool:
    """Whoever has the permission to view reports (kitchen managers, superusers)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.has_perm(VIEW_REPORTS))


class ReportForm(forms.Form):
    restaurant = forms.ChoiceField(label=gettext_lazy("Restaurant"), required=False)
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        choices=reports.Period.choices,
        required=False,
        initial=reports.Period.LAST_7,
    )
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    station = forms.TypedChoiceField(
        label=gettext_lazy("Station"), coerce=int, empty_value=None, required=False
    )
    channel = forms.ChoiceField(label=gettext_lazy("Order channel"), required=False)

    def __init__(self, data: Any, *, restaurants: list[Restaurant], restaurant: Restaurant) -> None:
        super().__init__(data)
        self.restaurant_obj = restaurant
        stations = Station.objects.filter(restaurant=restaurant, kind=StationKind.PREP)
        choices: dict[str, list[tuple[Any, Any]]] = {
            "restaurant": [(r.slug, r.name) for r in restaurants],
            "station": [("", _("All stations"))]
            + [(s.pk, s.name) for s in stations.order_by("position", "name")],
            "channel": [("", _("All channels")), *Channel.choices],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period") == reports.Period.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("A custom period needs a start and an end date."))
            # Days in year 1 or 9999 are days whose midnight in the restaurant's zone is
            # outside what a datetime holds; no order is placed before 1970 or a year ahead.
            first, last = reports.report_days_bounds(restaurant=self.restaurant_obj)
            if not (first <= start <= last and first <= end <= last):
                raise forms.ValidationError(
                    _("Pick dates between %(first)s and %(last)s.")
                    % {"first": date_format(first), "last": date_format(last)}
                )
            if end < start:
                raise forms.ValidationError(_("The end date is before the start date."))
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(
                    _("A period can be at most %(days)d days long.") % {"days": MAX_DAYS}
                )
        return data

    def scope(self) -> reports.ReportScope:
        """The scope the valid fields describe; an unusable custom period means the last 7 days."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = dict(self.cleaned_data)
        period = data.get("period") or reports.Period.LAST_7
        if period == reports.Period.CUSTOM and self.non_field_errors():
            period = reports.Period.LAST_7
        return reports.report_scope(
            restaurant=self.restaurant_obj,
            period=period,
            start=data.get("start"),
            end=data.get("end"),
            station_id=data.get("station"),
            channel=data.get("channel") or None,
        )


# --------------------------------------------------------------------------- formatting


def minutes(seconds: float | None) -> str:
    """A duration as m:ss, or an em dash when there is none."""
    if seconds is None:
        return "—"
    total = round(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    if total >= 3600:
        return f"{sign}{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return f"{sign}{total // 60}:{total % 60:02d}"


def share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def dish_name(row: reports.DishRow) -> str:
    if is_chinese(translation.get_language() or "") and row.name_zh:
        return row.name_zh
    return row.name


# --------------------------------------------------------------------------- tables
#
# Each table is a header and rows of plain values, shared by the page and the CSV.

Table = tuple[list[str], list[list[Any]]]


def _stats_cells(stats: reports.Stats, *, late: bool) -> list[Any]:
    cells: list[Any] = [stats.count, minutes(stats.median), minutes(stats.mean), minutes(stats.p90)]
    if late:
        cells.append(share(stats.late_share))
    return cells


def headline_table(head: reports.Headline) -> Table:
    header = [_("Figure"), _("Count"), _("Median"), _("Mean"), _("90th percentile"), _("Late")]
    return header, [
        [_("Arrival or firing to ready"), *_stats_cells(head.prep, late=True)],
        [_("Ready to served"), *_stats_cells(head.to_serve, late=False), "—"],
    ]


def station_table(rows: list[reports.StationRow]) -> Table:
    header = [
        _("Station"),
        _("Orders"),
        _("Dishes"),
        _("Voided"),
        _("Tickets"),
        _("Median"),
        _("Mean"),
        _("90th percentile"),
        _("Late"),
    ]
    return header, [
        [r.name, r.orders, r.dishes, r.voided, *_stats_cells(r.prep, late=True)] for r in rows
    ]


def dish_table(rows: list[reports.DishRow]) -> Table:
    header = [
        _("Dish"),
        _("Late after"),
        _("Dishes"),
        _("Tickets"),
        _("Median"),
        _("Mean"),
        _("90th percentile"),
        _("Late"),
        _("Prep time (menu)"),
        _("Median over prep time"),
    ]
    return header, [
        [
            dish_name(r),
            report_charts.late_after_text(r),
            r.dishes,
            *_stats_cells(r.prep, late=True),
            minutes(r.prep_minutes * 60),
            minutes(r.over_prep_time),
        ]
        for r in rows
    ]


def hour_table(rows: list[reports.HourRow]) -> Table:
    header = [_("Hour"), _("Orders"), _("Tickets"), _("Median ticket time")]
    return header, [[f"{r.hour:02d}:00", r.orders, r.tickets, minutes(r.median)] for r in rows]


def channel_table(rows: list[reports.ChannelRow]) -> Table:
    header = [
        _("Channel"),
        _("Orders"),
        _("Cancelled"),
        _("Dishes"),
        _("Tickets"),
        _("Median"),
        _("Mean"),
        _("90th percentile"),
        _("Late"),
        _("Ready to served: median"),
        _("Ready to served: 90th percentile"),
    ]
    return header, [
        [
            r.label,
            r.orders,
            r.cancelled,
            r.dishes,
            *_stats_cells(r.prep, late=True),
            minutes(r.to_serve.median),
            minutes(r.to_serve.p90),
        ]
        for r in rows
    ]


TABLES: dict[str, Callable[[reports.ReportScope], Table]] = {
    "summary": lambda scope: headline_table(reports.headline(scope=scope)),
    "stations": lambda scope: station_table(reports.by_station(scope=scope)),
    "slowest-dishes": lambda scope: dish_table(reports.by_dish(scope=scope).slowest),
    "late-dishes": lambda scope: dish_table(reports.by_dish(scope=scope).most_late),
    "hours": lambda scope: hour_table(reports.by_hour(scope=scope)),
    "channels": lambda scope: channel_table(reports.by_channel(scope=scope)),
}


def _csv_response(name: str, scope: reports.ReportScope, table: Table) -> HttpResponse:
    filename = (
        f"speed-of-service-{scope.restaurant.slug}-{name}-{scope.first_day:%Y%m%d}-"
        f"{scope.last_day:%Y%m%d}.csv"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte-order mark, so spreadsheet programs read the Chinese names as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    header, rows = table
    writer.writerow(header)
    # A dish or station named =HYPERLINK(...) stays text in the manager's spreadsheet.
    writer.writerows(row_out(row) for row in rows)
    return response


# --------------------------------------------------------------------------- the view


def _pick_restaurant(slug: str | None, restaurants: Iterable[Restaurant]) -> Restaurant | None:
    restaurants = list(restaurants)
    for restaurant in restaurants:
        if restaurant.slug == slug:
            return restaurant
    return restaurants[0] if restaurants else None


def reports_page(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_view_reports(request.user):
        raise PermissionDenied(_("Only kitchen managers may see the reports."))
    restaurants = list(user_restaurants(request.user).order_by("name"))
    restaurant = _pick_restaurant(request.GET.get("restaurant"), restaurants)
    context: dict[str, Any] = {
        **admin.site.each_context(request),
        "title": _("Speed-of-service reports"),
        "restaurant": restaurant,
    }
    if restaurant is None:
        return render(request, "orders/reports.html", context)

    form = ReportForm(request.GET or None, restaurants=restaurants, restaurant=restaurant)
    scope = form.scope()
    table_name = request.GET.get("csv")
    if table_name:
        if table_name not in TABLES:
            return HttpResponse(_("No such table."), status=404, content_type="text/plain")
        return _csv_response(table_name, scope, TABLES[table_name](scope))

    tz = zoneinfo.ZoneInfo(restaurant.time_zone)
    with timezone.override(tz):
        head = reports.headline(scope=scope)
        stations = reports.by_station(scope=scope)
        dishes = reports.by_dish(scope=scope)
        hours = reports.by_hour(scope=scope)
        channels = reports.by_channel(scope=scope)
        query = request.GET.copy()
        query.pop("csv", None)
        context.update(
            form=form,
            scope=scope,
            head=head,
            head_table=headline_table(head),
            station_table=station_table(stations),
            slowest_table=dish_table(dishes.slowest),
            late_table=dish_table(dishes.most_late),
            # The page lists the hours with orders; the CSV has all 24.
            hour_table=hour_table([h for h in hours if h.orders]),
            channel_table=channel_table(channels),
            late_share=share(head.prep.late_share),
            prep_median=minutes(head.prep.median),
            serve_median=minutes(head.to_serve.median),
            hour_chart=report_charts.hour_chart(hours),
            station_chart=report_charts.station_chart(stations),
            slowest_chart=report_charts.dish_chart(dishes.slowest, name=dish_name),
            channel_chart=report_charts.channel_chart(channels),
            csv_query=query.urlencode(),
            now=timezone.localtime(timezone.now(), tz),
            time_zone=restaurant.time_zone,
            today=reports.restaurant_today(restaurant=restaurant),
        )
        # A filter change (htmx) gets the filters and the report: the page's own partial.
        template = page_or_partial(request, "orders/reports.html", "report")
        return vary_on_htmx(render(request, template, context))
