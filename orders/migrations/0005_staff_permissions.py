"""Access by permission, not by group name: serving orders and reading the reports.

Front of house may serve orders; kitchen managers may serve orders and read the
reports. The groups made by 0002 get the permissions here, so renaming a group in
the admin keeps its members' access (the code asks `has_perm`, never a name). A group
already renamed before this runs is not found and gets nothing: it had no access then
either, and a manager gives it the permission in the admin.
"""

from django.db import migrations

from orders.permissions import FRONT_OF_HOUSE, KITCHEN_MANAGER, group_grant, permissions_create

GRANTS = {
    KITCHEN_MANAGER: ["serve_order", "view_reports"],
    FRONT_OF_HOUSE: ["serve_order"],
}


def grant(apps, schema_editor):
    permissions_create(apps)
    for name, codenames in GRANTS.items():
        group_grant(apps, group=name, codenames=codenames)


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
