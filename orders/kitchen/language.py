"""Which language a screen's words are in, and which it speaks in. The one source.

Every page and socket of a screen (station, expo, front of house, pick-up) asks here:

- its page language: the screen's own (a Chinese kitchen's English-speaking expo),
  else its restaurant's, else the installation's (`settings.LANGUAGE_CODE`, from
  `KDS_LANGUAGE`);
- its speech language: the station's when it has one, then what the page asked for
  (the pick-up board's `?lang=`; a board rendered for a page passes the page's), else
  the page language.

Only languages we ship (`settings.LANGUAGES`) are ever returned: anything else a
request or a stored row says is passed over, never handed to the translation
machinery or written into a page.
"""

from __future__ import annotations

from django.conf import settings

from ..models import Restaurant, Screen, Station


def shipped(code: str | None) -> str | None:
    """`code` as one of `settings.LANGUAGES` ("zh-Hans" → "zh-hans"), or None."""
    if not code or not isinstance(code, str) or len(code) > 16:
        return None
    code = code.strip().lower().replace("_", "-")
    return code if code in {c for c, _ in settings.LANGUAGES} else None


def page_language(*, restaurant: Restaurant, screen: Screen | None = None) -> str:
    """The language of the words on a screen's page (and its pushes)."""
    return (
        shipped(screen.language if screen is not None else None)
        or shipped(restaurant.language)
        or settings.LANGUAGE_CODE
    )


def speech_language(
    *,
    restaurant: Restaurant,
    station: Station | None = None,
    screen: Screen | None = None,
    requested: str | None = None,
) -> str:
    """The language a screen speaks in: the station's, the requested one, else the page's."""
    return (
        shipped(station.speech_language if station is not None else None)
        or shipped(requested)
        or page_language(restaurant=restaurant, screen=screen)
    )
