"""Access is a permission, not a group's name: renaming a staff group in the admin keeps
its members serving orders and reading the reports."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.admin.forms import admin_form_data


def _rename(group_name: str, new_name: str) -> None:
    root = User.objects.create_superuser(f"root-{new_name}", "root@example.com", "pw-root-1234")
    admin = Client()
    admin.force_login(root)
    group = Group.objects.get(name=group_name)
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = admin.post(url, admin_form_data(admin, url, name=new_name))
    assert response.status_code == 302, response.content
    assert Group.objects.filter(name=new_name).exists()
    assert not Group.objects.filter(name=group_name).exists()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_keeps_front_of_house_serving_after_the_group_is_renamed(
    kitchen: factories.Kitchen,
) -> None:
    runner = _client(factories.staff_user(factories.FRONT_OF_HOUSE, username="runner"))
    assert runner.get("/foh/").status_code == 200

    _rename(factories.FRONT_OF_HOUSE, "Servers")

    assert runner.get("/foh/").status_code == 200
    refused = runner.post("/foh/action/", {"action": "serve_order", "order": "0"})
    assert refused.status_code == 409  # allowed in, nothing to serve (403 when shut out)


def test_it_keeps_kitchen_managers_reading_reports_after_the_group_is_renamed(
    kitchen: factories.Kitchen,
) -> None:
    manager = _client(factories.staff_user(factories.KITCHEN_MANAGER, username="boss", staff=True))
    assert manager.get("/reports/").status_code == 200

    _rename(factories.KITCHEN_MANAGER, "Chefs")

    assert manager.get("/reports/").status_code == 200
    assert manager.get("/foh/").status_code == 200


def test_it_lets_in_a_group_of_any_name_given_the_permission(kitchen: factories.Kitchen) -> None:
    """Access follows the permission: a new group with it works, one without it does not."""
    from django.contrib.auth.models import Permission

    hosts = Group.objects.create(name="Hosts")
    hosts.permissions.add(Permission.objects.get(codename="serve_order"))
    host = factories.staff_user(None, username="host")
    host.groups.add(hosts)
    nobody = factories.staff_user(None, username="nobody")
    nobody.groups.add(Group.objects.create(name="Front of house (old)"))

    assert _client(host).get("/foh/").status_code == 200
    assert _client(nobody).get("/foh/").status_code == 403
    assert _client(host).get("/reports/").status_code == 403


def test_it_gives_the_staff_groups_their_permissions_when_it_migrates(db: None) -> None:
    def codenames(name: str) -> set[str]:
        group = Group.objects.get(name=name)
        return set(group.permissions.values_list("codename", flat=True))

    assert codenames(factories.FRONT_OF_HOUSE) == {"serve_order"}
    assert {"serve_order", "view_reports"} <= codenames(factories.KITCHEN_MANAGER)
