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
    "id", "chat_id", "identity", "ordinal", "sent_at", "sent_at_local", "stamp", "timezone",
    "time_flag", "author", "author_key", "kind", "edited", "text", "attachment",
    "content_digest", "export_id", "audit_id",
)
CAPTURE_COLUMNS = (
    "message_id", "export_id", "mail_id", "line", "channel", "captured_at", "author", "text",
    "complete", "audit_id",
)
LOOKUP_CHUNK = 2000
"""Identities per ``IN (…)`` lookup: well under SQLite's variable limit."""


def existing(session: Session, chat_id: int, identities: Sequence[str]
             ) -> dict[str, tuple[int, str, str | None, str | None]]:
    """identity → (message id, kind, text, author key) for those already archived in the
    chat; the text only for media and deletions, whose identity does not cover it."""
    from sqlalchemy import case

    found: dict[str, tuple[int, str, str | None, str | None]] = {}
    shown = case((Message.kind.in_(("media", "deleted")), Message.text), else_=None)
    for start in range(0, len(identities), LOOKUP_CHUNK):
        chunk = identities[start:start + LOOKUP_CHUNK]
        query = select(Message.identity, Message.id, Message.kind, shown,
                       Message.author_key).where(
            Message.chat_id == chat_id, Message.identity.in_(chunk))
        for ident, message_id, kind, text, author_key in session.execute(query):
            found[ident] = (message_id, kind, text, author_key)
    return found


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

    def messages(self, rows: list[tuple]) -> None:
        """Rows in ``MESSAGE_COLUMNS`` order, ``sent_at`` already through ``time``."""
        self._write("messages", MESSAGE_COLUMNS, rows)

    def captures(self, rows: list[tuple]) -> None:
        """Rows in ``CAPTURE_COLUMNS`` order, ``captured_at`` already through ``time``."""
        self._write("captures", CAPTURE_COLUMNS, rows)

    def _write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        try:
            self._send(table, columns, rows)
        except Exception as exc:  # noqa: BLE001 - the driver's own errors, below
            if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg"):
                raise
            # Never pass the driver's message on: it quotes the refused row (message text).
            what = "refused a row" if "Integrity" in type(exc).__name__ else "failed"
            raise ArchiveError(f"the database {what} while writing {table} "
                               f"({type(exc).__name__})") from None

    def _send(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if self.dialect == "sqlite":
            marks = ", ".join("?" * len(columns))
            cursor = self.dbapi.cursor()
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                               rows)
            cursor.close()
            return
        with self.dbapi.cursor() as cursor, cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
