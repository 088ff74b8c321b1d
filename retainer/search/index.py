"""The full-text index: derived from message text, kept by the import in its transaction.

One row per message holding the words of its text (``tokens.words``; a media message's text
carries its caption), under a **time key**: ``(UTC epoch second << 31) | message id``. The key
sorts like ``ORDER BY sent_at, id`` and gives the message id back (``key & ID_MASK``), so the
newest matches come straight off the index in key order (no sort of every match) and a time
range is a key range:

- SQLite: ``search_index``, a contentless FTS5 table (``content=''``: the words are indexed,
  not stored a second time) with the ``ascii`` tokenizer, which keeps the ready-made words
  whole; its rowid is the time key.
- PostgreSQL: ``search_index(key, message_id, words tsvector)``, the key as primary key (a
  btree the planner walks backwards for common words) and a GIN index on ``words`` (for rare
  ones); the tsvector is written as a literal (``'word':position …``), so no text-search
  dictionary is involved.

Messages are never updated or deleted, so the index only grows. It is outside the SQLAlchemy
models (``retainer db check`` ignores it: see ``is_index_object``) and outside ``retainer
verify``: it proves nothing and can be rebuilt from the messages at any time (``rebuild``).
Messages with no words (an emoji-less "…") get no row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select, text
from sqlalchemy.orm import Session

from retainer.archive.models import Message
from retainer.errors import ArchiveError
from retainer.ingest.writer import MESSAGE_COLUMNS
from retainer.search.tokens import words

_ID, _SENT_AT, _TEXT = (MESSAGE_COLUMNS.index(c) for c in ("id", "sent_at", "text"))
"""Where ``index_messages`` finds them in the importer's message rows."""

TABLE = "search_index"
"""The index table (SQLite adds shadow tables named ``search_index_*``)."""
REBUILD_BATCH = 5000
ID_BITS = 31
ID_MASK = (1 << ID_BITS) - 1
"""``key & ID_MASK`` is the message id (message ids stay below 2**31)."""
GIN_INDEX = "ix_search_index_words"
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def time_key(sent_at: dt.datetime | str | int, message_id: int) -> int:
    """The index key of a message sent at ``sent_at`` (aware, SQLite's UTC text, or seconds
    since 1970 already counted)."""
    if isinstance(sent_at, str):
        sent_at = dt.datetime.fromisoformat(sent_at).replace(tzinfo=dt.UTC)
    if message_id > ID_MASK:
        raise ArchiveError(f"message id {message_id} is beyond the search index's range")
    second = sent_at if isinstance(sent_at, int) else key_second(sent_at)
    return (min(max(second, 0), (1 << 32) - 1) << ID_BITS) | message_id


def key_second(instant: dt.datetime) -> int:
    """Seconds since 1970 (UTC), kept within what the key holds."""
    return min(max(int((instant - _EPOCH).total_seconds()), 0), (1 << 32) - 1)


def key_bound(instant: dt.datetime) -> int:
    """The smallest key of a message sent at ``instant``'s second."""
    return key_second(instant) << ID_BITS


def is_index_object(name: str | None) -> bool:
    """Whether a database object belongs to the index (for Alembic's ``include_name``)."""
    return bool(name) and (name == TABLE or name.startswith(TABLE + "_")
                           or name == GIN_INDEX)


def index_messages(session: Session, rows: Iterable[Sequence[Any]],
                   seconds: Sequence[int] | None = None) -> int:
    """Index new messages in the session's transaction.

    ``rows`` are in ``retainer.ingest.writer.MESSAGE_COLUMNS`` order, as the importer writes
    them (``sent_at`` as the driver takes it: SQLite's UTC text or an aware datetime);
    ``seconds``, when given, are their instants as seconds since 1970 (the importer has them).

    Returns the number of index rows written. Raises ``ArchiveError`` (without the driver's
    message, which may quote text) when the database refuses them.
    """
    connection = session.connection()
    if seconds is None:
        triples = ((r[_ID], r[_SENT_AT], r[_TEXT]) for r in rows)
    else:
        triples = ((r[_ID], s, r[_TEXT]) for r, s in zip(rows, seconds, strict=True))
    return write(connection.connection.dbapi_connection, connection.dialect.name, triples)


