"""Every page carries a Content-Security-Policy whose scripts come from the site only:
no 'unsafe-inline', no 'unsafe-eval', no wildcard."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.security.conftest import Site, site_urls

pytestmark = pytest.mark.django_db(transaction=True)


def directives(header: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def test_it_sends_a_strict_script_policy_on_every_page(site: Site) -> None:
    admin = Client()
    admin.force_login(site.admin)
    screen = Client()
    screen.cookies["kds_screen"] = site.cookie_a
    pages = [(admin, path) for path, name in site_urls() if name != "logout"]
    pages += [(screen, "/screen/"), (Client(), "/screen/"), (Client(), "/admin/login/")]
    assert (Client, "/pair/") in [(type(c), p) for c, p in pages]

    weak = []
    for client, path in pages:
        response = client.get(path)
        policy = directives(response.get("Content-Security-Policy", ""))
        scripts = policy.get("script-src", policy.get("default-src"))
        if (
            not scripts
            or {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(scripts)
            or policy.get("object-src") != ["'none'"]
            or policy.get("frame-ancestors") != ["'none'"]
        ):
            weak.append((path, response.status_code, response.get("Content-Security-Policy")))

    assert len(pages) > 60
    assert weak == []
