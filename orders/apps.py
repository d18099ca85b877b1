from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Kitchen display")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .actions.settings import menu_version_signals_connect

        menu_version_signals_connect()
