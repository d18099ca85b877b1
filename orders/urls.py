from django.contrib.auth import views as auth_views
from django.urls import path

from . import speech_views
from .front_of_house import pickup_views
from .front_of_house import views as foh_views
from .intake import views as webhook_views
from .live import health
from .reports import chain_views
from .reports import views as report_views
from .screens import views as screen_views
from .site import views as site_views

app_name = "orders"

urlpatterns = [
    path("", site_views.start_page, name="start"),
    path("webhooks/<slug:source_slug>/", webhook_views.order_webhook, name="webhook"),
    # Station and expo screens.
    path("pair/", screen_views.pair, name="pair"),
    path("pair/<str:token>/", screen_views.pair_old_link, name="pair-old-link"),
    path("screen/", screen_views.station_screen, name="screen"),
    path("screen/action/", screen_views.screen_action, name="screen-action"),
    path("screen/speech/", speech_views.speech, name="screen-speech"),
    path("screen/health/", speech_views.health, name="screen-health"),
    # The screens' Service Worker: at the top, so it may answer for /screen/ and /foh/.
    path("sw.js", screen_views.service_worker, name="service-worker"),
    # Front of house and the pick-up board.
    path("accounts/login/", foh_views.FohLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="/foh/"), name="logout"),
    path("foh/", foh_views.foh_page, name="foh"),
    path("foh/action/", foh_views.foh_action, name="foh-action"),
    path("pickup/", pickup_views.pickup_page, name="pickup"),
    path("pickup/<str:token>/", pickup_views.pickup_old_link, name="pickup-old-link"),
    # Managers.
    path("reports/", report_views.reports_page, name="reports"),
    path("chain/", chain_views.chain_page, name="chain"),
    # Production: load balancers and the benchmark probe this.
    path("healthz", health.healthz, name="healthz"),
]
