"""What every admin page of the kitchen shares: the user's restaurants, changed fields, read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import scoped, user_may_see_restaurant, user_only_restaurant, user_restaurants
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


def only_restaurant(request: HttpRequest | None = None) -> Restaurant | None:
    """The one restaurant the request's user may see (the only one there is, without a
    request); None when there are several or none."""
    if request is None:
        restaurants = list(Restaurant.objects.all()[:2])
        return restaurants[0] if len(restaurants) == 1 else None
    return user_only_restaurant(request.user)


def restaurant_id_of(obj: models.Model, lookup: str) -> int | None:
    """The id of the restaurant `obj` belongs to, following `lookup` ("restaurant",
    "printer__restaurant", "id" for a restaurant itself)."""
    *path, last = lookup.split("__")
    target: Any = obj
    for name in path:
        target = getattr(target, name, None)
        if target is None:
            return None
    value = target.pk if last in ("id", "pk") else getattr(target, f"{last}_id", None)
    return value if isinstance(value, int) else None


def _owned_by_restaurant(model: type[models.Model]) -> bool:
    return any(f.name == "restaurant" and f.is_relation for f in model._meta.get_fields())


class RestaurantScopedMixin:
    """An admin that shows a user only their restaurants' objects (orders.access).

    The list, search, filters, actions, autocomplete and export read `get_queryset`;
    an object of another restaurant is a 404 on its change, delete and history pages,
    and history and revert (which read the history tables) ask the object-level
    permissions below. Every choice of a restaurant, or of an object that belongs to
    one (a station in a rule, a category for a dish), lists only the user's.
    """

    restaurant_lookup = "restaurant"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]
        return scoped(queryset, user=request.user, lookup=self.restaurant_lookup)

    def _in_scope(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return True
        return user_may_see_restaurant(request.user, restaurant_id_of(obj, self.restaurant_lookup))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._in_scope(request, obj) and super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._in_scope(request, obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._in_scope(request, obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def _get_obj_does_not_exist_redirect(
        self, request: HttpRequest, opts: Any, object_id: str
    ) -> HttpResponse:
        # Django redirects to the index saying the object may have been deleted; another
        # restaurant's object is simply not there.
        raise Http404(_("No such object."))

    def _scoped_choices(
        self, request: HttpRequest, model: type[models.Model], kwargs: dict[str, Any]
    ) -> None:
        if model is Restaurant:
            kwargs["queryset"] = user_restaurants(request.user)
        elif _owned_by_restaurant(model):
            base = kwargs.get("queryset", model._default_manager.all())
            kwargs["queryset"] = scoped(base, user=request.user)

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        self._scoped_choices(request, db_field.related_model, kwargs)  # type: ignore[arg-type]
        field: forms.ModelChoiceField[Any] | None = super().formfield_for_foreignkey(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        return field

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        self._scoped_choices(request, db_field.related_model, kwargs)  # type: ignore[arg-type]
        field: forms.ModelMultipleChoiceField | None = super().formfield_for_manytomany(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        return field

    def get_list_filter(self, request: HttpRequest) -> Any:
        # A related filter lists only what the user's own rows point at: Django's plain
        # one would list every restaurant's stations, categories, sources and names.
        filters = []
        for spec in super().get_list_filter(request):  # type: ignore[misc]
            if isinstance(spec, str) and "__" not in spec:
                field = self.model._meta.get_field(spec)  # type: ignore[attr-defined]
                if field.is_relation:
                    spec = (spec, RelatedOnlyFieldListFilter)
            filters.append(spec)
        return filters


class RestaurantDefaultMixin(RestaurantScopedMixin):
    """New objects belong to the user's only restaurant, when they have just one; the
    field hides."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "restaurant" and only_restaurant(request) is not None:
            kwargs["widget"] = forms.HiddenInput()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial: dict[str, Any] = super().get_changeform_initial_data(request)  # type: ignore[misc]
        restaurant = only_restaurant(request)
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
