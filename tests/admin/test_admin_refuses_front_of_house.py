from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from orders.models import Station
from tests import factories
from tests.admin.forms import admin_form_data


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
    kitchen: factories.Kitchen, front_of_house: User, manager_client: Client
) -> None:
    url = reverse("admin:orders_station_change", args=[kitchen.fallback.pk])
    # The whole form, as the change page builds it: valid, so only a permission stops it.
    data = admin_form_data(manager_client, url, name="Renamed")
    client = Client()
    client.force_login(front_of_house)

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert Station.objects.get(pk=kitchen.fallback.pk).name == "Kitchen"
    # The same form from a kitchen manager saves: the refusal above was the permission's.
    assert manager_client.post(url, data).status_code == 302
    assert Station.objects.get(pk=kitchen.fallback.pk).name == "Renamed"


def test_it_refuses_front_of_house_logging_in(
    kitchen: factories.Kitchen, front_of_house: User
) -> None:
    front_of_house.set_password("pw-for-the-test")
    front_of_house.save()
    client = Client()

    response = client.post(
        reverse("admin:login"), {"username": "foh", "password": "pw-for-the-test"}
    )

    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session  # the client that posted holds no login
    assert client.get(reverse("admin:index")).status_code == 302
