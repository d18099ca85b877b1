"""SQL expressions shared by the models (generated columns) and the reports."""

from __future__ import annotations

from typing import Any

from django.db.models import FloatField, Func
from django.db.models.functions import ExtractHour


class Seconds(Func):
    """`end - start` in seconds, as a float; NULL when either is NULL."""

    arity = 2
    output_field = FloatField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: Any = None,
        template: Any = None,
        arg_joiner: Any = None,
        **extra_context: Any,
    ) -> Any:  # pragma: no cover
        raise NotImplementedError(f"Seconds() is not implemented for {connection.vendor}")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler,
            connection,
            # date_part returns a double; EXTRACT returns numeric since PostgreSQL 14,
            # which is several times slower to compute and to sort.
            template="date_part('epoch', %(expressions)s)",
            arg_joiner=" - ",
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Django stores datetimes on SQLite as UTC text, which julianday() reads.
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )


class LocalHour(ExtractHour):
    """The hour of a datetime in a time zone, as an integer.

    On PostgreSQL, `date_part('hour', …)::integer` rather than Django's
    `EXTRACT(HOUR FROM …)`: EXTRACT returns numeric since PostgreSQL 14, and grouping
    a year of tickets by a numeric key costs far more than by an integer.
    """

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = self.as_sql(compiler, connection, **extra)
        prefix = "EXTRACT(HOUR FROM "
        if not (sql.startswith(prefix) and sql.endswith(")")):  # pragma: no cover
            return sql, params
        return f"(date_part('hour', {sql[len(prefix) : -1]}))::integer", params
