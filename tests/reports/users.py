"""Users for the access tests, in the staff groups with their permissions."""

from __future__ import annotations

from django.contrib.auth.models import User

from tests.factories import FRONT_OF_HOUSE, KITCHEN_MANAGER, staff_user


def user_in(group: str | None, *, username: str, staff: bool = True) -> User:
    return staff_user(group, username=username, staff=staff, password="pw-not-used-1234")


def kitchen_manager() -> User:
    return user_in(KITCHEN_MANAGER, username="manager")


def front_of_house() -> User:
    return user_in(FRONT_OF_HOUSE, username="host", staff=False)
