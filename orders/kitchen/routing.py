"""Which stations a line goes to.

Rules are tried in order and the first active rule whose every condition holds
wins; a line no rule matches, or one not on the menu, goes to the restaurant's
fallback station. Every line also goes to every expo station.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..models import MenuItem, RoutingRule, Station, StationKind


@dataclass(frozen=True)
class LineFacts:
    """What routing looks at, so it can be asked before a line exists (the admin preview)."""

    menu_item: MenuItem | None
    channel: str
    source_id: int | None


def rule_matches(rule: RoutingRule, facts: LineFacts) -> bool:
    if not rule.is_active:
        return False
    item = facts.menu_item
    if rule.menu_item_id is not None and (item is None or item.pk != rule.menu_item_id):
        return False
    if rule.category_id is not None and (item is None or item.category_id != rule.category_id):
        return False
    if rule.channel and rule.channel != facts.channel:
        return False
    if rule.source_id is not None and rule.source_id != facts.source_id:
        return False
    return True


@dataclass(frozen=True)
class RoutingTable:
    """A restaurant's rules and stations, loaded once per order rather than once per line."""

    rules: Sequence[RoutingRule]
    rule_stations: dict[int, list[Station]]
    fallback: Station | None
    expo: list[Station]

    @classmethod
    def load(cls, restaurant_id: int) -> RoutingTable:
        rules = list(
            RoutingRule.objects.filter(restaurant_id=restaurant_id, is_active=True)
            .prefetch_related("stations")
            .order_by("position", "pk")
        )
        stations = list(Station.objects.filter(restaurant_id=restaurant_id))
        return cls(
            rules=rules,
            rule_stations={
                r.pk: sorted(
                    (s for s in r.stations.all() if s.kind == StationKind.PREP),
                    key=lambda s: (s.position, s.pk),
                )
                for r in rules
            },
            fallback=next((s for s in stations if s.is_fallback), None),
            expo=[s for s in stations if s.kind == StationKind.EXPO],
        )

    def matching_rule(self, facts: LineFacts) -> RoutingRule | None:
        if facts.menu_item is None or not facts.menu_item.is_active:
            # Unmapped and inactive dishes are never dropped: they go to the fallback.
            return None
        for rule in self.rules:
            if rule_matches(rule, facts) and self.rule_stations[rule.pk]:
                return rule
        return None

    def prep_stations(self, facts: LineFacts) -> list[Station]:
        rule = self.matching_rule(facts)
        if rule is not None:
            return list(self.rule_stations[rule.pk])
        return [self.fallback] if self.fallback is not None else []

    def route(self, facts: LineFacts) -> list[Station]:
        """Prep stations first, then every expo station; never empty if a fallback exists."""
        return self.prep_stations(facts) + self.expo


def rule_covers(general: RoutingRule, specific: RoutingRule) -> bool:
    """True when every line `specific` matches is also matched by `general`."""
    if general.menu_item_id is not None and general.menu_item_id != specific.menu_item_id:
        return False
    if general.category_id is not None and general.category_id != specific.category_id:
        item = specific.menu_item if specific.menu_item_id is not None else None
        if item is None or item.category_id != general.category_id:
            return False
    if general.channel and general.channel != specific.channel:
        return False
    if general.source_id is not None and general.source_id != specific.source_id:
        return False
    return True


def shadowing_rule(rule: RoutingRule, rules: Sequence[RoutingRule]) -> RoutingRule | None:
    """The earlier active rule that catches every line `rule` would, so `rule` never matches."""
    if not rule.is_active:
        return None

    def key(r: RoutingRule) -> tuple[int, float]:
        return (r.position, r.pk if r.pk is not None else float("inf"))

    for earlier in sorted(rules, key=key):
        if key(earlier) >= key(rule):
            break
        if earlier.restaurant_id != rule.restaurant_id or not earlier.is_active:
            continue
        if not any(s.kind == StationKind.PREP for s in earlier.stations.all()):
            continue
        if rule_covers(earlier, rule):
            return earlier
    return None
