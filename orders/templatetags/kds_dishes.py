"""A dish as a screen shows it, in the screen's language: `{% dish_name line %}`,
`{{ line.allergens|allergens }}`.

Every screen (a station's tickets and all-day panel, expo, front of house) names a
dish through here, so a Chinese screen shows the menu's Chinese name on each of them,
with the name the order came with beside it, smaller.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..kitchen.allergies import allergens_shown

register = template.Library()


@register.simple_tag
def dish_name(dish: Any, *, alt: bool = True) -> SafeString:
    """`dish` has `name` (as ordered) and `name_zh` (the menu's Chinese name, or "")."""
    name = str(getattr(dish, "name", "") or "")
    name_zh = str(getattr(dish, "name_zh", "") or "")
    if translation.get_language() == "zh-hans" and name_zh and name_zh != name:
        if not alt:
            return format_html('<span class="name" lang="zh-hans">{}</span>', name_zh)
        return format_html(
            '<span class="name" lang="zh-hans">{}</span> <span class="name-alt" lang="en">{}</span>',
            name_zh,
            name,
        )
    return format_html('<span class="name">{}</span>', name)


@register.filter
def allergens(text: str) -> str:
    return allergens_shown(text)
