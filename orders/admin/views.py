"""The routing preview: which stations would get each line, before an order arrives.

A manager picks a dish and a channel, or pastes an order's JSON, and sees for each line
the rule that wins and the stations it goes to. Optionally a draft rule, not saved, is
tried at a chosen place in the list, so a rule can be checked before it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .. import safe_json
from ..access import user_restaurants
from ..htmx import page_or_partial, vary_on_htmx
from ..kitchen.routing import LineFacts, RoutingTable
from ..models import (
    Channel,
    MenuCategory,
    MenuItem,
    OrderSource,
    Restaurant,
    RoutingRule,
    Station,
    StationKind,
)

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin

DRAFT_PK = -1
# As many lines as the webhook takes in one order.
MAX_PREVIEW_ITEMS = 200


def _preview_text(value: Any) -> bool:
    """A sku or name the menu can be searched for (PostgreSQL refuses NUL in a query)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return False
    try:
        safe_json.storable_text(str(value))
    except ValueError:
        return False
    return len(str(value)) <= 120


class PreviewForm(forms.Form):
    restaurant = forms.ModelChoiceField(
        queryset=Restaurant.objects.all(), required=False, label=_("Restaurant")
    )
    menu_item = forms.ModelChoiceField(
        queryset=MenuItem.objects.all(), required=False, label=_("Dish")
    )
    channel = forms.ChoiceField(
        choices=Channel.choices, initial=Channel.DINE_IN, label=_("Order channel")
    )
    source = forms.ModelChoiceField(
        queryset=OrderSource.objects.all(), required=False, label=_("Order source")
    )
    order_json = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80, "spellcheck": "false"}),
        required=False,
        label=_("…or paste an order (JSON)"),
        help_text=_("A webhook body or just its data object. Its channel overrides the one above."),
    )
    # A draft rule, tried without saving it.
    draft = forms.BooleanField(required=False, label=_("Try a new rule (not saved)"))
    draft_position = forms.IntegerField(required=False, min_value=0, label=_("at order"))
    draft_menu_item = forms.ModelChoiceField(
        queryset=MenuItem.objects.all(), required=False, label=_("its dish")
    )
    draft_category = forms.ModelChoiceField(
        queryset=MenuCategory.objects.all(), required=False, label=_("its category")
    )
    draft_channel = forms.ChoiceField(
        choices=[("", _("any")), *Channel.choices], required=False, label=_("its channel")
    )
    draft_stations = forms.ModelMultipleChoiceField(
        queryset=Station.objects.filter(kind=StationKind.PREP),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("sent to"),
    )

    def __init__(self, *args: Any, admin_site: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if admin_site is not None:
            for name in ("menu_item", "draft_menu_item"):
                field = self.fields[name]
                self.fields[name] = forms.ModelChoiceField(
                    queryset=MenuItem.objects.all(),
                    required=False,
                    label=field.label,
                    widget=AutocompleteSelect(RoutingRule._meta.get_field("menu_item"), admin_site),
                )
        # Only the user's restaurants, and only what belongs to them, can be picked.
        self.restaurants = Restaurant.objects.all() if user is None else user_restaurants(user)
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            if name == "restaurant":
                field.queryset = self.restaurants
            elif field.queryset is not None:
                field.queryset = field.queryset.filter(restaurant__in=self.restaurants)
        only = list(self.restaurants[:2])
        if len(only) == 1:
            self.fields["restaurant"].initial = only[0].pk
            self.fields["restaurant"].widget = forms.HiddenInput()

    def clean_order_json(self) -> dict[str, Any] | None:
        raw = self.cleaned_data.get("order_json", "").strip()
        if not raw:
            return None
        try:
            # Bounded as the webhook's: a paste nested thousands deep is an error, not a 500.
            body = safe_json.loads(raw)
        except safe_json.JsonError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(error)s") % {"error": exc}) from None
        if isinstance(body, dict) and isinstance(body.get("data"), dict):
            body = body["data"]
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise forms.ValidationError(_("Expected an order with an “items” list."))
        if len(body["items"]) > MAX_PREVIEW_ITEMS:
            raise forms.ValidationError(
                _("An order has at most %(n)s items.") % {"n": MAX_PREVIEW_ITEMS}
            )
        for n, item in enumerate(body["items"], start=1):
            if not isinstance(item, dict) or not (item.get("sku") or item.get("name")):
                raise forms.ValidationError(_("Item %(n)s needs a “sku” or a “name”.") % {"n": n})
            for key in ("sku", "name"):
                if item.get(key) is not None and not _preview_text(item[key]):
                    raise forms.ValidationError(
                        _("Item %(n)s: “%(key)s” must be text of at most 120 characters.")
                        % {"n": n, "key": key}
                    )
        channel = body.get("channel")
        if channel is not None and channel not in Channel.values:
            raise forms.ValidationError(
                _("Unknown channel “%(c)s”; one of: %(all)s.")
                % {"c": channel, "all": ", ".join(Channel.values)}
            )
        result: dict[str, Any] = body
        return result

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("restaurant") is None:
            restaurants = list(self.restaurants[:2])
            if len(restaurants) == 1:
                cleaned["restaurant"] = restaurants[0]
            elif "restaurant" not in self.errors:
                self.add_error("restaurant", _("Pick a restaurant."))
        if not cleaned.get("menu_item") and not cleaned.get("order_json") and not self.errors:
            raise forms.ValidationError(_("Pick a dish or paste an order."))
        if cleaned.get("draft") and not cleaned.get("draft_stations"):
            self.add_error("draft_stations", _("A rule sends lines to at least one station."))
        return cleaned


@dataclass
class PreviewLine:
    label: str
    sku: str
    menu_item: MenuItem | None
    rule: RoutingRule | None
    stations: list[Station]
    note: str


def _lookup(restaurant: Restaurant, item: dict[str, Any]) -> MenuItem | None:
    items = MenuItem.objects.filter(restaurant=restaurant).select_related("category")
    sku = str(item.get("sku") or "")
    if sku:
        return items.filter(sku=sku).first()
    name = str(item.get("name") or "")
    return items.filter(Q(name__iexact=name) | Q(name_zh=name)).first()


def _table(restaurant: Restaurant, cleaned: dict[str, Any]) -> RoutingTable:
    table = RoutingTable.load(restaurant.pk)
    if not cleaned.get("draft"):
        return table
    draft = RoutingRule(
        pk=DRAFT_PK,
        restaurant=restaurant,
        position=cleaned.get("draft_position") or 0,
        name=str(_("Draft rule")),
        menu_item=cleaned.get("draft_menu_item"),
        category=cleaned.get("draft_category"),
        channel=cleaned.get("draft_channel") or "",
    )
    stations = sorted(
        (s for s in cleaned["draft_stations"] if s.restaurant_id == restaurant.pk),
        key=lambda s: (s.position, s.pk),
    )
    # The draft goes before the saved rules with the same order number.
    rules = sorted([*table.rules, draft], key=lambda r: (r.position, r.pk != DRAFT_PK, r.pk))
    return RoutingTable(
        rules=rules,
        rule_stations={**table.rule_stations, DRAFT_PK: stations},
        fallback=table.fallback,
        expo=table.expo,
    )


def preview_lines(form: PreviewForm) -> list[PreviewLine]:
    cleaned = form.cleaned_data
    restaurant: Restaurant = cleaned["restaurant"]
    table = _table(restaurant, cleaned)
    source = cleaned.get("source")
    order = cleaned.get("order_json")
    wanted: list[tuple[str, str, MenuItem | None]] = []
    channel = cleaned["channel"]
    if order is not None:
        channel = order.get("channel") or channel
        for item in order["items"]:
            wanted.append(
                (str(item.get("name") or ""), str(item.get("sku") or ""), _lookup(restaurant, item))
            )
    else:
        menu_item = cleaned["menu_item"]
        wanted.append((menu_item.name, menu_item.sku, menu_item))
    lines = []
    for label, sku, menu_item in wanted:
        facts = LineFacts(
            menu_item=menu_item, channel=channel, source_id=source.pk if source else None
        )
        rule = table.matching_rule(facts)
        if rule is None and table.fallback is None:
            # Nothing to cook (orders.kitchen.readiness): expo sees it ready on arrival.
            note = str(_("No station cooks it (no fallback station): ready at the pass at once."))
        elif menu_item is None:
            note = str(_("Not on the menu: goes to the fallback station."))
        elif not menu_item.is_active:
            note = str(_("Inactive dish: goes to the fallback station."))
        elif rule is None:
            note = str(_("No rule matches: goes to the fallback station."))
        else:
            note = ""
        lines.append(
            PreviewLine(
                label=label or (menu_item.name if menu_item else ""),
                sku=sku,
                menu_item=menu_item,
                rule=rule,
                stations=table.route(facts),
                note=note,
            )
        )
    return lines


def routing_preview(request: HttpRequest, *, model_admin: ModelAdmin[Any]) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = PreviewForm(data, admin_site=model_admin.admin_site, user=request.user)
    lines: list[PreviewLine] | None = None
    if data is not None and form.is_valid():
        lines = preview_lines(form)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Routing preview"),
        "form": form,
        "lines": lines,
        "media": model_admin.media + form.media,
        "draft_id": DRAFT_PK,
    }
    # "Show routing" (htmx) gets the result: the page's own partial; the form stays put.
    template = page_or_partial(request, "admin/orders/routingrule/preview.html", "result")
    return vary_on_htmx(TemplateResponse(request, template, context))
