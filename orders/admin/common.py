"""What every admin page of the kitchen shares: the only restaurant, changed fields, read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Restaurant,
    Screen,
)


def changed_fields(obj: models.Model, form: forms.BaseForm) -> list[str]:
    """The form's model fields whose value differs from the database row."""
    opts = obj._meta
    names = [
        f.name
        for f in opts.concrete_fields
        if f.name in form.fields and f.editable and not f.primary_key
    ]
    if obj.pk is None or not names:
        return names
    attnames = {n: opts.get_field(n).attname for n in names}  # type: ignore[union-attr]
    current = type(obj)._default_manager.filter(pk=obj.pk).values(*attnames.values()).first()
    if current is None:
        return names
    return [n for n in names if getattr(obj, attnames[n]) != current[attnames[n]]]


def only_restaurant() -> Restaurant | None:
    restaurants = list(Restaurant.objects.all()[:2])
    return restaurants[0] if len(restaurants) == 1 else None


class RestaurantDefaultMixin:
    """New objects belong to the only restaurant, when there is just one; the field hides."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "restaurant" and only_restaurant() is not None:
            kwargs["widget"] = forms.HiddenInput()
        field: forms.ModelChoiceField[Any] | None = super().formfield_for_foreignkey(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        return field

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)  # type: ignore[misc]
        restaurant = only_restaurant()
        if restaurant is not None:
            initial.setdefault("restaurant", restaurant.pk)
        return initial


class BoundedDatesChangeList(ChangeList):
    """A change list whose date drill-down takes any date in the address.

    Django's reaches for the day, month or year after the one asked for, which
    overflows at 9999-12-31 (and a year of 20 digits overflows at once): a 500. Here
    that is an invalid filter, which the admin answers by showing the list with ?e=1.
    """

    def get_filters(self, request: HttpRequest) -> Any:
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc


class BoundedDatesMixin:
    """For admins with a `date_hierarchy`: see `BoundedDatesChangeList`."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return BoundedDatesChangeList


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def screen_status(screen: Screen) -> str:
    if screen.revoked_at is not None:
        return str(_("Revoked"))
    if screen.paired_at is not None:
        return str(_("Paired"))
    if screen.pairing_token and (
        screen.pairing_expires_at is None or screen.pairing_expires_at > timezone.now()
    ):
        return str(_("Waiting for pairing"))
    return str(_("Not paired"))
