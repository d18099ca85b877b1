"""Every POST the site takes from a browser needs the CSRF token: admin forms and actions,
the pairing confirmation, the screen's HTTP actions and the language switch.

Only the order webhook is exempt: a POS is not a browser, and every request there must
carry a valid signature instead (tests/security/test_webhook_*.py).
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from orders.models import LineStation, Screen
from tests.factories import order_body
from tests.screens.conftest import post_order
from tests.security.conftest import Site, site_urls

pytestmark = pytest.mark.django_db(transaction=True)

EXEMPT = {"webhook"}  # signed by the sender instead


def counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in ("orders", "auth", "sessions")
    }


def logged_in_screen_client(site: Site) -> Client:
    """A browser that is both a logged-in superuser and paired as station A's screen:
    the most a forged cross-site form could ride on."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(site.admin)
    client.cookies["kds_screen"] = site.cookie_a
    return client


def test_it_refuses_every_post_without_a_csrf_token(site: Site) -> None:
    post_order(site.kitchen, order_body("o-1"))
    client = logged_in_screen_client(site)
    fresh = Screen.objects.create(
        restaurant=site.kitchen.k.restaurant, station=site.kitchen.a, name="New"
    )
    urls = [(p, n) for p, n in site_urls() if n not in EXEMPT]
    assert ("/pair/", "pair") in urls
    before = counts()

    accepted = []
    for path, _name in urls:
        # The same form everywhere: an action for the screen views, a live code for pairing.
        form = {"action": "line_bump", "placement": "1", "token": fresh.pairing_token}
        response = client.post(path, {**form, "confirm": "1"})
        if response.status_code not in (403, 405):
            accepted.append((path, response.status_code))

    assert accepted == []
    assert counts() == before
    fresh.refresh_from_db()
    assert fresh.pairing_token and fresh.paired_at is None  # the link was not spent


def test_it_takes_the_same_screen_action_with_the_token(site: Site) -> None:
    post_order(site.kitchen, order_body("o-1"))
    placement = LineStation.objects.get(station=site.kitchen.a, line__order__external_id="o-1")
    client = logged_in_screen_client(site)
    client.get("/screen/")  # the page sets the CSRF cookie, as a real screen loads it
    token = client.cookies["csrftoken"].value
    data = {"action": "line_bump", "placement": str(placement.pk)}

    assert client.post("/screen/action/", data).status_code == 403
    response = client.post("/screen/action/", data, headers={"X-CSRFToken": token})

    assert response.status_code == 200, response.content
    placement.refresh_from_db()
    assert placement.state == "ready"
