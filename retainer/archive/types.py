"""Column types shared by every table: one UTC date-time type."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Dialect
from sqlalchemy.types import TypeDecorator

SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
"""How SQLAlchemy's SQLite dialect stores a DateTime; the bulk writer writes the same text so
that comparisons in SQL stay correct."""


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An instant, always in UTC.

    Binding a naive datetime is an error (SQLite would silently drop any zone). PostgreSQL
    stores ``timestamptz``; SQLite stores UTC text; both come back as aware UTC datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utc_text(value: dt.datetime) -> str:
    """An aware or naive-UTC datetime as the SQLite column text (for bulk writes)."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")
