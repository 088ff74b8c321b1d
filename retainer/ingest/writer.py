"""Bulk writes inside the caller's transaction: SQLite ``executemany``, PostgreSQL ``COPY``.

No ORM objects per message and no statement per row (STYLE, trap 3): rows arrive as tuples
in the column order below and go to the driver in one call per batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from retainer.archive.models import Message
from retainer.archive.types import utc_text
from retainer.errors import ArchiveError

MESSAGE_COLUMNS = (
    "id", "identity", "ordinal", "sent_at", "sent_at_local", "stamp", "time_flag", "author",
    "author_key", "kind", "edited", "text", "attachment", "content_digest",
)
"""A message row as the importer hands it over; its chat, zone, first export and import are
the same for every row of an export (``messages(rows, fixed)``)."""
CAPTURE_COLUMNS = ("message_id", "line", "author", "text", "complete")
"""A capture row of an export; the rest is the export's (``captures(rows, fixed)``)."""


def existing(session: Session, chat_id: int, minutes: Sequence[str]
             ) -> dict[str, tuple[int, str, str | None, str | None]]:
    """identity → (message id, kind, text, author key) of the chat's archived messages sent
    in the given UTC minutes (``YYYY-MM-DDTHH:MM``) and the minutes between them, where every
    message with one of their identities must be (an identity covers its minute); the text
    only for media and deletions, whose identity does not cover it.

    Read as ranges of ``sent_at`` on the (chat, sent_at) index — one range per run of minutes
    less than ``RANGE_GAP`` apart, so a message with a wrong clock costs its own small range,
    not every message in between.
    """
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    sql = ("SELECT identity, id, kind, CASE WHEN kind IN ('media', 'deleted') THEN text END, "
           f"author_key FROM messages WHERE chat_id = {mark} AND sent_at >= {mark} "
           f"AND sent_at < {mark}")
    found: dict[str, tuple[int, str, str | None, str | None]] = {}
    cursor = connection.connection.dbapi_connection.cursor()
    try:  # the driver's own cursor: a million rows through SQLAlchemy cost seconds more
        for low, high in _ranges(minutes):
            cursor.execute(sql, (chat_id, utc_text(low), utc_text(high)) if sqlite
                           else (chat_id, low, high))
            for ident, message_id, kind, text, author_key in cursor.fetchall():
                found[ident] = (message_id, kind, text, author_key)
    except Exception as exc:  # noqa: BLE001 - the driver's own errors, as BulkWriter does
        if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg"):
            raise
        raise ArchiveError(f"the database failed while reading messages "
                           f"({type(exc).__name__})") from None
    finally:
        cursor.close()
    return found


RANGE_GAP = dt.timedelta(hours=6)
"""Minutes further apart than this are looked up in separate ranges."""


def _ranges(minutes: Sequence[str]) -> list[tuple[dt.datetime, dt.datetime]]:
    """[start of the first minute, end of the last) per run of close minutes, as aware UTC."""
    ranges: list[list[dt.datetime]] = []
    for text in sorted(set(minutes)):
        start = dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
        if ranges and start - ranges[-1][1] <= RANGE_GAP:
            ranges[-1][1] = start + _MINUTE
        else:
            ranges.append([start, start + _MINUTE])
    return [(low, high) for low, high in ranges]


_MINUTE = dt.timedelta(minutes=1)


class BulkWriter:
    """Writes message and capture rows on the session's own connection."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self.dbapi = session.connection().connection.dbapi_connection

    def next_message_id(self) -> int:
        """The first free message id; the import lock guarantees nobody takes it meanwhile."""
        from sqlalchemy import func

        return (self.session.scalar(select(func.max(Message.id))) or 0) + 1

    def time(self, value: dt.datetime) -> str | dt.datetime:
        """An aware instant as the driver takes it: SQLite the column's UTC text (see
        ``archive.types``), PostgreSQL the datetime itself."""
        return utc_text(value) if self.dialect == "sqlite" else value

    def messages(self, rows: list[tuple], fixed: dict[str, object]) -> None:
        """Rows in ``MESSAGE_COLUMNS`` order (``sent_at`` already through ``time``); ``fixed``:
        the columns every row shares (chat, zone, export, import)."""
        self._write("messages", MESSAGE_COLUMNS, rows, fixed)

    def captures(self, rows: list[tuple], fixed: dict[str, object]) -> None:
        """Rows in ``CAPTURE_COLUMNS`` order; ``fixed``: export, mail, channel, capture time
        (through ``time``) and import, shared by every row."""
        self._write("captures", CAPTURE_COLUMNS, rows, fixed)

    def _write(self, table: str, columns: tuple[str, ...], rows: list[tuple],
               fixed: dict[str, object]) -> None:
        if not rows:
            return
        try:
            self._send(table, columns, rows, fixed)
        except Exception as exc:  # noqa: BLE001 - the driver's own errors, below
            if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg"):
                raise
            # Never pass the driver's message on: it quotes the refused row (message text).
            what = "refused a row" if "Integrity" in type(exc).__name__ else "failed"
            raise ArchiveError(f"the database {what} while writing {table} "
                               f"({type(exc).__name__})") from None

    def _send(self, table: str, columns: tuple[str, ...], rows: list[tuple],
              fixed: dict[str, object]) -> None:
        names = ", ".join((*columns, *fixed))
        if self.dialect == "sqlite":
            # The shared values are written into the statement once rather than bound for
            # every row (a fifth less work per row); they are ints, None or our own text.
            marks = ", ".join(["?"] * len(columns) + [_literal(v) for v in fixed.values()])
            cursor = self.dbapi.cursor()
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            cursor.close()
            return
        shared = tuple(fixed.values())
        with self.dbapi.cursor() as cursor, cursor.copy(
                f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + shared)


def _literal(value: object) -> str:
    """A shared value as SQLite literal: an int, NULL, or text quoted the SQL way."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no SQLite literal for {type(value).__name__}")
