"""The pick-up board: the customer-facing numbers, opened by its link /pickup/#<code>.

The code rides in the link's #fragment, which browsers never send, so it never reaches
an access log, a proxy's log or a Referer header (as a pairing link's): the page reads
it with kds/pickup-link.js and posts it, and the board then keeps it in an HttpOnly
cookie, which the board's socket and its speech requests carry. A rotated or revoked
link (manage.py kds_pickup_link) ends the boards it opened.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from ..boards.pickup import pickup_render
from ..kitchen.language import page_language, speech_language
from ..kitchen.speech import bcp47
from ..kitchen.speech import test_phrase as voice_test_phrase
from ..kitchen.voice import speech_server_config
from ..models import Restaurant
from .access import PICKUP_COOKIE, PICKUP_COOKIE_MAX_AGE, restaurant_for_pickup_token


def _link_page(request: HttpRequest, state: str, status: int = 200) -> HttpResponse:
    response = render(request, "orders/pickup_link.html", {"state": state}, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def pickup_page(request: HttpRequest) -> HttpResponse:
    """GET: the board, for a device that holds a link's cookie; else the page that reads the
    link. POST `token`: a link opened on this device, kept in the cookie if it works.
    `?lang=` sets the call-out language (a language we ship), `?repeat=` how often."""
    if request.method == "POST":
        token = request.POST.get("token", "").strip()
        if restaurant_for_pickup_token(token) is None:
            return _link_page(request, "invalid", status=404)
        query = request.GET.urlencode()
        board = HttpResponseRedirect(reverse("orders:pickup") + (f"?{query}" if query else ""))
        board.set_cookie(
            PICKUP_COOKIE,
            token,
            max_age=PICKUP_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return board
    held = request.COOKIES.get(PICKUP_COOKIE)
    restaurant = restaurant_for_pickup_token(held)
    if restaurant is None:
        response = _link_page(request, "replaced" if held else "enter", 403 if held else 200)
        if held:
            response.delete_cookie(PICKUP_COOKIE)
        return response
    return _board(request, restaurant)


def pickup_old_link(request: HttpRequest, token: str) -> HttpResponse:
    """Links of the old form /pickup/<code>/ put the code where access logs print it: they
    no longer open the board (whatever the code), and the page asks for the new link."""
    return _link_page(request, "old", status=410)


def _board(request: HttpRequest, restaurant: Restaurant) -> HttpResponse:
    language = page_language(restaurant=restaurant)
    # Only a language we ship: it goes into the page, the socket's address and gettext.
    speaks = speech_language(restaurant=restaurant, requested=request.GET.get("lang"))
    try:
        repeat = max(1, min(5, int(request.GET.get("repeat", "2"))))
    except ValueError:
        repeat = 2
    with translation.override(language):
        response = render(
            request,
            "orders/pickup.html",
            {
                "restaurant": restaurant,
                "html": pickup_render(restaurant, language=language, speech_language=speaks),
                "config": {
                    "ws_path": f"/ws/pickup/?lang={speaks}",
                    "speech": {
                        "lang": bcp47(speaks),
                        "voice": "",
                        "rate": 0.95,
                        "volume": 1.0,
                        "chime": True,
                        "repeat": repeat,
                        "test_phrase": voice_test_phrase(language=speaks),
                        "server": {
                            **speech_server_config(screen=None, csrf=""),
                            "force": request.GET.get("audio") == "server",
                        },
                    },
                },
                "strings": {
                    "online": gettext("Live"),
                    "offline": gettext("Offline"),
                    "connecting": gettext("Connecting…"),
                    # "{n}" is replaced by the page: the numbers on the board's other pages.
                    "more": gettext("+{n} more"),
                    "page": gettext("Page {n}/{m}"),
                },
            },
        )
    response["Cache-Control"] = "no-store"
    return response
