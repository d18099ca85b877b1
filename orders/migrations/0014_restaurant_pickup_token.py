"""Each restaurant's pick-up link gets a code of its own (it was derived from SECRET_KEY,
so it could be neither rotated nor revoked without changing that key)."""

import secrets

from django.db import migrations, models

import orders.models


def give_each_restaurant_a_code(apps, schema_editor):
    Restaurant = apps.get_model("orders", "Restaurant")
    for restaurant in Restaurant.objects.filter(pickup_token__isnull=True):
        restaurant.pickup_token = secrets.token_urlsafe(32)
        restaurant.save(update_fields=["pickup_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0013_restaurant_defaults_from_settings_when_made"),
    ]

    operations = [
        migrations.AddField(
            model_name="restaurant",
            name="pickup_token",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                null=True,
                unique=True,
                verbose_name="pick-up link code",
            ),
        ),
        migrations.RunPython(give_each_restaurant_a_code, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="restaurant",
            name="pickup_token",
            field=models.CharField(
                blank=True,
                default=orders.models.new_token,
                editable=False,
                max_length=64,
                null=True,
                unique=True,
                verbose_name="pick-up link code",
            ),
        ),
    ]
