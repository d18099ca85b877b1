"""Restaurant memberships: a manager or front-of-house user sees only their restaurants.

Until now every user saw every restaurant; so that an upgrade takes nobody's access
away, every user that exists now becomes a member of every restaurant that exists now.
Users and restaurants made afterwards get memberships in the admin (a user's page,
"Restaurants"); a chain administrator (superuser, or the permission "Can see and manage
every restaurant") needs none.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def members_of_every_restaurant(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Restaurant = apps.get_model("orders", "Restaurant")
    Membership = apps.get_model("orders", "Membership")
    restaurants = list(Restaurant.objects.values_list("pk", flat=True))
    made = [
        Membership(user_id=user, restaurant_id=restaurant)
        for user in User.objects.filter(is_superuser=False).values_list("pk", flat=True)
        for restaurant in restaurants
    ]
    Membership.objects.bulk_create(made, batch_size=1000)
    if made:
        print(f"\n  Made {len(made)} restaurant memberships: every user keeps their access.")


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0017_held_tickets_as_strips"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="restaurant",
            options={
                "ordering": ["name"],
                "permissions": [
                    (
                        "manage_every_restaurant",
                        "Can see and manage every restaurant (chain administrator)",
                    )
                ],
                "verbose_name": "restaurant",
                "verbose_name_plural": "restaurants",
            },
        ),
        migrations.CreateModel(
            name="Membership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "restaurant",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="orders.restaurant",
                        verbose_name="restaurant",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "restaurant membership",
                "verbose_name_plural": "restaurant memberships",
                "constraints": [
                    models.UniqueConstraint(fields=("user", "restaurant"), name="membership_unique")
                ],
            },
        ),
        migrations.RunPython(members_of_every_restaurant, migrations.RunPython.noop),
    ]
