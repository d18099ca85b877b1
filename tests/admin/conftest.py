from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests import factories


def ensure_groups() -> None:
    """The groups come from data migrations; a transactional test's flush removes them."""
    factories.staff_groups()


@pytest.fixture
def manager(db: None) -> User:
    ensure_groups()
    user = User.objects.create_user("manager", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Kitchen manager"))
    return factories.every_restaurant(user)


@pytest.fixture
def manager_client(manager: User) -> Client:
    client = Client()
    client.force_login(manager)
    return client


@pytest.fixture
def front_of_house(db: None) -> User:
    ensure_groups()
    user = User.objects.create_user("foh", password="x", is_staff=False)
    user.groups.add(Group.objects.get(name="Front of house"))
    return factories.every_restaurant(user)
