"""Database engines: SQLite (embedded, the default) and PostgreSQL (psycopg 3).

Both give the same guarantee: a write transaction is exclusive from its first statement, so
two imports (or an import and an investigator's logged search) never interleave their audit
entries. SQLite does it with ``BEGIN IMMEDIATE`` and a busy timeout; PostgreSQL with a
transaction-scoped advisory lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from retainer.errors import ArchiveError

BUSY_TIMEOUT_MS = 120_000
"""How long a writer waits for another writer before giving up (SQLite)."""
WRITE_LOCK_KEY = 0x7265_7461_696E  # "retain"
"""PostgreSQL advisory-lock key every write transaction takes."""
BEGIN_OPTION = "retainer_begin"
"""Execution option saying how a transaction begins: ``write`` (exclusive) or ``read``."""


def parse_url(url: str) -> URL:
    """The URL, checked to be SQLite or PostgreSQL.

    Raises:
        ArchiveError: not a URL, or a database retainer does not support.
    """
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is no number
        # Never quote the URL: it may hold a password.
        raise ArchiveError("not a database URL") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend != "sqlite":
        raise ArchiveError(f"unsupported database {backend!r} (use sqlite:/// or postgresql://)")
    return parsed


def sqlite_path(url: URL) -> Path | None:
    """The database file of a SQLite URL, or None for an in-memory database."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def create_archive_engine(url: str | URL, *, create_file: bool = True) -> Engine:
    """An engine with retainer's connection settings (see the module docstring).

    Raises:
        ArchiveError: ``create_file`` is false and the SQLite file does not exist.
    """
    parsed = parse_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(parsed)
        if not create_file and path is not None and not path.exists():
            raise ArchiveError("no archive here yet (nothing was imported into it)", path=path)
        return _sqlite_engine(parsed)
    engine = create_engine(parsed, pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _lock(conn) -> None:
        if conn.get_execution_options().get(BEGIN_OPTION, "write") == "write":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    return engine


def _sqlite_engine(url: URL) -> Engine:
    path = sqlite_path(url)
    if path is not None and not path.exists():
        # Created readable by its owner only, before SQLite creates it with the umask's bits;
        # SQLite gives its -wal and -shm files the same permissions.
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB: bulk imports touch big indexes
        if path is not None and cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")  # once per database: it persists
        cursor.execute("PRAGMA synchronous = FULL")  # a committed import survives power loss
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        mode = conn.get_execution_options().get(BEGIN_OPTION, "write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "write" else "BEGIN")

    return engine
