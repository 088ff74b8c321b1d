"""The access log: every search, thread view, export and audit listing, in the audit chain.

Each investigator action appends one entry (``retainer.archive.audit.record``) naming the
operator, the action, what was asked (the query as typed and the filters) and how many
messages it returned — never message text. The entries are part of the hash chain that
``retainer verify`` checks (DESIGN §7).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from retainer.archive import Archive
from retainer.archive.audit import GENESIS, chain_problems, record
from retainer.archive.models import AuditEntry
from retainer.errors import UsageError
from retainer.search.engine import Hit, matching_ids, search
from retainer.search.filters import Filters
from retainer.search.handover import (
    FORMATS,
    MANIFEST,
    Package,
    Verification,
    publish,
    staged,
    target_directory,
    verify_package,
    write_package,
)
from retainer.search.query import parse
from retainer.search.thread import Thread, read_thread

ACTIONS = ("search", "thread", "export", "audit", "verify-export")
"""Actions this module records (imports and other entries are written elsewhere)."""
SUMMARY_WIDTH = 120


def log_access(session: Session, action: str, operator: str, details: dict[str, Any],
               results: int) -> AuditEntry:
    """Append the entry for one investigator action, inside the caller's write transaction.

    ``details`` says what was asked (query, filters, options); it must never hold message
    text. ``results`` is the number of messages shown or exported.
    """
    assert action in ACTIONS, action
    return record(session, action, operator, {**details, "results": results})


@dataclasses.dataclass
class LogLine:
    id: int
    at: dt.datetime
    operator: str
    action: str
    details: dict[str, Any]

    @property
    def summary(self) -> str:
        """The details on one line (``key=value``), cut to ``SUMMARY_WIDTH``."""
        parts = [f"{key}={_compact(value)}" for key, value in self.details.items()
                 if value not in (None, "", [], {})]
        line = " ".join(parts)
        return line if len(line) <= SUMMARY_WIDTH else line[:SUMMARY_WIDTH - 1] + "…"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at.astimezone(dt.UTC).isoformat(),
                "operator": self.operator, "action": self.action, "details": self.details}


def _compact(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if (" " in value or not value) else value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def list_entries(session: Session, *, since: dt.datetime | None = None,
                 operator: str | None = None, actions: tuple[str, ...] = ()
                 ) -> list[LogLine]:
    """Audit entries, oldest first, optionally from ``since`` on, by ``operator`` (exact) and
    of the given ``actions``."""
    statement = select(AuditEntry.id, AuditEntry.at, AuditEntry.operator, AuditEntry.action,
                       AuditEntry.details).order_by(AuditEntry.id)
    if since is not None:
        statement = statement.where(AuditEntry.at >= since)
    if operator is not None:
        statement = statement.where(AuditEntry.operator == operator)
    if actions:
        statement = statement.where(AuditEntry.action.in_(actions))
    return [LogLine(*row) for row in session.execute(statement)]


def chain_head(session: Session) -> tuple[int | None, str]:
    """(id, digest) of the newest audit entry: the chain's head (id None when empty)."""
    row = session.execute(select(AuditEntry.id, AuditEntry.digest)
                          .order_by(AuditEntry.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (None, GENESIS)


# Investigator actions: each reads, then appends its entry; results are returned only once
# the entry is committed, so nothing is shown that the log does not hold.

def logged_search(archive: Archive, text: str, filters: Filters, *, operator: str,
                  limit: int = 20, sort: str = "newest") -> list[Hit]:
    """``engine.search`` for the query ``text``, recorded as action ``search``.

    Raises:
        UsageError: a malformed query or filter (nothing is recorded: nothing was seen).
    """
    query = parse(text)
    with archive.read() as session:
        hits = search(session, query, filters, limit=limit, sort=sort)
    with archive.begin() as session:
        log_access(session, "search", operator, {"query": text, **filters.as_log(),
                                                 "limit": limit, "sort": sort}, len(hits))
    return hits


def logged_thread(archive: Archive, chat: str, *, operator: str, **options: Any) -> Thread:
    """``thread.read_thread(chat, **options)``, recorded as action ``thread``."""
    with archive.read() as session:
        found = read_thread(session, chat, **options)
    asked = {k: (v.astimezone(dt.UTC).isoformat() if isinstance(v, dt.datetime) else v)
             for k, v in options.items() if v is not None and v is not False}
    with archive.begin() as session:
        log_access(session, "thread", operator, {"chat": found.chat, **asked},
                   len(found.messages))
    return found


def logged_export(archive: Archive, text: str | None, filters: Filters, to: str, fmt: str, *,
                  operator: str, limit: int | None = None) -> Package:
    """Write an export package of the messages matching ``text`` (None: only ``filters``),
    recorded as action ``export``, all in one write transaction: the manifest's audit head is
    the entry before the export's own, whose details hold the manifest's SHA-256.

    The package is written beside ``to`` and moved there only once its entry is committed;
    if anything fails before, nothing is left on disk and nothing is recorded.

    Raises:
        UsageError: neither a query nor a chat, a malformed query, a bad directory or format.
        ArchiveError: the package could not be moved into place after it was recorded.
    """
    if text is None and filters.chat is None:
        raise UsageError("say what to export: --query QUERY or --chat CHAT")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    query = parse(text) if text is not None else None
    target = target_directory(to)
    selection = {"query": text, **filters.as_log(), "limit": limit}
    with staged(target) as staging:
        with archive.begin() as session:
            ids = matching_ids(session, query, filters, limit=limit, sort="chat")
            package = write_package(session, ids, staging, fmt, selection=selection,
                                    operator=operator, head=chain_head(session))
            entry = log_access(session, "export", operator,
                               {**selection, "format": fmt, "to": str(target.resolve()),
                                "manifest_sha256": package.manifest_sha256},
                               package.messages)
        publish(staging, target, entry.id)
    return dataclasses.replace(package, directory=target)


def logged_audit(archive: Archive, *, operator: str, since: dt.datetime | None = None,
                 by: str | None = None, actions: tuple[str, ...] = ()) -> list[LogLine]:
    """``list_entries``, itself recorded as action ``audit``: the log shows what
    investigators asked for, which is sensitive in its own right (docs/search.md)."""
    with archive.begin() as session:
        lines = list_entries(session, since=since, operator=by, actions=actions)
        asked = {"since": since.astimezone(dt.UTC).isoformat() if since else None,
                 "operator": by, "actions": list(actions) or None}
        log_access(session, "audit", operator, {k: v for k, v in asked.items() if v},
                   len(lines))
    return lines


def export_entry(session: Session, manifest_sha256: str) -> AuditEntry | None:
    """The ``export`` audit entry that recorded a manifest with this SHA-256, if any."""
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.action == "export")
                                 .order_by(AuditEntry.id)):
        if (entry.details or {}).get("manifest_sha256") == manifest_sha256:
            return entry
    return None


