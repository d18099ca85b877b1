"""`{% can_view_reports user as flag %}`: whether to link the reports page."""

from __future__ import annotations

from typing import Any

from django import template

from orders.reports.views import can_view_reports as _can_view_reports

register = template.Library()


@register.simple_tag
def can_view_reports(user: Any) -> bool:
    return _can_view_reports(user)
