"""Access by permission, not by group name: serving orders and reading the reports.

Front of house may serve orders; kitchen managers may serve orders and read the
reports. The groups made by 0002 get the permissions here, so renaming a group in
the admin keeps its members' access (the code asks `has_perm`, never a name). A group
already renamed before this runs is not found and gets nothing: it had no access then
either, and a manager gives it the permission in the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Kitchen manager": ["serve_order", "view_reports"],
    "Front of house": ["serve_order"],
}


def _permissions_now(apps):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    app_config = apps.get_app_config("orders")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module


def grant(apps, schema_editor):
    _permissions_now(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        perms = Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
        for group in Group.objects.filter(name=name):
            group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="orders", codename__in=["serve_order", "view_reports"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_printers_screen_health"),
        ("orders", "0002_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="order",
            options={
                "ordering": ["-placed_at"],
                "permissions": [
                    ("serve_order", "Can serve orders at front of house"),
                    ("view_reports", "Can view speed-of-service reports"),
                ],
                "verbose_name": "order",
                "verbose_name_plural": "orders",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