def check_recorded(session: Session, report: Verification) -> AuditEntry | None:
    """Add the archive's word to a package's ``report``: the export entry that recorded its
    manifest's SHA-256 (a problem when none did: the manifest was changed and re-sealed, or
    the package is not this archive's), the manifest's audit head being the entry just
    before it, and the whole audit chain verifying (DESIGN §7). Returns the entry."""
    if report.manifest_sha256 is None:
        return None
    entry = export_entry(session, report.manifest_sha256)
    if entry is None:
        report.problems.append(f"archive: no export in the audit log has a manifest with "
                               f"SHA-256 {report.manifest_sha256} (the manifest was changed, "
                               "or the package is not from this archive)")
    else:
        report.recorded = (f"export audit entry {entry.id} of "
                           f"{entry.at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S} UTC by "
                           f"{entry.operator}")
        head = (report.manifest or {}).get("audit_head") or {}
        if head.get("digest") != entry.prev_digest:
            report.problems.append(f"{MANIFEST}: its audit head is not the entry before "
                                   f"export entry {entry.id}")
    report.problems += [f"archive: {problem}" for problem in chain_problems(session)]
    return entry


def logged_verify_export(archive: Archive, path: str, *, operator: str,
                         manifest_sha256: str | None = None) -> Verification:
    """``handover.verify_package`` and ``check_recorded``, recorded as action
    ``verify-export``: it reads the audit log, which says who exported what."""
    report = verify_package(path, manifest_sha256=manifest_sha256)
    with archive.begin() as session:
        entry = check_recorded(session, report)
        log_access(session, "verify-export", operator,
                   {"directory": str(Path(path).resolve()),
                    "manifest_sha256": report.manifest_sha256,
                    "expected_sha256": manifest_sha256,
                    "export_entry": entry.id if entry is not None else None,
                    "problems": len(report.problems)}, 1 if entry is not None else 0)
    return report
