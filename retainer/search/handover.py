"""Export packages for hand-over, and their verification.

A package is a new directory (mode 0700; files 0600: the content is sensitive) holding the
selected messages in one format and ``manifest.json``. It is written in a private directory
beside its target (``staged``) and moved into place in one rename (``publish``) once its audit
entry is committed, so a package is never on disk without its entry in the log:

- ``eml``: ``messages.eml/`` with one ``.eml`` per message (``retainer.search.mail``);
- ``mbox``: ``messages.mbox`` with the same mails;
- ``csv`` / ``jsonl``: ``messages.csv`` / ``messages.jsonl``, one row per message;
- ``html``: ``messages.html``, a self-contained page (``retainer.search.page``).

The manifest lists every file with its SHA-256 and size, the selection (query and filters),
the operator, the time, the retainer version, the number of messages and the archive's audit
chain head (entry id and digest) when the package was made; the export's own audit entry
records the manifest's SHA-256, binding the package to the log. ``verify_package`` recomputes
every hash and reports missing, extra and altered files.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import hashlib
import json
import mailbox
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from email import policy
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy.orm import Session

from retainer import __version__
from retainer.errors import ArchiveError, UsageError
from retainer.search import mail, page
from retainer.search.engine import Hit, load_batches

FORMATS = ("eml", "mbox", "csv", "jsonl", "html")
MANIFEST = "manifest.json"
CSV_COLUMNS = ("message_id", "chat", "sent_at_utc", "sent_at_local", "timezone", "author",
               "person", "kind", "edited", "text", "attachment", "identity", "content_digest")


@dataclasses.dataclass
class Package:
    directory: Path
    messages: int
    files: list[dict[str, Any]]
    manifest_sha256: str


def target_directory(path: str | os.PathLike[str]) -> Path:
    """The directory a package is to be published at, checked, as an absolute path (so that
    the package is staged beside it, not inside it: ``.`` has no name and no parent).

    Checked before anything is written or recorded, since a package that cannot be moved
    into place would leave an audit entry for an export that never landed.

    Raises:
        UsageError: it exists and is not an empty directory (or is a symbolic link); or it
            is the current directory or holds it: the package replaces the directory, so a
            shell there would be left in a deleted directory and see nothing.
    """
    directory = Path(path)
    if directory.is_symlink() or (directory.exists() and (
            not directory.is_dir() or any(directory.iterdir()))):
        raise UsageError(f"{directory}: --to must be a new or empty directory")
    absolute = directory.resolve()
    here = Path.cwd().resolve()
    if absolute == here or absolute in here.parents:
        raise UsageError(f"{path}: --to cannot be the current directory (or one that holds "
                         "it); name a new directory for the package, e.g. --to handover")
    return absolute


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A new private (0700) directory beside ``target`` to write a package in: it only
    becomes ``target`` through ``publish``, so no half-written or unlogged package is ever at
    ``target``. If the block raises, it is removed with everything in it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def publish(staging: Path, target: Path, entry_id: int) -> None:
    """Move a finished package from ``staging`` to ``target`` in one rename (an empty
    ``target`` directory is replaced). ``entry_id`` is its audit entry, already committed.

    Raises:
        ArchiveError: the rename failed (``target`` was filled meanwhile, say).
    """
    try:
        os.rename(staging, target)
    except OSError as exc:
        raise ArchiveError(f"{target}: the export is recorded in the audit log (entry "
                           f"{entry_id}) but its package could not be moved there "
                           f"({exc.strerror or type(exc).__name__}); nothing was left on "
                           "disk: run the export again") from None


def _private(path: Path, mode: str = "w", **kwargs: Any):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(descriptor, mode, **kwargs)


def write_package(session: Session, ids: Sequence[int], directory: Path, fmt: str, *,
                  selection: dict[str, Any], operator: str,
                  head: tuple[int | None, str]) -> Package:
    """Write the messages ``ids`` (in that order) as a package into ``directory``, a new empty
    directory (``staged`` makes one, and removes it if this fails).

    Raises:
        UsageError: unknown format.
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    return _write(session, ids, directory, fmt, selection, operator, head)


