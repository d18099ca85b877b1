"""A front-of-house login reaches no admin page and changes nothing there, by GET or POST."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from tests.factories import FRONT_OF_HOUSE, staff_user
from tests.security.conftest import Site, site_urls

pytestmark = pytest.mark.django_db(transaction=True)


def counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in ("orders", "auth")
    }


def test_it_refuses_front_of_house_on_every_admin_url(site: Site) -> None:
    foh = staff_user(FRONT_OF_HOUSE, username="host", password="a-long-foh-password-1")
    client = Client()
    client.force_login(foh)
    before = counts()
    urls = [
        (path, name)
        for path, name in site_urls()
        if path.startswith("/admin/") and name not in ("login", "logout", "jsi18n")
    ]
    assert len(urls) > 40, urls  # every registered model's pages and the custom views

    reached = []
    for path, _name in urls:
        for method in (client.get, client.post):
            response = method(path)
            if response.status_code != 302 or not response["Location"].startswith("/admin/login/"):
                reached.append((method.__name__, path, response.status_code))

    assert reached == []
    assert counts() == before
