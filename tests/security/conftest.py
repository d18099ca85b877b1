"""The security suite: a kitchen with two stations, paired screens, and every URL the site has.

The screen fixtures and socket helpers are the station-screen tests' own
(`tests/screens/conftest.py`), imported so both suites speak one protocol.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from orders.models import MenuCategory, Screen
from tests.factories import order_body
from tests.screens.conftest import (  # noqa: F401  (fixtures, used by name)
    Kitchen2,
    _close_worker_connections,
    _fresh_board_cache,
    kitchen2,
    pair,
    post_order,
)


@dataclass
class Site:
    """Two stations with a paired screen each, a superuser, and one order on station A."""

    kitchen: Kitchen2
    screen_a: Screen
    cookie_a: str
    screen_b: Screen
    cookie_b: str
    admin: User


@pytest.fixture
def site(kitchen2: Kitchen2) -> Site:  # noqa: F811  (the imported fixture)
    screen_a, cookie_a = pair(kitchen2.a, "A")
    screen_b, cookie_b = pair(kitchen2.b, "B")
    admin = User.objects.create_superuser("boss", password="a-long-admin-password-1")
    post_order(kitchen2, order_body("o-site", number="7"))
    samples(kitchen2)
    return Site(kitchen2, screen_a, cookie_a, screen_b, cookie_b, admin)


def samples(kitchen2: Kitchen2) -> None:  # noqa: F811
    """One of each thing the admin lists that the kitchen lacks, so every change page is
    there to try (site_urls() refuses to leave one out)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from orders.models import (
        Brand,
        BrandDish,
        Order,
        Printer,
        PrintJob,
        PrintKind,
        WebhookEndpoint,
    )
    from tests.admin.conftest import ensure_groups

    ensure_groups()  # a transactional test's flush removed the migration's groups
    restaurant = kitchen2.k.restaurant
    MenuCategory.objects.create(restaurant=restaurant, name="Mains")
    printer = Printer.objects.create(
        restaurant=restaurant,
        station=kitchen2.a,
        name="Pass printer",
        host="192.0.2.9",
        is_active=False,
    )
    PrintJob.objects.create(
        printer=printer,
        order=Order.objects.get(external_id="o-site"),
        kind=PrintKind.TICKET,
        reason="sample",
        payload={},
    )
    WebhookEndpoint.objects.create(
        restaurant=restaurant, name="Ops dashboard", url="https://ops.example/kds"
    )
    brand = Brand.objects.create(name="Chongqing House", slug="cq")
    BrandDish.objects.create(brand=brand, sku="BR-1", name="Chongqing Noodles")
    # Another address than the test client's, so no login here is ever locked out.
    seen = {"user_agent": "sample", "ip_address": "192.0.2.1", "username": "sample"}
    seen |= {"http_accept": "*/*", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)


# ---------------------------------------------------------------- every URL of the site

_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_APP_LABEL = re.compile(r"\^?\(\?P<app_label>[^)]*\)/\$?")
_HISTORY = "([/]+)/history/([/]+)"  # simple-history's route, once "^" is stripped


def _walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), (p.name or "")


def _sample(app_label: str, model_name: str) -> models.Model | None:
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    return model._default_manager.order_by("pk").first()


def _route_values(name: str) -> dict[str, str]:
    """The parameters of the routes outside the admin's model pages, by route name."""
    from django.contrib.contenttypes.models import ContentType

    from orders.models import OrderSource, Station

    if name == "webhook":
        return {"source_slug": OrderSource.objects.order_by("pk")[0].slug}
    if name == "pickup-old-link":
        return {"token": "an-old-pick-up-code"}  # old links answer 410 whatever the code
    if name == "pair-old-link":
        return {"token": "an-old-pairing-code"}  # old links answer 410 whatever the code
    if name == "view_on_site":
        station = Station.objects.order_by("pk")[0]
        ct = ContentType.objects.get_for_model(Station)
        return {"content_type_id": str(ct.pk), "object_id": str(station.pk)}
    return {"app_label": "orders"}


def site_urls() -> list[tuple[str, str]]:
    """(path, url name) of every route in the URLconf, with parameters filled from the
    database: the first object of an admin page's model, or `_route_values`. A route it
    cannot fill fails the test that asked, naming it: a new route, or a model the site
    fixture has no sample of, must be added here, not left out of every sweep."""
    out: list[tuple[str, str]] = []
    unfilled: list[str] = []
    for route, name in _walk(get_resolver().url_patterns, "/"):
        if route.startswith("/i18n/") and name != "set_language":
            continue
        path = _APP_LABEL.sub("orders/", route).replace("^", "").replace("$", "")
        parts = path.strip("/").split("/")
        obj = _sample(parts[1], parts[2]) if path.startswith("/admin/") and len(parts) > 3 else None
        if _HISTORY in path:
            # django-simple-history's "one past version" page: the sample's first record.
            record = obj.history.order_by("pk").first() if obj is not None else None  # type: ignore[attr-defined]
            if record is None:
                unfilled.append(f"{route} ({name}): no history record of a sample")
                continue
            path = path.replace(_HISTORY, f"{obj.pk}/history/{record.pk}")  # type: ignore[union-attr]
        if "(" in path or "\\" in path:
            continue  # regular expressions of other apps' internals (static, media)
        values = _route_values(name)

        def fill(
            m: re.Match[str], obj: models.Model | None = obj, values: dict[str, str] = values
        ) -> str:
            param = m.group("name")
            if param in values:
                return values[param]
            if param in ("object_id", "screen_id", "pk", "id") and obj is not None:
                return str(obj.pk)
            raise LookupError(param)

        try:
            out.append((_PARAM.sub(fill, path), name))
        except LookupError as exc:
            unfilled.append(f"{route} ({name}): nothing fills <{exc.args[0]}>")
    assert unfilled == [], "routes the sweep cannot fill (tests/security/conftest.py):\n" + (
        "\n".join(unfilled)
    )
    return out
