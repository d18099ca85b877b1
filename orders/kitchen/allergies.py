"""Whether a note is about an allergy: such notes stand out on every screen and slip."""

from __future__ import annotations

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
