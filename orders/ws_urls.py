"""WebSocket routes."""

from django.urls import path

from .consumers import StationConsumer

websocket_urlpatterns = [
    path("ws/screen/", StationConsumer.as_asgi(), name="ws-screen"),
]
