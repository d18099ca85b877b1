"""Speed-of-service reports: where the kitchen loses time.

Every figure is computed by the database (one aggregate query per table), never by
looping over rows in Python, so a year of a busy restaurant stays fast.

Definitions (docs/reports.md explains them at more length):

* The period is a range of calendar days in the restaurant's time zone. An order
  belongs to the period if it was *placed* in it; its lines and their tickets go
  with it, so the tables always add up.
* A *ticket* is one line at one prep station (a `LineStation`). Its time runs from
  `LineStation.fired_at` (arrival, or firing for a held course) to the station's
  last `bumped` event for that line that no `recalled` event followed. The bump
  service keeps exactly that instant in `LineStation.ready_at` (written in the same
  transaction as the event, cleared by a recall), so the reports read it there
  rather than re-deriving it from the log for every row. Only tickets in state
  "ready" count; lines fully voided and lines of cancelled orders are left out of
  prep times (they still count as voids and cancels).
* A ticket is *late* when its time exceeds the dish's late threshold: the stricter
  of the menu item's `late_minutes` and the station's. A dish's *lateness* is its share of
  late tickets (none, under half, half or more: `Lateness`); the chart colours a
  dish by it and draws its late threshold, so the chart and the tables say the same.
* *Ready to served* is per order: `Order.ready_at` (the order's `ready` event) to
  `Order.served_at` (its `served` event), for orders that have both.
* *Dishes* are the quantities of the lines of orders not cancelled, net of voids;
  *voids* the voided quantities; *cancels* the orders cancelled.
* Percentiles are continuous (linear interpolation, like PostgreSQL's
  `percentile_cont`): the median of 1, 2, 3, 10 minutes is 2.5 minutes.
"""

from ..expressions import Seconds
from .queries import by_channel, by_dish, by_hour, by_station, headline, lines_in_range
from .results import (
    ChannelRow,
    DishReport,
    DishRow,
    Headline,
    HourRow,
    Lateness,
    StationRow,
    Stats,
)
from .scope import Period, ReportScope, report_days_bounds, report_scope, restaurant_today
from .sql import Percentile, percentile_cont

__all__ = [
    "ChannelRow",
    "DishReport",
    "DishRow",
    "Headline",
    "HourRow",
    "Lateness",
    "Percentile",
    "Period",
    "ReportScope",
    "Seconds",
    "StationRow",
    "Stats",
    "by_channel",
    "by_dish",
    "by_hour",
    "by_station",
    "headline",
    "lines_in_range",
    "percentile_cont",
    "report_days_bounds",
    "report_scope",
    "restaurant_today",
]
