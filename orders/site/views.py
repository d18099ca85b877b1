"""GET / — the start page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..access import user_restaurants
from ..front_of_house.access import can_serve, pickup_path
from ..models import Restaurant
from ..reports.views import can_view_reports
from ..screens.pairing import pairing_help
from .screens import screens_by_restaurant


@require_GET
def start_page(request: HttpRequest) -> HttpResponse:
    """What this installation is and where everything is; for a manager, the screens.

    Anyone may open it: it names no secret. The pick-up boards' links (secret, if
    harmless) and the screens' state are shown to signed-in staff only.
    """
    user = request.user
    manager = can_view_reports(user)
    # Signed in, a user sees their own restaurants only; the page itself names no secret.
    everyone = Restaurant.objects.all() if not user.is_authenticated else user_restaurants(user)
    restaurants = list(everyone.order_by("name", "pk"))
    context = {
        "base_url": settings.KDS_BASE_URL,
        "restaurants": restaurants,
        "manager": manager,
        "signed_in": user.is_authenticated,
        "pairing": pairing_help(restaurants=restaurants),
        "several_restaurants": len(restaurants) > 1,
        # A revoked link has no address until a new one is made.
        "pickup_links": [(r, p) for r in restaurants if (p := pickup_path(r))]
        if can_serve(user)
        else [],
        "screens": screens_by_restaurant(restaurants=restaurants, now=timezone.now())
        if manager
        else [],
        "login_url": f"{reverse('admin:login')}?next=/",
    }
    return render(request, "orders/start.html", context)
