from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from orders.models import Station
from tests import factories


def test_it_refuses_front_of_house(kitchen: factories.Kitchen, front_of_house: User) -> None:
    client = Client()
    client.force_login(front_of_house)
    for url in [
        reverse("admin:index"),
        reverse("admin:orders_station_changelist"),
        reverse("admin:orders_menuitem_changelist"),
        reverse("admin:orders_routingrule_preview"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))


def test_it_refuses_front_of_house_saving_a_station(
    kitchen: factories.Kitchen, front_of_house: User
) -> None:
    client = Client()
    client.force_login(front_of_house)
    url = reverse("admin:orders_station_change", args=[kitchen.fallback.pk])
    client.post(url, {"name": "Hacked"})
    assert Station.objects.get(pk=kitchen.fallback.pk).name == "Kitchen"


def test_it_refuses_front_of_house_logging_in(
    kitchen: factories.Kitchen, front_of_house: User
) -> None:
    front_of_house.set_password("pw-for-the-test")
    front_of_house.save()
    response = Client().post(
        reverse("admin:login"), {"username": "foh", "password": "pw-for-the-test"}
    )
    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors
    assert "_auth_user_id" not in Client().session
