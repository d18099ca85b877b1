"""Users for the access tests: the groups exist through migration 0002_groups, or are made here."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

KITCHEN_MANAGER = "Kitchen manager"
FRONT_OF_HOUSE = "Front of house"


def user_in(group: str | None, *, username: str, staff: bool = True) -> User:
    user = User.objects.create_user(username=username, password="pw-not-used-1234", is_staff=staff)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def kitchen_manager() -> User:
    return user_in(KITCHEN_MANAGER, username="manager")


def front_of_house() -> User:
    return user_in(FRONT_OF_HOUSE, username="host", staff=False)
