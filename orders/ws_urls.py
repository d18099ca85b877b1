"""WebSocket routes."""

from django.urls import path

from .front_of_house.consumers import FrontOfHouseConsumer, PickupConsumer
from .screens.consumers import ExpoConsumer, StationConsumer

websocket_urlpatterns = [
    path("ws/screen/", StationConsumer.as_asgi(), name="ws-screen"),
    path("ws/expo/", ExpoConsumer.as_asgi(), name="ws-expo"),
    path("ws/foh/", FrontOfHouseConsumer.as_asgi(), name="ws-foh"),
    path("ws/pickup/", PickupConsumer.as_asgi(), name="ws-pickup"),
]
