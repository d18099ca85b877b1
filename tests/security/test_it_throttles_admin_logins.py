"""Admin logins are throttled: after N wrong passwords for one username from one address,
even the right password is refused for a while (django-axes, kds/login_throttle.py)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "the-right-password-42"


@pytest.fixture
def chef(db: None) -> User:
    return User.objects.create_superuser("chef", password=PASSWORD)


def attempt(client: Client, password: str, username: str = "chef") -> int:
    return client.post(LOGIN, {"username": username, "password": password}).status_code


def test_it_locks_out_a_username_after_repeated_failed_logins(chef: User) -> None:
    client = Client()
    answers = [attempt(client, f"guess-{n}") for n in range(settings.AXES_FAILURE_LIMIT)]

    assert answers[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)  # the form again
    assert answers[-1] == 429
    assert attempt(client, PASSWORD) == 429
    assert "_auth_user_id" not in client.session


def test_it_still_lets_the_right_password_in_below_the_limit(chef: User) -> None:
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, f"guess-{n}") == 200

    assert attempt(client, PASSWORD) == 302
    assert client.session["_auth_user_id"] == str(chef.pk)


def test_it_does_not_lock_out_other_users_with_one_users_failures(chef: User) -> None:
    User.objects.create_superuser("sous", password=PASSWORD)
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"guess-{n}")

    assert attempt(client, PASSWORD, username="sous") == 302
