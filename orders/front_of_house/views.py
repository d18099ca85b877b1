"""Front of house: a tablet for runners (Django login). The pick-up board is pickup_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..actions.serving import UNDO_SECONDS
from ..boards.front_of_house import foh_render
from ..kitchen.clock import clock_config
from ..kitchen.language import page_language
from ..live.strings import live_strings
from .access import can_serve, restaurant_for
from .commands import foh_command

LOGIN_URL = reverse_lazy("orders:login")


class FohLoginView(auth_views.LoginView):
    template_name = "orders/login.html"

    def get_default_redirect_url(self) -> str:
        return reverse("orders:foh")


@login_required(login_url=LOGIN_URL)
def foh_page(request: HttpRequest) -> HttpResponse:
    if not can_serve(request.user):
        return HttpResponse(gettext("Front of house only."), status=403)
    restaurant = restaurant_for(request)
    if restaurant is None:
        raise Http404
    language = page_language(restaurant=restaurant)
    with translation.override(language):
        response = render(
            request,
            "orders/foh.html",
            {
                "restaurant": restaurant,
                # The list's partial, with this request: its forms carry the CSRF token.
                "html": foh_render(restaurant, language=language, request=request),
                "config": {
                    "ws_path": f"/ws/foh/?r={restaurant.slug}",
                    "action_url": reverse("orders:foh-action"),
                    "csrf_token": get_token(request),
                    "undo_seconds": UNDO_SECONDS,
                    "now": int(timezone.now().timestamp() * 1000),
                    "restaurant": restaurant.slug,
                    "user_id": request.user.pk,
                    "offline_after_ms": 3000,
                    "clock": clock_config(restaurant),
                },
                "strings": {
                    **live_strings(),
                    "served": gettext("Served"),
                    "refused": gettext("Not done — the order changed"),
                    "onTime": gettext("ON TIME"),
                    "warning": gettext("HURRY"),
                    "late": gettext("LATE"),
                },
            },
        )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def foh_action(request: HttpRequest) -> HttpResponse:
    """serve_order, serve_line or undo, for a signed-in runner.

    The tablet's script sends it (with an id, when its socket is down) and gets JSON: 200
    done, 409 not. A browser without JavaScript posts the page's form and is sent back to
    the page (after POST, a redirect), with a message when it was not done.
    """
    if not can_serve(request.user):
        return JsonResponse({"ok": False, "error": "forbidden"}, status=403)
    action = request.POST.get("action", "")
    restaurant = restaurant_for(request, request.POST.get("r", ""))
    answer = foh_command(
        user=request.user, restaurant=restaurant, action=action, content=request.POST.dict()
    )
    if _from_the_form(request):
        if not answer["ok"]:
            messages.warning(request, gettext("Not done — the order changed"))
        page = reverse("orders:foh")
        return HttpResponseRedirect(f"{page}?r={restaurant.slug}" if restaurant else page)
    return JsonResponse({**answer, "action": action}, status=200 if answer["ok"] else 409)


def _from_the_form(request: HttpRequest) -> bool:
    """A plain form post (a browser asking for a page), not the tablet's script."""
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "application/json" not in accept
