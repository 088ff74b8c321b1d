"""The archive: its database (engines, schema, units of work), its vault and its audit chain.

``Archive.open(url, vault)`` gives an engine, the vault and units of work. ``begin()`` is one
exclusive write transaction (an import of one file plus its audit entry: all or nothing);
``read()`` a read transaction on one snapshot. Library functions take the session and never
commit. Each committed write's audit entries are anchored in the vault (``anchors``).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from retainer.archive import anchors, schema
from retainer.archive.engine import BEGIN_OPTION, create_archive_engine, parse_url, sqlite_path
from retainer.archive.vault import Vault
from retainer.errors import ArchiveError

DEFAULT_URL = "sqlite:///retainer.db"


def _with_retries(step, attempts: int = 5) -> None:
    """Run ``step``, retrying briefly when SQLite reports a lock its busy handler cannot wait
    for (a database being created or checkpointed by another process at that instant)."""
    for attempt in range(attempts):
        try:
            return step()
        except OperationalError as exc:
            if "locked" not in str(exc.orig) or attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


class Archive:
    def __init__(self, engine: Engine, vault: Vault) -> None:
        self.engine = engine
        self.vault = vault
        self._write = sessionmaker(engine.execution_options(**{BEGIN_OPTION: "write"}),
                                   expire_on_commit=False)
        read = {BEGIN_OPTION: "read"}
        if engine.dialect.name == "postgresql":
            # One snapshot for the whole read (SQLite's WAL readers have one anyway): verify
            # and reports must not see an import half-way through committing.
            read["isolation_level"] = "REPEATABLE READ"
        self._read = sessionmaker(engine.execution_options(**read), expire_on_commit=False)

    @classmethod
    def open(cls, url: str = DEFAULT_URL, vault: str | os.PathLike[str] | None = None, *,
             create: bool = True, check_schema: bool = True) -> Archive:
        """Open (and, for a new SQLite file, create) an archive.

        Args:
            url: SQLAlchemy URL (``sqlite:///path`` or ``postgresql://…``).
            vault: the vault folder; default ``vault`` beside a SQLite file, else ``./vault``.
            create: create a new SQLite archive (the file and its schema); without it a
                missing file is an error.
            check_schema: refuse an archive whose schema is not this code's.

        Raises:
            ArchiveError: unsupported URL, or a schema that needs ``retainer db upgrade``.
        """
        parsed = parse_url(url)
        engine = create_archive_engine(parsed, create_file=create)
        if vault is None:
            path = sqlite_path(parsed)
            vault = (path.parent if path else Path.cwd()) / "vault"
        if check_schema:
            try:
                _with_retries(lambda: schema.require_current(
                    engine, create=create and parsed.get_backend_name() == "sqlite"))
            except BaseException:
                engine.dispose()
                raise
        archive = cls(engine, Vault(vault))
        archive.vault = Vault(vault, archive._has_files)
        return archive

    @property
    def persistent(self) -> bool:
        """Not an in-memory SQLite database (whose vault and anchors would outlive it)."""
        url = self.engine.url
        return url.get_backend_name() != "sqlite" or sqlite_path(url) is not None

    def _has_files(self) -> bool:
        """Whether the archive already keeps files (read on a connection of its own)."""
        if not self.persistent:  # one connection only, already in the import's transaction
            return False
        from sqlalchemy import select

        from retainer.archive.models import StoredFile

        with self._read() as session:
            return session.scalar(select(StoredFile.id).limit(1)) is not None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def begin(self) -> Iterator[Session]:
        """One exclusive write transaction: committed if the block ends normally, rolled back
        if it raises."""
        with self._write.begin() as session:
            yield session
            sealed = session.info.pop(anchors.SEALED, [])
            first = self._first_digest(session) if sealed and self.persistent else None
            if first is not None and (other := anchors.foreign(
                    self.vault.root, anchors.archive_id(first))) is not None:
                raise ArchiveError(  # rolled back: nothing is written under another's anchors
                    f"the vault holds the audit-chain anchors of another archive ({other}): "
                    "either this archive's audit chain was rewritten from its first entry "
                    "(run retainer verify), or the vault is another archive's; give each "
                    "archive a vault of its own ([archive] vault)", path=self.vault.root)
        if first is not None:  # committed: anchor its entries outside the database
            anchors.append(self.vault.root, anchors.archive_id(first), sealed)

    @staticmethod
    def _first_digest(session: Session) -> str | None:
        from sqlalchemy import select

        from retainer.archive.models import AuditEntry

        return session.scalar(select(AuditEntry.digest).order_by(AuditEntry.id).limit(1))

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction (rolled back at the end: reads change nothing)."""
        with self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    def close(self) -> None:
        self.engine.dispose()