def write(dbapi_connection, dialect: str, rows: Iterable[tuple[int, Any, str]]) -> int:
    """Index (message id, sent_at, text) rows on a raw DB-API connection (the importer's
    and the migration's)."""
    return insert_rows(dbapi_connection, dialect, prepare_rows(dialect, rows))


def prepare_rows(dialect: str, rows: Iterable[tuple[int, Any, str]]) -> list[tuple[Any, ...]]:
    """The index rows of (message id, sent_at, text) rows, ready for ``insert_rows``: the
    costly part (finding the words), which needs no connection."""
    prepared: list[tuple[Any, ...]] = []
    if dialect == "sqlite":
        for message_id, sent_at, message_text in rows:
            found = words(message_text)
            if found:
                prepared.append((time_key(sent_at, message_id), " ".join(found)))
    else:
        for message_id, sent_at, message_text in rows:
            found = words(message_text)
            if found:
                prepared.append((time_key(sent_at, message_id), message_id,
                                 tsvector_literal(found)))
    return prepared


def insert_rows(dbapi_connection, dialect: str, prepared: list[tuple[Any, ...]]) -> int:
    """Write rows from ``prepare_rows``; returns how many."""
    if not prepared:
        return 0
    try:
        if dialect == "sqlite":
            cursor = dbapi_connection.cursor()
            cursor.executemany(f"INSERT INTO {TABLE} (rowid, words) VALUES (?, ?)", prepared)
            cursor.close()
        else:
            with dbapi_connection.cursor() as cursor, cursor.copy(
                    f"COPY {TABLE} (key, message_id, words) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
    except Exception as exc:  # noqa: BLE001 - the driver's own errors, below
        if type(exc).__module__.split(".")[0] not in ("sqlite3", "psycopg"):
            raise
        raise ArchiveError(f"the database failed while indexing messages "
                           f"({type(exc).__name__})") from None
    return len(prepared)


def tsvector_literal(found: list[str]) -> str:
    """``'word':1 'other':2 …`` — PostgreSQL merges repeated words and keeps positions up to
    16383 (later ones count as 16383). Words never hold a quote or a backslash."""
    return " ".join(f"'{word}':{n}" for n, word in enumerate(found, 1))


def rebuild(connection: Connection) -> int:
    """Empty the index and index every message again, in batches; returns rows written.

    On PostgreSQL the GIN index, when there is one, is dropped first and built again at the
    end: one bulk build instead of an update per row.
    """
    dialect = connection.dialect.name
    gin = False
    if dialect == "sqlite":  # a contentless FTS5 table is emptied by its own command
        connection.execute(text(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('delete-all')"))
    else:
        gin = connection.scalar(text(f"SELECT to_regclass('{GIN_INDEX}')")) is not None
        if gin:
            connection.execute(text(f"DROP INDEX {GIN_INDEX}"))
        connection.execute(text(f"TRUNCATE {TABLE}"))
    dbapi = connection.connection.dbapi_connection
    total = 0
    for batch in _batches(connection):
        total += write(dbapi, dialect, batch)
    if gin:
        create_gin_index(connection)
    return total


def create_gin_index(connection: Connection) -> None:
    """PostgreSQL's index of the words (the migrations build it after the rows are in)."""
    connection.execute(text(f"CREATE INDEX {GIN_INDEX} ON {TABLE} USING gin (words)"))


def _batches(connection: Connection) -> Iterator[list[tuple[int, Any, str]]]:
    last = 0
    query = select(Message.id, Message.sent_at, Message.text).where(
        Message.id > bindparam("last")).order_by(Message.id).limit(REBUILD_BATCH)
    while True:
        batch = [(r[0], r[1], r[2]) for r in connection.execute(query, {"last": last})]
        if not batch:
            return
        yield batch
        last = batch[-1][0]
