"""Front of house (a tablet for runners, Django login) and the pick-up board (a signed URL)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from . import serving
from .foh import (
    FRONT_OF_HOUSE_GROUPS,
    foh_render,
    pickup_render,
    restaurant_for_pickup_token,
)
from .models import Line, Order, Restaurant
from .services import ActionRefused
from .serving import UNDO_SECONDS
from .speech import bcp47
from .speech import test_phrase as voice_test_phrase

LOGIN_URL = reverse_lazy("orders:login")


def can_serve(user: Any) -> bool:
    """Front of house, kitchen managers and superusers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.groups.filter(name__in=FRONT_OF_HOUSE_GROUPS).exists())


def restaurant_for(request: HttpRequest | None, slug: str = "") -> Restaurant | None:
    """The restaurant named by `?r=<slug>`, or the only (first) one."""
    slug = slug or (request.GET.get("r", "") if request is not None else "")
    rows = Restaurant.objects.order_by("pk")
    return rows.filter(slug=slug).first() if slug else rows.first()


def _language(restaurant: Restaurant) -> str:
    return restaurant.language or settings.LANGUAGE_CODE


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
    language = _language(restaurant)
    with translation.override(language):
        response = render(
            request,
            "orders/foh.html",
            {
                "restaurant": restaurant,
                "html": foh_render(restaurant, language=language),
                "config": {
                    "ws_path": f"/ws/foh/?r={restaurant.slug}",
                    "action_url": reverse("orders:foh-action"),
                    "csrf_token": get_token(request),
                    "undo_seconds": UNDO_SECONDS,
                    "now": int(timezone.now().timestamp() * 1000),
                    "restaurant": restaurant.slug,
                },
                "strings": {
                    "served": gettext("Served"),
                    "refused": gettext("Not done — the order changed"),
                    "online": gettext("Live"),
                    "offline": gettext("Offline"),
                    "connecting": gettext("Connecting…"),
                },
            },
        )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def foh_action(request: HttpRequest) -> JsonResponse:
    """serve_order, serve_line or undo, for a signed-in server."""
    if not can_serve(request.user):
        return JsonResponse({"ok": False, "error": "forbidden"}, status=403)
    action = request.POST.get("action", "")
    try:
        ok = _foh_act(request, action)
    except (ActionRefused, ValueError, TypeError):
        ok = False
    return JsonResponse({"ok": ok, "action": action}, status=200 if ok else 409)


def _foh_act(request: HttpRequest, action: str) -> bool:
    restaurant = restaurant_for(request, request.POST.get("r", ""))
    order = Order.objects.filter(
        pk=int(request.POST.get("order", 0)), restaurant=restaurant
    ).first()
    if order is None:
        return False
    if action == "serve_order":
        return serving.order_serve(order=order, user=request.user)
    if action == "serve_line":
        line = Line.objects.filter(pk=int(request.POST.get("line", 0)), order=order).first()
        return line is not None and serving.line_serve(line=line, user=request.user)
    if action == "undo":
        return serving.order_unserve(order=order, user=request.user)
    return False


def pickup_page(request: HttpRequest, token: str) -> HttpResponse:
    """The customer-facing board. `?lang=` sets the call-out language, `?repeat=` how often."""
    restaurant = restaurant_for_pickup_token(token)
    if restaurant is None:
        raise Http404
    language = _language(restaurant)
    speech_language = request.GET.get("lang", "") or language
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
                "html": pickup_render(
                    restaurant, language=language, speech_language=speech_language
                ),
                "config": {
                    "ws_path": f"/ws/pickup/{token}/?lang={speech_language}",
                    "speech": {
                        "lang": bcp47(speech_language),
                        "voice": "",
                        "rate": 0.95,
                        "volume": 1.0,
                        "chime": True,
                        "repeat": repeat,
                        "test_phrase": voice_test_phrase(language=speech_language),
                    },
                },
                "strings": {
                    "online": gettext("Live"),
                    "offline": gettext("Offline"),
                    "connecting": gettext("Connecting…"),
                },
            },
        )
    response["Cache-Control"] = "no-store"
    return response
