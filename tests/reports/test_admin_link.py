"""The admin's index links the reports for those who may see them."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.reports.users import kitchen_manager, user_in

pytestmark = pytest.mark.django_db


def test_it_links_the_reports_from_the_admin_index(client: Client) -> None:
    client.force_login(kitchen_manager())

    html = client.get("/admin/").content.decode()

    assert 'href="/reports/"' in html
    assert "Speed-of-service reports" in html


def test_it_hides_the_link_from_staff_who_may_not_see_the_reports(client: Client) -> None:
    client.force_login(user_in(None, username="clerk"))

    html = client.get("/admin/").content.decode()

    assert 'href="/reports/"' not in html
