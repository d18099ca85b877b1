"""Kitchen managers set up outgoing webhooks and read their delivery log, the outbox and
the orders fetched from Square (the models of 0007)."""

from django.db import migrations


def manager_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager = Group.objects.filter(name="Kitchen manager").first()
    if manager is None:
        return
    codenames = [f"{a}_webhookendpoint" for a in ("view", "add", "change", "delete")]
    codenames += ["view_deliveryattempt", "view_outboxmessage", "view_sourcefetch"]
    manager.permissions.add(
        *Permission.objects.filter(content_type__app_label="orders", codename__in=codenames)
    )


class Migration(migrations.Migration):
    dependencies = [("orders", "0009_restaurant_menu_version")]

    operations = [migrations.RunPython(manager_permissions, migrations.RunPython.noop)]
