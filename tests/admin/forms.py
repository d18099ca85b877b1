"""Builds the POST data of an admin change form from the page itself, as a browser would."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.test import Client


def _field_data(form: BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[key] = "on"
            continue
        if isinstance(value, (list, tuple)):
            data[key] = [str(v) for v in value]
            continue
        data[key] = str(value) if not hasattr(value, "pk") else str(value.pk)
    return data


def admin_form_data(
    client: Client, url: str, /, *, add_rows: int = 0, **changes: Any
) -> dict[str, Any]:
    """The form as the page shows it; `add_rows` more rows in each inline that allows
    adding, as its "Add another" link makes them (the empty form, numbered)."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    data = _field_data(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(k): str(management[k].value()) for k in management.fields}
        )
        for form in formset.forms:
            data.update(_field_data(form))
        if add_rows and inline.has_add_permission:
            first = len(formset.forms)
            for n in range(first, first + add_rows):
                row = _field_data(formset.empty_form)
                data.update({k.replace("__prefix__", str(n)): v for k, v in row.items()})
            data[management.add_prefix("TOTAL_FORMS")] = str(first + add_rows)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
