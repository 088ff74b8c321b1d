"""The nightly run: import every ``[[sources]]`` drop folder, device and official.

Made for cron: no prompts, a result per file, idempotent (archived files are skipped by their
SHA-256), safe to run twice at once (each file is its own locked transaction; a file another
run moved away meanwhile is skipped). Processed files can be moved out of the drop folders,
always after their transaction has committed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlalchemy import exists, select

from retainer.archive import Archive
from retainer.archive.audit import begin_entry, current_operator, seal
from retainer.archive.models import Capture, PastedCopy
from retainer.config import Settings, Source
from retainer.formats.mailboxes import is_mail_file, is_maildir, maildir_part
from retainer.ingest.digests import ImportDigest
from retainer.ingest.export import ImportOptions
from retainer.ingest.official import import_mail_file, rematch_pasted
from retainer.ingest.options import import_options
from retainer.ingest.pipeline import EXPORT_SUFFIXES, FileResult, import_file

OnResult = Callable[[FileResult], None]


def run_sources(archive: Archive, settings: Settings, *, operator: str | None = None,
                move_done: Path | None = None, move_failed: Path | None = None,
                on_result: OnResult | None = None) -> list[FileResult]:
    """Import every source folder in configuration order; returns a result per file.

    A source folder that does not exist gives a failed result (the configuration or the
    mount is wrong). ``move_done`` receives imported and already-archived files,
    ``move_failed`` failed ones, each under its path relative to its source folder.
    """
    results: list[FileResult] = []

    def report(result: FileResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    for source in settings.sources:
        if not source.path.is_dir():
            report(FileResult(str(source.path), "failed",
                              f"{source.path}: source folder does not exist"))
            continue
        options = import_options(settings, source=source, operator=operator)
        for path in walk_sources([source.path]):
            if not path.exists():
                report(FileResult(str(path), "skipped", "gone (moved by another run?)"))
                continue
            result = import_any(archive, settings, path, options)
            _move(result, path, source, move_done, move_failed)
            report(result)
    matched = match_waiting_copies(archive, operator)
    if matched:
        report(FileResult("(pasted copies)", "imported", notes=[
            f"{matched} pasted messages matched to messages archived since"]))
    return results


def walk_sources(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """The files to import under the given paths (for ``import`` and ``run`` alike), folders
    walked recursively in a stable (sorted) order, hidden files and folders left out.

    A Maildir (a folder holding ``cur/``, ``new/`` and ``tmp/``) is read as a mailbox, not as
    a folder: its messages are the files in ``cur/`` and ``new/`` (and in its Maildir++
    subfolders such as ``.Sent/``, hidden but Maildirs themselves); ``tmp/`` holds deliveries
    still being written and is never read, and the Maildir's other files (a mail server's
    index and uid lists) are no messages. A file named directly is given as it is.
    """
    for path in map(Path, paths):
        if not path.is_dir():
            yield path
            continue
        for root, dirs, files in os.walk(path):
            here = Path(root)
            if is_maildir(here):
                dirs[:] = sorted(d for d in dirs if d in ("cur", "new") or (
                    d.startswith(".") and is_maildir(here / d)))
                continue
            part = here.name if is_maildir(here.parent) else None
            if part == "tmp":
                dirs[:] = []
                continue
            dirs[:] = [] if part else sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield here / name


def import_any(archive: Archive, settings: Settings, path: Path,
               options: ImportOptions) -> FileResult:
    """One file of any kind the channel allows: a chat export, or (official) a mail file.

    A message in a Maildir's ``cur/`` or ``new/`` is mail whatever its content looks like;
    one in ``tmp/`` (still being delivered) is skipped."""
    if maildir_part(path) == "tmp":
        return FileResult(str(path), "skipped", "in a Maildir's tmp/: a delivery still being "
                          "written, read once it is moved to new/")
    if options.channel == "official" and is_mail_file(path):
        return import_mail_file(archive, path, settings, operator=options.operator,
                                date_order=options.date_order,
                                timezone=options.timezone if options.zone_given else None)
    if path.suffix.lower() in EXPORT_SUFFIXES:
        return import_file(archive, path, options)
    return FileResult(str(path), "skipped",
                      "not a chat export or a mail" if options.channel == "official"
                      else "not a .txt or .zip export")


def _move(result: FileResult, path: Path, source: Source, done: Path | None,
          failed: Path | None) -> None:
    target = done if result.status in ("imported", "already") else \
        failed if result.status == "failed" else None
    if target is None:
        return
    destination = target / path.relative_to(source.path)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        destination = destination.with_name(f"{destination.stem}.{stamp}{destination.suffix}")
    try:
        shutil.move(os.fspath(path), os.fspath(destination))
    except FileNotFoundError:
        pass  # another run moved it first
    result.notes.append(f"moved to {destination}")


def match_waiting_copies(archive: Archive, operator: str | None = None) -> int:
    """Match pasted copies whose messages arrived after their mail; one audit entry if any."""
    matched = exists().where(Capture.mail_id == PastedCopy.mail_id,
                             Capture.line == PastedCopy.line)
    with archive.read() as session:
        if session.scalar(select(PastedCopy.id).where(~matched).limit(1)) is None:
            return 0
    with archive.begin() as session:
        entry = begin_entry(session, "match", current_operator(operator), {})
        digest = ImportDigest()
        count = rematch_pasted(session, entry.id, digest)
        if not count:
            session.rollback()
            return 0
        seal(session, entry, digest, {"pasted_matched": count})
    return count
