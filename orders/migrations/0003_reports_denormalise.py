"""Copies what the reports filter and group by onto lines and line placements.

The reports read a year of tickets from one covering index on
`LineStation(restaurant, order_placed_at)` and a year of lines from one on
`Line(restaurant, order_placed_at)`, joining neither lines nor orders. The
columns are added, filled by one `UPDATE … FROM` per table (no row-by-row loop;
works on PostgreSQL and on SQLite 3.33+) and made NOT NULL; the ticket and
ready-to-served times are generated columns the database keeps itself; then the
covering indexes are built.
"""

import django.db.models.deletion

import orders.expressions
from django.db import migrations, models

FILL_LINES = """
UPDATE orders_line
SET restaurant_id = o.restaurant_id,
    order_placed_at = o.placed_at,
    order_channel = o.channel,
    order_cancelled = (o.status = 'cancelled')
FROM orders_order AS o
WHERE orders_line.order_id = o.id
"""

FILL_PLACEMENTS = """
UPDATE orders_linestation
SET restaurant_id = o.restaurant_id,
    order_id = o.id,
    menu_item_id = l.menu_item_id,
    order_placed_at = o.placed_at,
    order_channel = o.channel,
    quantity = l.quantity,
    voided_quantity = l.voided_quantity,
    counts = (l.status = 'active' AND o.status <> 'cancelled')
FROM orders_line AS l JOIN orders_order AS o ON o.id = l.order_id
WHERE orders_linestation.line_id = l.id
"""


def _fk(to: str, *, null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to=to,
    )


CHANNELS = [
    ("dine_in", "Dine-in"),
    ("takeout", "Takeout"),
    ("delivery", "Delivery"),
    ("drive_thru", "Drive-through"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0002_groups"),
    ]

    operations = [
        # Line: the order's facts.
        migrations.AddField("line", "restaurant", _fk("orders.restaurant", null=True)),
        migrations.AddField(
            "line", "order_placed_at", models.DateTimeField(editable=False, null=True)
        ),
        migrations.AddField(
            "line",
            "order_channel",
            models.CharField(choices=CHANNELS, editable=False, max_length=12, null=True),
        ),
        migrations.AddField(
            "line", "order_cancelled", models.BooleanField(default=False, editable=False)
        ),
        # LineStation: the line's and the order's facts.
        migrations.AddField("linestation", "restaurant", _fk("orders.restaurant", null=True)),
        migrations.AddField("linestation", "order", _fk("orders.order", null=True)),
        migrations.AddField("linestation", "menu_item", _fk("orders.menuitem", null=True)),
        migrations.AddField(
            "linestation", "order_placed_at", models.DateTimeField(editable=False, null=True)
        ),
        migrations.AddField(
            "linestation",
            "order_channel",
            models.CharField(choices=CHANNELS, editable=False, max_length=12, null=True),
        ),
        migrations.AddField(
            "linestation", "quantity", models.PositiveIntegerField(default=0, editable=False)
        ),
        migrations.AddField(
            "linestation",
            "voided_quantity",
            models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            "linestation", "counts", models.BooleanField(default=True, editable=False)
        ),
        # Fill them: one statement per table.
        migrations.RunSQL(FILL_LINES, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(FILL_PLACEMENTS, reverse_sql=migrations.RunSQL.noop),
        # Required from now on.
        migrations.AlterField("line", "restaurant", _fk("orders.restaurant", null=False)),
        migrations.AlterField("line", "order_placed_at", models.DateTimeField(editable=False)),
        migrations.AlterField(
            "line",
            "order_channel",
            models.CharField(choices=CHANNELS, editable=False, max_length=12),
        ),
        migrations.AlterField("linestation", "restaurant", _fk("orders.restaurant", null=False)),
        migrations.AlterField("linestation", "order", _fk("orders.order", null=False)),
        migrations.AlterField(
            "linestation", "order_placed_at", models.DateTimeField(editable=False)
        ),
        migrations.AlterField(
            "linestation",
            "order_channel",
            models.CharField(choices=CHANNELS, editable=False, max_length=12),
        ),
        # Ticket and ready-to-served times, computed and stored by the database on every
        # change of the row (adding them rewrites each table once, which also drops the
        # dead rows the fill above left behind).
        migrations.AddField(
            "linestation",
            "ticket_seconds",
            models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        models.Q(("counts", True), ("state", "ready")),
                        then=orders.expressions.Seconds("ready_at", "fired_at"),
                    ),
                    default=None,
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(null=True),
            ),
        ),
        migrations.AddField(
            "order",
            "serve_seconds",
            models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        models.Q(("status", "cancelled"), _negated=True),
                        then=orders.expressions.Seconds("served_at", "ready_at"),
                    ),
                    default=None,
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(null=True),
            ),
        ),
        # The reports' indexes, built once the columns are filled.
        migrations.AddIndex(
            model_name="line",
            index=models.Index(
                fields=["restaurant", "order_placed_at"],
                include=["order_channel", "order_cancelled", "quantity", "voided_quantity"],
                name="line_report_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="linestation",
            index=models.Index(
                fields=["station", "order_placed_at"],
                include=[
                    "restaurant",
                    "order",
                    "order_channel",
                    "counts",
                    "quantity",
                    "voided_quantity",
                ],
                name="linestation_report_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="linestation",
            index=models.Index(
                condition=models.Q(("ticket_seconds__isnull", False)),
                fields=["station", "order_placed_at"],
                include=["restaurant", "ticket_seconds", "menu_item", "order_channel", "quantity"],
                name="linestation_ticket_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(
                fields=["restaurant", "placed_at"],
                include=["id", "channel", "status", "serve_seconds"],
                name="order_report_idx",
            ),
        ),
    ]
