"""The station and expo screens over HTTP: pairing, the board pages, and actions when the
socket is down."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from ..access import user_restaurants
from ..actions.screens import screen_for_pairing_token, screen_loaded, screen_pair
from ..actions.serving import UNDO_SECONDS
from ..boards.expo import expo_settings
from ..boards.render import board_render
from ..boards.station import station_settings
from ..kitchen.clock import clock_config
from ..kitchen.language import page_language, speech_language
from ..kitchen.speech import bcp47
from ..kitchen.speech import test_phrase as voice_test_phrase
from ..kitchen.voice import app_version, speech_server_config
from ..live.strings import live_strings
from ..models import Announce, Screen, Station, StationKind
from .commands import ACTIONS, screen_command
from .pairing import (
    SCREEN_COOKIE,
    SCREEN_COOKIE_MAX_AGE,
    pairing_help,
    screen_cookie_value,
    screen_from_cookie,
)


def _screen(request: HttpRequest) -> Screen | None:
    return screen_from_cookie(request.COOKIES.get(SCREEN_COOKIE))


def _unpaired(request: HttpRequest) -> HttpResponse:
    # A signed-in user is shown their own restaurants' stations only.
    mine = user_restaurants(request.user) if request.user.is_authenticated else None
    context = {"state": "unpaired", "pairing": pairing_help(restaurants=mine)}
    response = render(request, "orders/pair.html", context, status=403)
    response.delete_cookie(SCREEN_COOKIE)
    return response


@require_http_methods(["GET", "POST"])
def pair(request: HttpRequest) -> HttpResponse:
    """Pairs this device with the one-time token of a link like /pair/#<token>.

    The token rides in the link's #fragment, which browsers never send, so it never
    reaches an access log, a proxy's log or a Referer header; kds/pair.js copies it
    into a form field. GET shows that form; POST with the token asks for confirmation
    (so a link preview cannot spend it); POST with `confirm` pairs.
    """
    if request.method == "GET":
        return render(request, "orders/pair.html", {"state": "enter"})
    token = request.POST.get("token", "").strip()
    if "confirm" not in request.POST:
        screen = screen_for_pairing_token(token=token)
        if screen is None:
            return render(request, "orders/pair.html", {"state": "invalid"}, status=404)
        return render(
            request, "orders/pair.html", {"state": "confirm", "screen": screen, "token": token}
        )
    paired = screen_pair(token=token)
    if paired is None:
        return render(request, "orders/pair.html", {"state": "invalid"}, status=404)
    response = HttpResponseRedirect(reverse("orders:screen"))
    response.set_cookie(
        SCREEN_COOKIE,
        screen_cookie_value(screen=paired),
        max_age=SCREEN_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def pair_old_link(request: HttpRequest, token: str) -> HttpResponse:
    """Links of the old form /pair/<token>/ put the token where access logs print it.

    They no longer pair (whatever the token), so nobody comes to rely on them: the page
    asks for a new link, which has the token in its #fragment.
    """
    return render(request, "orders/pair.html", {"state": "old"}, status=410)


def _strings() -> dict[str, Any]:
    """The few words the screen's script writes itself, in the screen's language."""
    return {
        "onTime": gettext("ON TIME"),
        "warning": gettext("HURRY"),
        "late": gettext("LATE"),
        "held": gettext("HELD"),
        "ready": gettext("READY"),
        "refused": gettext("Not done — the ticket changed"),
        "rush": gettext("RUSH"),
        "vip": gettext("VIP"),
        "void": gettext("VOID"),
        # "{n}" and "{m}" are replaced by the page: "Page 2/12".
        "page": gettext("Page {n}/{m}"),
        **live_strings(),
    }


def _screen_config(
    request: HttpRequest, screen: Screen, *, seq: int, ws_path: str
) -> dict[str, Any]:
    """What every screen page's script starts from, whatever its station's kind."""
    return {
        "seq": seq,
        "now": int(timezone.now().timestamp() * 1000),
        "ws_path": ws_path,
        "action_url": reverse("orders:screen-action"),
        "csrf_token": get_token(request),
        "screen_id": screen.pk,
        "station_id": screen.station_id,
        "offline_after_ms": 3000,
        "clock": clock_config(screen.restaurant),
    }


def station_screen(request: HttpRequest) -> HttpResponse:
    """The board page of the screen this device is paired as; the pairing page otherwise."""
    screen = _screen(request)
    if screen is None:
        return _unpaired(request)
    screen_loaded(
        screen=screen,
        app_version=app_version(),
        user_agent=request.headers.get("User-Agent", ""),
    )
    if screen.station.kind == StationKind.EXPO:
        return expo_screen(request, screen)
    language = page_language(restaurant=screen.restaurant, screen=screen)
    with translation.override(language):
        rendered = board_render(screen.station_id, language=language)
        response = render(
            request,
            "orders/station.html",
            {
                "screen": screen,
                "station": screen.station,
                "rendered": rendered,
                "config": {
                    **_screen_config(request, screen, seq=rendered.seq, ws_path="/ws/screen/"),
                    "station": station_settings(screen.station),
                },
                "language": language,
                "strings": _strings(),
            },
        )
    response["Cache-Control"] = "no-store"
    return response


def service_worker(request: HttpRequest) -> HttpResponse:
    """static/kds/sw.js at /sw.js: a worker may only answer for pages under its own path.

    Never cached by the browser's HTTP cache, so a new version is picked up at once.
    """
    path = finders.find("kds/sw.js")
    if not path:
        raise Http404
    with open(path, "rb") as script:
        response = HttpResponse(script.read(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_POST
def screen_action(request: HttpRequest) -> JsonResponse:
    """The socket's actions (a station's and expo's), for a screen whose socket is down.

    Answered as over the socket (`commands.screen_command`): 200 when done, 409 when not.
    """
    screen = _screen(request)
    if screen is None:
        return JsonResponse({"ok": False, "error": "unpaired"}, status=403)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return JsonResponse({"ok": False, "error": "unknown_action"}, status=400)
    answer = screen_command(screen_id=screen.pk, action=action, content=request.POST.dict())
    return JsonResponse(answer, status=200 if answer["ok"] else 409)


# ---------------------------------------------------------------- expo


def speech_config(*, station: Station, screen: Screen | None) -> dict[str, Any]:
    """How a screen speaks: the station's language, voice and rate; the screen's the rest."""
    language = speech_language(restaurant=station.restaurant, station=station, screen=screen)
    return {
        "announce": screen.announce_mode if screen else Announce.ORDER,
        "lang": bcp47(language),
        "voice": station.speech_voice,
        "rate": station.speech_rate,
        "volume": screen.speech_volume if screen else 1.0,
        "chime": screen.chime_before_speaking if screen else True,
        "announce_late": screen.announce_late if screen else False,
        "test_phrase": voice_test_phrase(language=language),
    }


def speech_strings() -> dict[str, Any]:
    return {
        # The second tap a send-back asks for (the first one only arms the button).
        "sendBackAgain": gettext("Send back? Tap again"),
        **live_strings(),
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
    language = page_language(restaurant=screen.restaurant, screen=screen)
    with translation.override(language):
        rendered = board_render(station.pk, language=language)
        response = render(
            request,
            "orders/expo.html",
            {
                "screen": screen,
                "station": station,
                "rendered": rendered,
                "speaks": screen.announce_mode != Announce.OFF,
                "config": {
                    **_screen_config(request, screen, seq=rendered.seq, ws_path="/ws/expo/"),
                    "station": expo_settings(station, language=language),
                    "speech": {
                        **speech_config(station=station, screen=screen),
                        "server": speech_server_config(screen=screen, csrf=get_token(request)),
                    },
                    "undo_seconds": UNDO_SECONDS,
                },
                "strings": speech_strings(),
            },
        )
    response["Cache-Control"] = "no-store"
    return response
