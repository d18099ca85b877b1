"""The demo restaurant: a Sichuan and hot-pot kitchen, its menu, stations and routing rules.

The rows are plain data so other commands (the order simulator, benchmarks) can import
the menu. `demo_load()` creates whatever is missing and never changes what exists, so
running it twice changes nothing and a manager's edits survive a re-run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..actions.screens import screen_pairing_link
from ..models import (
    Channel,
    Measure,
    MenuCategory,
    MenuItem,
    OrderSource,
    Restaurant,
    RoutingRule,
    Screen,
    SourceSecret,
    Station,
    StationKind,
)

RESTAURANT_SLUG = "demo"
RESTAURANT_NAME = "Chongqing House 重庆小馆"
RESTAURANT_TIME_ZONE = "Asia/Shanghai"
SOURCE_SLUG = "pos"
SOURCE_NAME = "Front counter POS"
# `kds_demo --restaurants N`: the chain's other stores, each the demo kitchen again.
BRANCHES = [
    ("Jiefangbei", "解放碑店"),
    ("Guanyinqiao", "观音桥店"),
    ("Nanping", "南坪店"),
    ("Shapingba", "沙坪坝店"),
    ("Yangjiaping", "杨家坪店"),
    ("Ciqikou", "磁器口店"),
]
MAX_RESTAURANTS = 1000


@dataclass(frozen=True)
class Store:
    slug: str
    name: str
    source_slug: str


def chain_stores(n: int) -> list[Store]:
    """The demo chain of n stores: the demo restaurant first, then its branches."""
    stores = [Store(RESTAURANT_SLUG, RESTAURANT_NAME, SOURCE_SLUG)]
    for i in range(2, n + 1):
        en, zh = BRANCHES[i - 2] if i - 2 < len(BRANCHES) else (f"Store {i}", f"{i}号店")
        stores.append(
            Store(f"{RESTAURANT_SLUG}-{i}", f"Chongqing House {en} 重庆小馆{zh}", f"pos-{i}")
        )
    return stores


@dataclass(frozen=True)
class StationRow:
    slug: str
    name: str
    kind: str
    colour: str
    position: int
    warning_minutes: int
    late_minutes: int
    is_fallback: bool = False


@dataclass(frozen=True)
class CategoryRow:
    key: str
    name: str
    name_zh: str
    position: int
    measure: str = ""  # how its dishes are counted aloud in Chinese; "" is 份


@dataclass(frozen=True)
class MenuRow:
    sku: str
    name: str
    name_zh: str
    category: str  # a CategoryRow key
    prep_minutes: int
    course: int = 1
    allergens: str = ""
    is_active: bool = True
    warning_minutes: int | None = None
    late_minutes: int | None = None
    measure: str = ""  # "" is its category's


@dataclass(frozen=True)
class RuleRow:
    position: int
    name: str
    stations: tuple[str, ...]  # station slugs
    sku: str = ""
    category: str = ""  # a CategoryRow key
    channel: str = ""


STATIONS: tuple[StationRow, ...] = (
    StationRow("soup", "Soup bases 锅底", StationKind.PREP, "#dc2626", 1, 4, 7),
    StationRow("wok", "Wok 炒锅", StationKind.PREP, "#ea580c", 2, 5, 8, is_fallback=True),
    StationRow("grill", "Grill 烧烤", StationKind.PREP, "#a16207", 3, 8, 12),
    StationRow("cold", "Cold dishes 凉菜", StationKind.PREP, "#0891b2", 4, 3, 6),
    StationRow("drinks", "Drinks 饮品", StationKind.PREP, "#7c3aed", 5, 2, 4),
    StationRow("expo", "Expo 出菜", StationKind.EXPO, "#16a34a", 9, 8, 12),
)

CATEGORIES: tuple[CategoryRow, ...] = (
    CategoryRow("soup", "Soup bases", "锅底", 1, Measure.POT),
    CategoryRow("plates", "Hot pot plates", "涮菜", 2),
    CategoryRow("cold", "Cold dishes", "凉菜", 3),
    CategoryRow("wok", "Wok dishes", "热菜", 4),
    CategoryRow("grill", "Grill", "烧烤", 5, Measure.SKEWER),
    CategoryRow("staples", "Dumplings and staples", "面点主食", 6),
    CategoryRow("drinks", "Drinks", "饮品", 7, Measure.CUP),
)

MENU: tuple[MenuRow, ...] = (
    # Soup bases: first course, they go on the table before anything is cooked in them.
    MenuRow("HP-BASE-MALA", "Spicy Mala Broth", "麻辣锅底", "soup", 6, 1, "sesame"),
    MenuRow("HP-BASE-TOMATO", "Tomato Broth", "番茄锅底", "soup", 6, 1),
    MenuRow("HP-BASE-MUSHROOM", "Wild Mushroom Broth", "菌汤锅底", "soup", 6, 1),
    MenuRow("HP-BASE-YY", "Yin-Yang Twin Broth", "鸳鸯锅底", "soup", 7, 1, "sesame"),
    MenuRow("HP-BASE-BONE", "Pork Bone Broth", "骨汤锅底", "soup", 6, 1),
    # Hot pot plates: plated raw at the cold station, second course.
    MenuRow("HP-BEEF", "Sliced Beef", "肥牛", "plates", 3, 2),
    MenuRow("HP-LAMB", "Lamb Rolls", "羊肉卷", "plates", 3, 2),
    MenuRow("HP-TRIPE", "Beef Tripe", "毛肚", "plates", 3, 2),
    MenuRow("HP-DUCK-BLOOD", "Duck Blood Curd", "鸭血", "plates", 2, 2),
    MenuRow("HP-SHRIMP", "Shrimp Paste", "虾滑", "plates", 4, 2, "shellfish"),
    MenuRow("HP-TOFU", "Frozen Tofu", "冻豆腐", "plates", 2, 2, "soy"),
    MenuRow("HP-LOTUS", "Lotus Root Slices", "藕片", "plates", 2, 2),
    MenuRow("HP-POTATO", "Potato Slices", "土豆片", "plates", 2, 2),
    MenuRow("HP-NAPA", "Napa Cabbage", "大白菜", "plates", 2, 2),
    MenuRow("HP-ENOKI", "Enoki Mushrooms", "金针菇", "plates", 2, 2),
    MenuRow("HP-NOODLE", "Sweet Potato Noodles", "宽粉", "plates", 2, 2),
    MenuRow("HP-FISHBALL", "Fish Balls", "鱼丸", "plates", 2, 2, "fish"),
    # Cold dishes.
    MenuRow("COLD-CHK", "Mouth-Watering Chicken", "口水鸡", "cold", 4, 1, "peanut, sesame"),
    MenuRow("COLD-CUKE", "Smashed Cucumber", "拍黄瓜", "cold", 3, 1, "sesame"),
    MenuRow(
        "COLD-FUQI",
        "Sliced Beef and Tripe in Chili Oil",
        "夫妻肺片",
        "cold",
        4,
        1,
        "peanut, sesame",
    ),
    MenuRow("COLD-WOODEAR", "Wood-Ear Mushroom Salad", "凉拌木耳", "cold", 3, 1),
    MenuRow("COLD-PEANUT", "Fried Peanuts", "油炸花生米", "cold", 2, 1, "peanut"),
    # Wok.
    MenuRow("KP-CHK", "Kung Pao Chicken", "宫保鸡丁", "wok", 8, 1, "peanut"),
    MenuRow("WOK-MAPO", "Mapo Tofu", "麻婆豆腐", "wok", 7, 1, "soy"),
    MenuRow("WOK-TWICE", "Twice-Cooked Pork", "回锅肉", "wok", 8, 1, "soy"),
    MenuRow("WOK-BEANS", "Dry-Fried Green Beans", "干煸四季豆", "wok", 7, 1),
    MenuRow("WOK-EGGPLANT", "Fish-Fragrant Eggplant", "鱼香茄子", "wok", 7, 1, "soy"),
    MenuRow("WOK-FISH", "Boiled Fish in Chili Oil", "水煮鱼", "wok", 12, 1, "fish"),
    MenuRow(
        "WOK-DANDAN",
        "Dan Dan Noodles",
        "担担面",
        "wok",
        6,
        1,
        "peanut, sesame, wheat",
        measure=Measure.BOWL,
    ),
    MenuRow("WOK-FRIEDRICE", "Egg Fried Rice", "蛋炒饭", "wok", 5, 1, "egg", measure=Measure.PLATE),
    # Seasonal, off the menu for now: orders for it still reach the fallback.
    MenuRow(
        "WOK-CRAYFISH", "Spicy Crayfish", "麻辣小龙虾", "wok", 15, 1, "shellfish", is_active=False
    ),
    # Grill.
    MenuRow("GRL-LAMB", "Cumin Lamb Skewers", "孜然羊肉串", "grill", 8, 1),
    MenuRow("GRL-WINGS", "Grilled Chicken Wings", "烤鸡翅", "grill", 10, 1),
    MenuRow("GRL-CORN", "Grilled Corn", "烤玉米", "grill", 6, 1, measure=Measure.PIECE),
    MenuRow("GRL-SQUID", "Grilled Squid", "烤鱿鱼", "grill", 8, 1, "mollusc"),
    # Grilled on the grill, sauced in the wok: goes to both. It takes long, so its own
    # thresholds override the grill's.
    MenuRow(
        "GRL-FISH",
        "Chongqing Grilled Fish",
        "重庆烤鱼",
        "grill",
        18,
        1,
        "fish",
        warning_minutes=15,
        late_minutes=22,
        measure=Measure.PORTION,
    ),
    # Dumplings and staples.
    MenuRow("DUMP-PORK", "Pork Dumplings", "猪肉水饺", "staples", 6, 1, "wheat"),
    MenuRow(
        "DUMP-WONTON",
        "Wontons in Chili Oil",
        "红油抄手",
        "staples",
        6,
        1,
        "wheat, sesame",
        measure=Measure.BOWL,
    ),
    MenuRow("RICE", "Steamed Rice", "米饭", "staples", 1, 1, measure=Measure.BOWL),
    MenuRow("STP-CIBA", "Brown Sugar Rice Cakes", "红糖糍粑", "staples", 6, 3, "sesame"),
    # Drinks.
    MenuRow("DRK-PLUM", "Sour Plum Drink", "酸梅汤", "drinks", 1, 1),
    MenuRow("DRK-HERBAL", "Herbal Tea", "王老吉", "drinks", 1, 1, measure=Measure.CAN),
    MenuRow(
        "DRK-BEER", "Tsingtao Beer", "青岛啤酒", "drinks", 1, 1, "wheat", measure=Measure.BOTTLE
    ),
    MenuRow("DRK-SOY", "Soy Milk", "豆浆", "drinks", 1, 1, "soy"),
    MenuRow("DRK-TEA", "Jasmine Tea", "茉莉花茶", "drinks", 2, 1, measure=Measure.TEAPOT),
)

RULES: tuple[RuleRow, ...] = (
    RuleRow(10, "Grilled fish: grill, then sauce in the wok", ("grill", "wok"), sku="GRL-FISH"),
    RuleRow(
        20,
        "Delivery drinks are packed at the cold station",
        ("cold",),
        category="drinks",
        channel=Channel.DELIVERY,
    ),
    RuleRow(30, "Soup bases", ("soup",), category="soup"),
    RuleRow(40, "Hot pot plates", ("cold",), category="plates"),
    RuleRow(50, "Cold dishes", ("cold",), category="cold"),
    RuleRow(60, "Wok dishes", ("wok",), category="wok"),
    RuleRow(70, "Grill", ("grill",), category="grill"),
    RuleRow(80, "Dumplings and staples", ("wok",), category="staples"),
    RuleRow(90, "Drinks", ("drinks",), category="drinks"),
)


@dataclass
class ScreenInfo:
    screen: Screen
    pairing_url: str  # empty when the screen is already paired or revoked


@dataclass
class DemoResult:
    restaurant: Restaurant
    source: OrderSource
    created: dict[str, int] = field(default_factory=dict)
    new_secret: str | None = None  # only when the source was created by this run
    screens: list[ScreenInfo] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values())


def _count(result: DemoResult, kind: str, created: bool) -> None:
    result.created[kind] = result.created.get(kind, 0) + int(created)


def _pairing_url(screen: Screen) -> str:
    """The screen's current pairing link, or a fresh one if it has none or it is about to expire."""
    if screen.paired_at is not None or screen.revoked_at is not None:
        return ""
    soon = timezone.now() + timedelta(hours=1)
    if screen.pairing_token and screen.pairing_expires_at and screen.pairing_expires_at > soon:
        return screen.pairing_url
    return screen_pairing_link(screen=screen)


