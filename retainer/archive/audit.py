"""The audit log: a hash chain of every import and every investigator action (DESIGN §7).

Each entry's digest covers the previous entry's digest, its own fields, and — for an import —
a digest of the identities and contents of the rows it added. ``verify_chain`` recomputes it.
Details never hold message text.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from retainer.archive import anchors
from retainer.archive.models import AuditEntry

GENESIS = "0" * 64


def current_operator(explicit: str | None = None) -> str:
    """Who is acting: ``--operator``, else ``RETAINER_OPERATOR``, else the OS user."""
    if explicit:
        return explicit
    if os.environ.get("RETAINER_OPERATOR"):
        return os.environ["RETAINER_OPERATOR"]
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database (containers): say so rather than fail
        return f"uid:{os.getuid()}"


def entry_digest(prev: str, at: dt.datetime, operator: str, action: str,
                 details: dict[str, Any], added_count: int, added_digest: str | None) -> str:
    body = json.dumps(
        {"prev": prev, "at": at.astimezone(dt.UTC).isoformat(), "operator": operator,
         "action": action, "details": details, "added_count": added_count,
         "added_digest": added_digest},
        sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()


class RowDigest:
    """A running SHA-256 over the rows an entry adds, in the order they are written."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.count = 0

    def add(self, *parts: object) -> None:
        self._hash.update("\x1f".join(map(str, parts)).encode())
        self._hash.update(b"\x1e")
        self.count += 1

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def head(session: Session) -> str:
    """Digest of the newest entry (the chain's head), or the genesis digest."""
    return session.scalar(select(AuditEntry.digest).order_by(AuditEntry.id.desc()).limit(1)) \
        or GENESIS


def begin_entry(session: Session, action: str, operator: str,
                details: dict[str, Any]) -> AuditEntry:
    """Add an entry whose digest is set by ``seal`` once its rows are written.

    The caller holds the write lock (``Archive.begin``), so nobody appends meanwhile.
    """
    entry = AuditEntry(at=dt.datetime.now(dt.UTC), operator=operator, action=action,
                       details=details, added_count=0, prev_digest=head(session),
                       digest=f"pending:{os.urandom(16).hex()}")
    session.add(entry)
    session.flush()
    return entry


def seal(session: Session, entry: AuditEntry, rows: Any = None,
         details: dict[str, Any] | None = None) -> None:
    """Fix the entry's details and digest; call last in the entry's transaction.

    ``rows`` has ``count`` and ``hexdigest()`` (a ``RowDigest`` or an import's digest); an
    import's digest also has a ``version``, kept in the details as ``digest_version`` so that
    ``verify`` recomputes the entry the way it was sealed."""
    if details is not None:
        entry.details = details
    version = getattr(rows, "version", None)
    if version is not None:
        entry.details = {**entry.details, "digest_version": version}
    entry.added_count = rows.count if rows else 0
    entry.added_digest = rows.hexdigest() if rows else None
    entry.digest = entry_digest(entry.prev_digest or GENESIS, entry.at, entry.operator,
                                entry.action, entry.details, entry.added_count,
                                entry.added_digest)
    session.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values(
        details=entry.details, added_count=entry.added_count,
        added_digest=entry.added_digest, digest=entry.digest))
    anchors.remember(session.info, entry.id, entry.digest)


def record(session: Session, action: str, operator: str, details: dict[str, Any]) -> AuditEntry:
    """Append a complete entry that adds no rows (a search, a thread view, an export)."""
    entry = begin_entry(session, action, operator, details)
    seal(session, entry)
    return entry


def chain_problems(session: Session) -> Iterator[str]:
    """Every place the chain does not hold: a changed entry, a missing or reordered one."""
    prev = GENESIS
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        if entry.prev_digest != prev:
            yield f"audit entry {entry.id} ({entry.action}): does not follow the entry " \
                  "before it (an entry was removed or reordered)"
        expected = entry_digest(entry.prev_digest or GENESIS, entry.at, entry.operator,
                                entry.action, entry.details, entry.added_count,
                                entry.added_digest)
        if entry.digest != expected:
            yield f"audit entry {entry.id} ({entry.action}): its contents were altered"
        prev = entry.digest
