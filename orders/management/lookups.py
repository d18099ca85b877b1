"""Finding what a command's argument names."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def named(rows: QuerySet[M], **lookup: str) -> QuerySet[M]:
    """The rows matching text an operator typed; none for text no column can hold
    (PostgreSQL refuses a NUL even in a query, which would be a traceback, not
    "no such restaurant")."""
    if any("\x00" in value for value in lookup.values()):
        return rows.none()
    return rows.filter(**lookup)