@transaction.atomic
def demo_load(*, store: Store | None = None) -> DemoResult:
    store = store or chain_stores(1)[0]
    restaurant, created = Restaurant.objects.get_or_create(
        slug=store.slug,
        defaults={"name": store.name, "time_zone": RESTAURANT_TIME_ZONE},
    )
    source, source_created = OrderSource.objects.get_or_create(
        slug=store.source_slug, defaults={"restaurant": restaurant, "name": SOURCE_NAME}
    )
    result = DemoResult(restaurant=restaurant, source=source)
    _count(result, "restaurants", created)
    _count(result, "sources", source_created)
    if source_created:
        result.new_secret = SourceSecret.objects.create(source=source).secret

    stations: dict[str, Station] = {}
    for s in STATIONS:
        station, created = Station.objects.get_or_create(
            restaurant=restaurant,
            slug=s.slug,
            defaults={
                "name": s.name,
                "kind": s.kind,
                "colour": s.colour,
                "position": s.position,
                "warning_minutes": s.warning_minutes,
                "late_minutes": s.late_minutes,
                # A restaurant has one fallback: only claim it if nobody has.
                "is_fallback": s.is_fallback
                and not Station.objects.filter(restaurant=restaurant, is_fallback=True).exists(),
            },
        )
        stations[s.slug] = station
        _count(result, "stations", created)

    categories: dict[str, MenuCategory] = {}
    for c in CATEGORIES:
        category, created = MenuCategory.objects.get_or_create(
            restaurant=restaurant,
            name=c.name,
            defaults={"name_zh": c.name_zh, "position": c.position, "measure": c.measure},
        )
        categories[c.key] = category
        _count(result, "categories", created)

    items: dict[str, MenuItem] = {}
    for m in MENU:
        item, created = MenuItem.objects.get_or_create(
            restaurant=restaurant,
            sku=m.sku,
            defaults={
                "name": m.name,
                "name_zh": m.name_zh,
                "category": categories[m.category],
                "prep_minutes": m.prep_minutes,
                "default_course": m.course,
                "allergens": m.allergens,
                "is_active": m.is_active,
                "warning_minutes": m.warning_minutes,
                "late_minutes": m.late_minutes,
                "measure": m.measure,
            },
        )
        items[m.sku] = item
        _count(result, "menu items", created)

    for r in RULES:
        rule, created = RoutingRule.objects.get_or_create(
            restaurant=restaurant,
            name=r.name,
            defaults={
                "position": r.position,
                "menu_item": items[r.sku] if r.sku else None,
                "category": categories[r.category] if r.category else None,
                "channel": r.channel,
            },
        )
        if created:
            rule.stations.set([stations[slug] for slug in r.stations])
        _count(result, "rules", created)

    for s in STATIONS:
        station = stations[s.slug]
        screen = Screen.objects.filter(restaurant=restaurant, station=station).first()
        _count(result, "screens", screen is None)
        if screen is None:
            screen = Screen.objects.create(
                restaurant=restaurant,
                station=station,
                name=f"{station.name} screen",
            )
        result.screens.append(ScreenInfo(screen=screen, pairing_url=_pairing_url(screen)))
    return result
