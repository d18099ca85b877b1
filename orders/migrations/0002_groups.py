"""The two staff groups: Kitchen manager (the admin for menu, stations, rules, screens,
sources and reports) and Front of house (no admin permissions at all)."""

from django.db import migrations

from orders.permissions import FRONT_OF_HOUSE, KITCHEN_MANAGER, group_grant, permissions_create

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
    permissions_create(apps)
    Group = apps.get_model("auth", "Group")
    codenames = [f"{action}_{model}" for model in MANAGED for action in ("view", "add", "change", "delete")]
    codenames += [f"view_{model}" for model in VIEWED]
    Group.objects.get_or_create(name=KITCHEN_MANAGER)
    group_grant(apps, group=KITCHEN_MANAGER, codenames=codenames)
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
