"""Whether a note is about an allergy (such notes stand out on every screen and slip), and a
dish's allergens in the screen's language."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

ALLERGY_WORDS = (
    "allerg",
    "过敏",
    "peanut",
    "nut ",
    "gluten",
    "sesame",
    "shellfish",
    "花生",
    "麸质",
)


def is_allergy_note(text: str) -> bool:
    folded = text.casefold()
    return any(word in folded for word in ALLERGY_WORDS)


# The allergens a menu names, as a manager types them in English ("peanut, sesame"):
# each shown in the screen's language. Others are shown as typed.
_ALLERGENS: dict[str, Promise] = {
    "celery": pgettext_lazy("allergen", "celery"),
    "gluten": pgettext_lazy("allergen", "gluten"),
    "wheat": pgettext_lazy("allergen", "wheat"),
    "crustacean": pgettext_lazy("allergen", "crustaceans"),
    "crustaceans": pgettext_lazy("allergen", "crustaceans"),
    "shellfish": pgettext_lazy("allergen", "shellfish"),
    "egg": pgettext_lazy("allergen", "egg"),
    "eggs": pgettext_lazy("allergen", "egg"),
    "fish": pgettext_lazy("allergen", "fish"),
    "lupin": pgettext_lazy("allergen", "lupin"),
    "milk": pgettext_lazy("allergen", "milk"),
    "dairy": pgettext_lazy("allergen", "dairy"),
    "lactose": pgettext_lazy("allergen", "lactose"),
    "mollusc": pgettext_lazy("allergen", "molluscs"),
    "molluscs": pgettext_lazy("allergen", "molluscs"),
    "mustard": pgettext_lazy("allergen", "mustard"),
    "nut": pgettext_lazy("allergen", "nuts"),
    "nuts": pgettext_lazy("allergen", "nuts"),
    "tree nut": pgettext_lazy("allergen", "tree nuts"),
    "tree nuts": pgettext_lazy("allergen", "tree nuts"),
    "peanut": pgettext_lazy("allergen", "peanut"),
    "peanuts": pgettext_lazy("allergen", "peanut"),
    "sesame": pgettext_lazy("allergen", "sesame"),
    "soy": pgettext_lazy("allergen", "soy"),
    "soya": pgettext_lazy("allergen", "soy"),
    "soybean": pgettext_lazy("allergen", "soy"),
    "soybeans": pgettext_lazy("allergen", "soy"),
    "sulphites": pgettext_lazy("allergen", "sulphites"),
    "sulfites": pgettext_lazy("allergen", "sulphites"),
    "sulphite": pgettext_lazy("allergen", "sulphites"),
    "sulfite": pgettext_lazy("allergen", "sulphites"),
}
_SEPARATORS = re.compile(r"[,，、;；/]+")


def allergens_shown(text: str) -> str:
    """A dish's allergens in the current language: "peanut, sesame" is "花生、芝麻" on a
    Chinese screen. A name we do not know is shown as typed."""
    names = [part.strip() for part in _SEPARATORS.split(text or "") if part.strip()]
    shown = [str(_ALLERGENS.get(" ".join(n.casefold().split()), n)) for n in names]
    return ("、" if translation.get_language() == "zh-hans" else ", ").join(shown)
