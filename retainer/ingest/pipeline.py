"""The importer: files and folders in, one transaction per file, a result per file.

Usable without click: the ``import`` command, the nightly ``run`` and the tests call
``import_paths``. Each file lands completely or not at all; a file already in the archive
(same SHA-256) is skipped; a failure names the file and never quotes message text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError

from retainer.archive import Archive
from retainer.archive.audit import begin_entry, current_operator, seal
from retainer.archive.models import Export, StoredFile
from retainer.archive.vault import sha256_file
from retainer.errors import RetainerError
from retainer.formats import open_container, read_export
from retainer.ingest.digests import ImportDigest
from retainer.ingest.evidence import digest_evidence
from retainer.ingest.export import ImportOptions, Progress, ingest_export

EXPORT_SUFFIXES = (".txt", ".zip")


@dataclasses.dataclass
class FileResult:
    """What happened to one file: ``imported``, ``already`` (archived before), ``skipped``
    (not an export) or ``failed`` (with the reason; nothing of it was kept)."""

    path: str
    status: str
    reason: str | None = None
    sha256: str | None = None
    chat: str | None = None
    messages: int = 0
    new: int = 0
    seen_again: int = 0
    missing: int = 0
    deleted: int = 0
    edited: int = 0
    author_conflicts: int = 0
    notes: list[str] = dataclasses.field(default_factory=list)
    """Anything else worth a line in the log (never message text)."""

    def as_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def failure(name: str, sha: str | None, exc: Exception) -> FileResult:
    """A failed result for an unexpected error, without the error's own text: database
    errors quote the rows they refused, i.e. message text."""
    if isinstance(exc, IntegrityError):
        return FileResult(name, "failed", f"{name}: the archive refused a message of this "
                          "file (the same message twice, far out of time order?)", sha256=sha)
    if isinstance(exc, DBAPIError):
        # A lock held too long, a lost connection: this file failed, the next may not.
        return FileResult(name, "failed", f"{name}: the database failed during its import "
                          f"({type(exc.orig).__name__}); nothing of it was kept", sha256=sha)
    if os.environ.get("RETAINER_DEBUG", "") not in ("", "0"):
        raise exc
    return FileResult(name, "failed", f"{name}: unexpected error ({type(exc).__name__}); "
                      "nothing of it was kept; set RETAINER_DEBUG=1 to see the details",
                      sha256=sha)


def already_exported(session, file_id: int, options: ImportOptions) -> bool:
    """Whether this file was already imported as an export of this channel (and, for an
    official export, of this custodian). The same bytes arriving through the other channel —
    a device export later found in an official account — are new evidence, not a repeat."""
    query = select(Export.id).where(Export.file_id == file_id,
                                    Export.channel == options.channel)
    if options.channel == "official":
        query = query.where(Export.custodian.is_not_distinct_from(options.custodian))
    return session.scalar(query.limit(1)) is not None


def _already(archive: Archive, sha: str, options: ImportOptions) -> bool:
    with archive.read() as session:
        stored = session.scalar(select(StoredFile.id).where(StoredFile.sha256 == sha))
        return stored is not None and already_exported(session, stored, options)


def walk(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files under the given paths, folders walked recursively in a stable (sorted) order;
    hidden files and folders are left out."""
    for path in map(Path, paths):
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


def import_paths(archive: Archive, paths: Iterable[str | os.PathLike[str]],
                 options: ImportOptions | Callable[[Path], ImportOptions],
                 progress: Progress | None = None,
                 on_result: Callable[[FileResult], None] | None = None) -> list[FileResult]:
    """Import every export file under ``paths``; ``options`` may depend on the file."""
    results = []
    for path in walk(paths):
        if path.suffix.lower() not in EXPORT_SUFFIXES and path.exists():
            result = FileResult(str(path), "skipped", "not a .txt or .zip export")
        else:
            chosen = options(path) if callable(options) else options
            result = import_file(archive, path, chosen, progress)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def import_file(archive: Archive, path: str | os.PathLike[str], options: ImportOptions,
                progress: Progress | None = None) -> FileResult:
    """Import one export file in one transaction (see the module docstring)."""
    name = os.fspath(path)
    try:
        sha = sha256_file(name)
        # Hash first: a file already archived is "already" even when it could no longer be
        # read the same way (options changed since), and costs no parse.
        if _already(archive, sha, options):
            return FileResult(name, "already", sha256=sha)
        container = open_container(name)
        parsed = read_export(container, date_order=options.date_order)
    except RetainerError as exc:
        return FileResult(name, "failed", str(exc))
    except OSError as exc:
        return FileResult(name, "failed", f"{name}: cannot be read ({exc.strerror})")
    except Exception as exc:  # noqa: BLE001 - database errors quote rows: never show them
        return failure(name, None, exc)
    try:
        with archive.begin() as session:
            # Again under the write lock: another import may have taken it meanwhile.
            stored = session.scalar(select(StoredFile).where(StoredFile.sha256 == sha))
            if stored is not None and already_exported(session, stored.id, options):
                return FileResult(name, "already", sha256=sha)
            operator = current_operator(options.operator)
            entry = begin_entry(session, "import", operator,
                                {"file": name, "sha256": sha, "channel": options.channel})
            if stored is None:
                stored = StoredFile(sha256=sha, size=os.path.getsize(name),
                                    name=os.path.basename(name),
                                    mime="application/zip" if container.kind == "zip"
                                    else "text/plain",
                                    stored_at=dt.datetime.now(dt.UTC), audit_id=entry.id)
                session.add(stored)
                session.flush()
            digest = ImportDigest()
            done = ingest_export(session, container, parsed, stored, options, entry.id, digest,
                                 progress, source_path=name)
            digest_evidence(session, entry.id, digest)
            seal(session, entry, digest, {
                "file": name, "sha256": sha, "channel": options.channel,
                "custodian": options.custodian, "timezone": options.timezone,
                "chat": done.chat, "export_id": done.export_id, "messages": done.messages,
                "new": done.new, "seen_again": done.seen_again, "missing": done.missing,
                "deleted_after_capture": done.deleted, "edited_after_capture": done.edited,
                "author_conflicts": done.author_conflicts})
            # Kept last before the commit, after everything that could reject the file: a
            # failed import leaves no trace, and a committed one always has its original.
            archive.vault.store_file(name, sha)
    except RetainerError as exc:
        return FileResult(name, "failed", str(exc), sha256=sha)
    except Exception as exc:  # noqa: BLE001 - database errors quote rows: never show them
        return failure(name, sha, exc)
    notes = []
    if done.author_conflicts:
        notes.append(f"{done.author_conflicts} messages shown under another person than "
                     "earlier exports show them (see retainer chats; map aliases in the "
                     "configuration if they are one person)")
    return FileResult(name, "imported", sha256=sha, chat=done.chat, messages=done.messages,
                      new=done.new, seen_again=done.seen_again, missing=done.missing,
                      deleted=done.deleted, edited=done.edited,
                      author_conflicts=done.author_conflicts, notes=notes)
