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


@dataclass(frozen=True)
class DishRow:
    menu_item_id: int
    name: str
    name_zh: str
    target_minutes: int
    dishes: int
    prep: Stats

    @property
    def over_target(self) -> float | None:
        """Seconds the median exceeds the target prep time by (negative: under)."""
        if self.prep.median is None:
            return None
        return self.prep.median - self.target_minutes * 60


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
