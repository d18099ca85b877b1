from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from orders.models import MenuItem, OrderSource, RoutingRule, Screen, Station, StationKind
from orders.ops.demo import MENU, RULES, STATIONS


def run() -> str:
    out = StringIO()
    call_command("kds_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "items": MenuItem.objects.count(),
        "stations": Station.objects.count(),
        "rules": RoutingRule.objects.count(),
        "screens": Screen.objects.count(),
        "sources": OrderSource.objects.count(),
    }


def test_it_loads_a_restaurant_with_screens_and_pairing_links(db: None) -> None:
    out = run()
    assert counts() == {
        "items": len(MENU),
        "stations": len(STATIONS),
        "rules": len(RULES),
        "screens": len(STATIONS),
        "sources": 1,
    }
    assert 35 <= len(MENU) <= 50
    assert OrderSource.objects.get().slug == "pos"
    assert Station.objects.filter(is_fallback=True).count() == 1
    assert Station.objects.filter(kind=StationKind.EXPO).exists()
    assert all(item.name_zh for item in MenuItem.objects.all())
    for screen in Screen.objects.all():
        assert screen.pairing_url in out


def test_it_is_idempotent(db: None) -> None:
    run()
    before = counts()
    tokens = dict(Screen.objects.values_list("pk", "pairing_token"))
    secrets = list(OrderSource.objects.get().secrets.values_list("secret", flat=True))
    out = run()
    assert counts() == before
    assert dict(Screen.objects.values_list("pk", "pairing_token")) == tokens
    assert list(OrderSource.objects.get().secrets.values_list("secret", flat=True)) == secrets
    # The secret is printed once, when the source is created.
    assert secrets[0] not in out


def test_it_keeps_a_managers_edits(db: None) -> None:
    run()
    MenuItem.objects.filter(sku="HP-BEEF").update(prep_minutes=9)
    run()
    assert MenuItem.objects.get(sku="HP-BEEF").prep_minutes == 9
