"""WebSocket routes."""

from django.urls import path

from .consumers import StationConsumer

websocket_urlpatterns = [
    path("ws/screen/", StationConsumer.as_asgi(), name="ws-screen"),
]

from .expo_consumer import ExpoConsumer  # noqa: E402

websocket_urlpatterns += [
    path("ws/expo/", ExpoConsumer.as_asgi(), name="ws-expo"),
]

from .foh_consumers import FrontOfHouseConsumer, PickupConsumer  # noqa: E402

websocket_urlpatterns += [
    path("ws/foh/", FrontOfHouseConsumer.as_asgi(), name="ws-foh"),
    path("ws/pickup/<str:token>/", PickupConsumer.as_asgi(), name="ws-pickup"),
]
