"""Kitchen managers set up outgoing webhooks and read their delivery log, the outbox and
the orders fetched from Square (the models of 0007)."""

from django.db import migrations


def manager_permissions(apps, schema_editor):
    from orders.permissions import KITCHEN_MANAGER, group_grant, permissions_create

    permissions_create(apps)
    codenames = [f"{a}_webhookendpoint" for a in ("view", "add", "change", "delete")]
    codenames += ["view_deliveryattempt", "view_outboxmessage", "view_sourcefetch"]
    group_grant(apps, group=KITCHEN_MANAGER, codenames=codenames)


class Migration(migrations.Migration):
    dependencies = [("orders", "0009_restaurant_menu_version")]

    operations = [migrations.RunPython(manager_permissions, migrations.RunPython.noop)]
