"""The figures a report answers with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stats:
    """Durations in seconds. `late` is None where lateness does not apply (ready to served)."""

    count: int
    median: float | None
    mean: float | None
    p90: float | None
    late: int | None = None

    @property
    def late_share(self) -> float | None:
        if self.late is None or not self.count:
            return None
        return self.late / self.count


@dataclass(frozen=True)
class Headline:
    orders: int
    cancelled: int
    dishes: int
    voided: int
    prep: Stats
    to_serve: Stats


@dataclass(frozen=True)
class StationRow:
    station_id: int
    name: str
    colour: str
    orders: int
    dishes: int
    voided: int
    prep: Stats


class Lateness:
    """How late a dish runs, from its share of late tickets: the one measure the chart's
    colour, its note and the tables' "late" column all read."""

    NONE = "none"  # no ticket late
    SOME = "some"  # under half of them late
    MOST = "most"  # half or more late

    @staticmethod
    def of(stats: Stats) -> str:
        share = stats.late_share or 0
        if share >= 0.5:
            return Lateness.MOST
        return Lateness.SOME if share > 0 else Lateness.NONE


@dataclass(frozen=True)
class DishRow:
    menu_item_id: int
    name: str
    name_zh: str
    prep_minutes: int  # the menu's target prep time
    dishes: int
    prep: Stats
    # Seconds after which its tickets are late (the stricter of the dish's and its station's):
    # the lowest and highest over its tickets, which differ when stations differ.
    late_after: float | None = None
    late_after_max: float | None = None

    @property
    def lateness(self) -> str:
        return Lateness.of(self.prep)

    @property
    def over_prep_time(self) -> float | None:
        """Seconds the median exceeds the menu's prep time by (negative: under)."""
        if self.prep.median is None:
            return None
        return self.prep.median - self.prep_minutes * 60


@dataclass(frozen=True)
class DishReport:
    slowest: list[DishRow]
    most_late: list[DishRow]


@dataclass(frozen=True)
class HourRow:
    hour: int
    orders: int
    tickets: int
    median: float | None


@dataclass(frozen=True)
class ChannelRow:
    channel: str
    label: str
    orders: int
    cancelled: int
    dishes: int
    prep: Stats
    to_serve: Stats
