"""What a report covers: a restaurant, a period of its calendar days, stations and channels."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Restaurant,
)


class Period:
    TODAY = "today"
    YESTERDAY = "yesterday"
    LAST_7 = "7d"
    LAST_30 = "30d"
    CUSTOM = "custom"

    choices = [
        (TODAY, _("Today")),
        (YESTERDAY, _("Yesterday")),
        (LAST_7, _("Last 7 days")),
        (LAST_30, _("Last 30 days")),
        (CUSTOM, _("Custom")),
    ]


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: orders of one restaurant placed in [start, end)."""

    restaurant: Restaurant
    first_day: date
    last_day: date
    station_id: int | None = None
    channel: str | None = None

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.restaurant.time_zone)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        """Exclusive: midnight after the last day, in the restaurant's time zone."""
        return datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=self.tz)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


# No order is placed before this day (the webhook takes placed_at within a year of now).
FIRST_REPORT_DAY = date(1970, 1, 1)


def report_days_bounds(*, restaurant: Restaurant, now: datetime | None = None) -> tuple[date, date]:
    """The first and last day a custom period may cover: 1 Jan 1970 to a year from today."""
    return FIRST_REPORT_DAY, restaurant_today(restaurant=restaurant, now=now) + timedelta(days=366)


def restaurant_today(*, restaurant: Restaurant, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), zoneinfo.ZoneInfo(restaurant.time_zone)).date()


def report_scope(
    *,
    restaurant: Restaurant,
    period: str,
    start: date | None = None,
    end: date | None = None,
    station_id: int | None = None,
    channel: str | None = None,
    now: datetime | None = None,
) -> ReportScope:
    """The days a period covers, counted in the restaurant's time zone; "last 7 days" ends today."""
    today = restaurant_today(restaurant=restaurant, now=now)
    if period == Period.TODAY:
        first, last = today, today
    elif period == Period.YESTERDAY:
        first = last = today - timedelta(days=1)
    elif period == Period.LAST_7:
        first, last = today - timedelta(days=6), today
    elif period == Period.LAST_30:
        first, last = today - timedelta(days=29), today
    elif period == Period.CUSTOM:
        if start is None or end is None:
            raise ValueError("a custom period needs a start and an end")
        first, last = min(start, end), max(start, end)
    else:
        raise ValueError(f"unknown period {period!r}")
    return ReportScope(
        restaurant=restaurant,
        first_day=first,
        last_day=last,
        station_id=station_id,
        channel=channel or None,
    )
