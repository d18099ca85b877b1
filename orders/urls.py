from django.urls import path

from . import webhook_views

app_name = "orders"

urlpatterns = [
    path("webhooks/<slug:source_slug>/", webhook_views.order_webhook, name="webhook"),
]
