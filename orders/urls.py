from django.urls import path

from . import screen_views, webhook_views

app_name = "orders"

urlpatterns = [
    path("webhooks/<slug:source_slug>/", webhook_views.order_webhook, name="webhook"),
    # Station screens.
    path("pair/<str:token>/", screen_views.pair, name="pair"),
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
