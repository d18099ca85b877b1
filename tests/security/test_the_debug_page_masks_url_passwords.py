"""With DEBUG on, Django's error page lists settings, the request's environment and each
frame's variables. Django hides names like PASSWORD or KEY; a password inside a URL
(REDIS_URL, CHANNEL_LAYERS' addresses, DATABASE_URL in a development server's
environment, a variable holding one) is starred too, and the rest of the URL kept."""

from __future__ import annotations

import sys
from typing import Any

from django.test import RequestFactory
from django.views.debug import technical_500_response
from hypothesis import given
from hypothesis import strategies as st


def error_page(**meta: str) -> str:
    request = RequestFactory().get("/stations/", **meta)  # type: ignore[arg-type]
    try:
        # Built here, so the page's source excerpt does not hold it whole.
        address = "redis://:" + "hunter" + "2@frame.example:6379/0"  # noqa: F841 - on the page
        raise RuntimeError("boom")
    except RuntimeError:
        response = technical_500_response(request, *sys.exc_info())
    return response.content.decode()


def test_it_stars_the_password_of_every_url_it_shows(settings: Any) -> None:
    settings.DEBUG = True
    settings.REDIS_URL = "redis://:hunter2@redis.example:6379/0"
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"hosts": [{"address": "rediss://kds:hunter2@layer.example:6380/1"}]},
        }
    }

    page = error_page(DATABASE_URL="postgres://kds:hunter2@db.example:5432/kds")

    assert "boom" in page
    assert "hunter2" not in page
    for kept in ("redis.example", "layer.example", "db.example", "frame.example"):
        assert kept in page


@given(password=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~%!$&*+,;=", min_size=6))
def test_any_password_in_a_setting_url_is_starred(password: str) -> None:
    from django.conf import settings as django_settings
    from django.test import override_settings

    with override_settings(DEBUG=True, REDIS_URL=f"redis://user:{password}@r.example:6379/0"):
        page = error_page()
    assert django_settings.REDIS_URL != "x"
    assert f":{password}@" not in page
    assert "r.example" in page
