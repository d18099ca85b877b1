"""The expo screen page: a paired screen of an expo station (see `screen_views.station_screen`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext

from .board import board_render
from .expo import expo_settings, speech_language
from .models import Announce, Screen, Station
from .serving import UNDO_SECONDS
from .speech import bcp47
from .speech import test_phrase as voice_test_phrase


def speech_config(*, station: Station, screen: Screen | None) -> dict[str, Any]:
    """How a screen speaks: the station's language, voice and rate; the screen's the rest."""
    language = speech_language(station)
    return {
        "announce": screen.announce if screen else Announce.ORDER,
        "lang": bcp47(language),
        "voice": station.speech_voice,
        "rate": station.speech_rate,
        "volume": screen.speech_volume if screen else 1.0,
        "chime": screen.chime_before_speaking if screen else True,
        "announce_late": screen.announce_late if screen else False,
        "test_phrase": voice_test_phrase(language=language),
    }


def speech_strings() -> dict[str, str]:
    return {
        "connecting": gettext("Connecting…"),
        "online": gettext("Live"),
        "offline": gettext("Offline"),
        "refused": gettext("Not done — the order changed"),
        "handedOver": gettext("Handed over"),
        "sentBack": gettext("Sent back"),
        "served": gettext("Served"),
        "late": gettext("LATE"),
        "warning": gettext("HURRY"),
        "onTime": gettext("ON TIME"),
    }


def expo_screen(request: HttpRequest, screen: Screen) -> HttpResponse:
    station = screen.station
    language = screen.restaurant.language or settings.LANGUAGE_CODE
    with translation.override(language):
        rendered = board_render(station.pk, language=language)
        response = render(
            request,
            "orders/expo.html",
            {
                "screen": screen,
                "station": station,
                "rendered": rendered,
                "speaks": screen.announce != Announce.OFF,
                "config": {
                    "seq": rendered.seq,
                    "now": int(timezone.now().timestamp() * 1000),
                    "ws_path": "/ws/expo/",
                    "station": expo_settings(station),
                    "speech": speech_config(station=station, screen=screen),
                    "undo_seconds": UNDO_SECONDS,
                    "offline_after_ms": 3000,
                },
                "strings": speech_strings(),
            },
        )
    response["Cache-Control"] = "no-store"
    return response
