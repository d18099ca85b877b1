"""WebSocket routes. Consumers are added by the screens."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
