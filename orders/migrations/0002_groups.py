"""The two staff groups: Kitchen manager (the admin for menu, stations, rules, screens,
sources and reports) and Front of house (no admin permissions at all)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

KITCHEN_MANAGER = "Kitchen manager"
FRONT_OF_HOUSE = "Front of house"

# Models a kitchen manager edits: view, add, change, delete.
MANAGED = [
    "station",
    "screen",
    "menucategory",
    "menuitem",
    "routingrule",
    "ordersource",
    "sourcesecret",
]
# Models a kitchen manager may look at: orders, their lines and events.
VIEWED = [
    "restaurant",
    "order",
    "line",
    "linestation",
    "orderevent",
    "webhookmessage",
    "historicalstation",
    "historicalmenuitem",
    "historicalroutingrule",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    codenames = [f"{action}_{model}" for model in MANAGED for action in ("view", "add", "change", "delete")]
    codenames += [f"view_{model}" for model in VIEWED]
    manager, _ = Group.objects.get_or_create(name=KITCHEN_MANAGER)
    perms = Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
    manager.permissions.add(*perms)
    Group.objects.get_or_create(name=FRONT_OF_HOUSE)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[KITCHEN_MANAGER, FRONT_OF_HOUSE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