def _write(session: Session, ids: Sequence[int], directory: Path, fmt: str,
           selection: dict[str, Any], operator: str, head: tuple[int | None, str]) -> Package:
    created_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    batches = load_batches(session, ids)
    if fmt == "eml":
        folder = directory / "messages.eml"
        folder.mkdir(mode=0o700)
        for batch in batches:
            for hit, data in _mails(batch):
                name = f"{hit.sent_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{hit.message_id}.eml"
                with _private(folder / name, "wb") as f:
                    f.write(data.as_bytes())
    elif fmt == "mbox":
        path = directory / "messages.mbox"
        _private(path).close()
        box = mailbox.mbox(path, create=False)
        try:
            for batch in batches:
                for _, data in _mails(batch):
                    box.add(data.as_bytes(policy=policy.default))
            box.flush()
        finally:
            box.close()
    elif fmt == "csv":
        with _private(directory / "messages.csv", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(CSV_COLUMNS)
            for batch in batches:
                writer.writerows([_row(h)[c] for c in CSV_COLUMNS] for h in batch)
    elif fmt == "jsonl":
        with _private(directory / "messages.jsonl", encoding="utf-8") as f:
            for batch in batches:
                f.writelines(json.dumps(_row(h), ensure_ascii=False) + "\n" for h in batch)
    else:
        info = {"messages": len(ids), "selection": json.dumps(selection, ensure_ascii=False),
                "operator": operator, "created_at": created_at,
                "audit_head": f"entry {head[0]}: {head[1]}"}
        with _private(directory / "messages.html", encoding="utf-8") as f:
            f.writelines(page.render((h for b in batches for h in b), info))
    files = [_describe(directory, path) for path in sorted(_files(directory))]
    manifest = {
        "package": "retainer export", "manifest_version": 1, "retainer_version": __version__,
        "created_at": created_at, "operator": operator, "format": fmt,
        "selection": selection, "messages": len(ids),
        "audit_head": {"entry_id": head[0], "digest": head[1]}, "files": files}
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    with _private(directory / MANIFEST, "wb") as f:
        f.write(data)
    return Package(directory, len(ids), files, hashlib.sha256(data).hexdigest())


def _mails(batch: list[Hit]):
    for hit in batch:
        yield hit, mail.build(hit)


def _row(hit: Hit) -> dict[str, Any]:
    return {"message_id": hit.message_id, "chat": hit.chat,
            "sent_at_utc": hit.sent_at.astimezone(dt.UTC).isoformat(),
            "sent_at_local": hit.sent_at_local, "timezone": hit.timezone,
            "author": hit.author, "person": hit.person, "kind": hit.kind,
            "edited": hit.edited, "text": hit.text, "attachment": hit.attachment,
            "identity": hit.identity, "content_digest": hit.content_digest}


def _files(directory: Path) -> Iterator[str]:
    """Relative POSIX paths of every file under ``directory`` but the manifest."""
    for root, dirs, names in os.walk(directory):
        dirs.sort()
        for name in names:
            relative = (Path(root) / name).relative_to(directory).as_posix()
            if relative != MANIFEST:
                yield relative


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _describe(directory: Path, relative: str) -> dict[str, Any]:
    path = directory / relative
    return {"path": relative, "sha256": _sha256(path), "size": path.stat().st_size}


@dataclasses.dataclass
class Verification:
    files: int = 0
    messages: int | None = None
    manifest: dict[str, Any] | None = None
    manifest_sha256: str | None = None
    """The SHA-256 of ``manifest.json`` as found (None when there is none)."""
    recorded: str | None = None
    """The archive's word on the package, when it was asked: which export entry records it."""
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_package(path: str | os.PathLike[str], *,
                   manifest_sha256: str | None = None) -> Verification:
    """Check a package against its manifest: every listed file present with its size and
    SHA-256, nothing unlisted beside them, and — when ``manifest_sha256`` is given (the value
    ``retainer export`` printed, kept with the hand-over record) — the manifest itself.

    A manifest edited and re-sealed (a file changed, its new SHA-256 written into the
    manifest) passes the file checks; only the manifest's own SHA-256, compared with a value
    kept apart from the package or with the archive's export entry (``access``), catches it.
    """
    directory = Path(path)
    report = Verification()
    if not directory.is_dir():
        report.problems.append(f"{directory}: not a directory")
        return report
    try:
        data = (directory / MANIFEST).read_bytes()
    except FileNotFoundError:
        report.problems.append(f"{MANIFEST}: missing")
        return report
    report.manifest_sha256 = hashlib.sha256(data).hexdigest()
    if manifest_sha256 is not None and report.manifest_sha256 != manifest_sha256.lower():
        report.problems.append(f"{MANIFEST}: its SHA-256 is {report.manifest_sha256}, not the "
                               f"{manifest_sha256.lower()} expected (the manifest was changed)")
    try:
        manifest = json.loads(data.decode("utf-8"))
        listed = {entry["path"]: entry for entry in manifest["files"]}
    except (ValueError, KeyError, TypeError):
        report.problems.append(f"{MANIFEST}: not a retainer manifest (unreadable JSON or no "
                               "file list)")
        return report
    report.manifest, report.messages = manifest, manifest.get("messages")
    for name, entry in sorted(listed.items()):
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or not name:
            report.problems.append(f"{name}: the manifest names a path outside the package")
            continue
        file = directory / pure
        report.files += 1
        if not file.is_file():
            report.problems.append(f"{name}: missing")
        elif file.stat().st_size != entry.get("size") or _sha256(file) != entry.get("sha256"):
            report.problems.append(f"{name}: altered (its SHA-256 or size differs from the "
                                   "manifest)")
    for name in sorted(set(_files(directory)) - set(listed)):
        report.problems.append(f"{name}: not listed in the manifest (added)")
    return report


def is_sha256(text: str) -> bool:
    """Whether ``text`` is 64 hexadecimal digits (any case)."""
    return len(text) == 64 and all(c in "0123456789abcdefABCDEF" for c in text)
