"""Server-made speech for screens that cannot speak, and the screens' report of how they speak.

Beside the flow, like `urls.py`: both the station screens (their cookie) and the pick-up
board (its signed token) may ask for speech, and neither package may import the other.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from .actions.screens import screen_speech_report
from .front_of_house.access import PICKUP_COOKIE, restaurant_for_pickup_token
from .kitchen.voice import SpeechRefused, SpeechUnavailable, speech_audio
from .screens.pairing import SCREEN_COOKIE, screen_from_cookie


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@require_GET
def speech(request: HttpRequest) -> HttpResponse:
    """`GET /screen/speech/?text=…&lang=en-US|zh-CN`: the phrase as WAV, for a paired screen
    (its cookie) or a pick-up board (its link's cookie) only."""
    screen = screen_from_cookie(request.COOKIES.get(SCREEN_COOKIE))
    rate = 1.0
    if screen is not None:
        rate = screen.station.speech_rate
    elif not restaurant_for_pickup_token(request.COOKIES.get(PICKUP_COOKIE)):
        return _error(403, "only a paired screen or a pick-up board may ask for speech")
    try:
        data = speech_audio(
            text=request.GET.get("text", "")[:10_000],
            lang=request.GET.get("lang", ""),
            rate=rate,
        )
    except SpeechRefused as exc:
        return _error(400, str(exc))
    except SpeechUnavailable as exc:
        return _error(503, str(exc))
    response = HttpResponse(data, content_type="audio/wav")
    # The same phrase is the same sound: the page's later calls come from its cache.
    response["Cache-Control"] = "private, max-age=86400, immutable"
    return response


@require_POST
def health(request: HttpRequest) -> JsonResponse:
    """A screen says how it speaks (`speech`: browser, server or none), for the admin."""
    screen = screen_from_cookie(request.COOKIES.get(SCREEN_COOKIE))
    if screen is None:
        return _error(403, "unpaired")
    screen_speech_report(screen=screen, path=request.POST.get("speech", "")[:20])
    return JsonResponse({"ok": True})
