"""The staff groups and what they may do, as the data migrations set them up.

Access is always asked as a permission (`user.has_perm`), never as a group's name, so a
manager may rename the groups. The names below are only where migrations find the
groups they made to give them new permissions. Migrations call these with their own
historical `apps`, so nothing here imports a model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

KITCHEN_MANAGER = "Kitchen manager"
FRONT_OF_HOUSE = "Front of house"


def permissions_create(apps: Any) -> None:
    """Makes every model's permissions now: Django makes them only after all migrations."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module


def group_grant(apps: Any, *, group: str, codenames: Iterable[str]) -> None:
    """Gives the group of that name (if there is one: it may have been renamed before this
    ran) the orders permissions with these codenames."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
    for found in Group.objects.filter(name=group):
        found.permissions.add(*perms)
