from django.urls import path

from . import screen_views, webhook_views

app_name = "orders"

urlpatterns = [
    path("webhooks/<slug:source_slug>/", webhook_views.order_webhook, name="webhook"),
    # Station screens.
    path("pair/", screen_views.pair, name="pair"),
    path("pair/<str:token>/", screen_views.pair_old_link, name="pair-old-link"),
    path("screen/", screen_views.station_screen, name="screen"),
    path("screen/action/", screen_views.screen_action, name="screen-action"),
]

from . import report_views  # noqa: E402

urlpatterns += [
    path("reports/", report_views.reports_page, name="reports"),
]

# Production: load balancers and the benchmark probe this.
from . import health_views  # noqa: E402

urlpatterns += [
    path("healthz", health_views.healthz, name="healthz"),
]

from django.contrib.auth import views as auth_views  # noqa: E402

from . import foh_views  # noqa: E402

urlpatterns += [
    # Front of house and the pick-up board (orders/foh_views.py).
    path("accounts/login/", foh_views.FohLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page="/foh/"), name="logout"),
    path("foh/", foh_views.foh_page, name="foh"),
    path("foh/action/", foh_views.foh_action, name="foh-action"),
    path("pickup/<str:token>/", foh_views.pickup_page, name="pickup"),
]
