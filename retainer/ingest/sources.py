"""The nightly run: import every ``[[sources]]`` drop folder, device and official.

Made for cron: no prompts, a result per file, idempotent (archived files are skipped by their
SHA-256), safe to run twice at once (each file is its own locked transaction; a file another
run moved away meanwhile is skipped). Processed files can be moved out of the drop folders,
always after their transaction has committed (``retainer.ingest.moves``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlalchemy import select

from retainer.archive import Archive
from retainer.archive.audit import begin_entry, current_operator, seal
from retainer.archive.models import AuditEntry, PastedCopy
from retainer.config import Settings
from retainer.formats.mailboxes import is_mail_file, is_maildir, maildir_part
from retainer.ingest.digests import ImportDigest
from retainer.ingest.evidence import digest_evidence
from retainer.ingest.export import ImportOptions, Progress
from retainer.ingest.matching import Matched, rematch_pasted, unmatched
from retainer.ingest.moves import move_file, source_labels
from retainer.ingest.official import import_mail_file
from retainer.ingest.options import import_options
from retainer.ingest.pipeline import EXPORT_SUFFIXES, FileResult, import_file
from retainer.ingest.report import MATCHED, FileOutcome, outcome

OnResult = Callable[[FileResult], None]
LATE_MATCHES = "(pasted copies)"
"""Path of the result that reports pasted copies matched after their mail (no file)."""


def run_sources(archive: Archive, settings: Settings, *, operator: str | None = None,
                move_done: Path | None = None, move_failed: Path | None = None,
                on_result: OnResult | None = None) -> list[FileOutcome]:
    """Import every source folder in configuration order; returns a result per file, then
    (when any) one of status ``matched`` for pasted copies matched to messages archived
    since their mail — no file, left out of the totals.

    A source folder that does not exist gives a failed result (the configuration or the
    mount is wrong). ``move_done`` receives imported and already-archived files,
    ``move_failed`` failed ones and those with a refused part (see
    ``retainer.ingest.moves``), each after its transaction;
    a move that fails is a problem on that file's result (exit 1), and the run goes on.
    """
    results: list[FileOutcome] = []

    def report(result: FileOutcome) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    for source, label in zip(settings.sources, source_labels(settings.sources), strict=True):
        if not source.path.is_dir():
            report(outcome(FileResult(str(source.path), "failed",
                                      f"{source.path}: source folder does not exist")))
            continue
        options = import_options(settings, source=source, operator=operator)
        for path in walk_sources([source.path]):
            if not path.exists():
                report(outcome(FileResult(str(path), "skipped",
                                          "gone (moved by another run?)")))
                continue
            result = outcome(import_any(archive, settings, path, options))
            # Strictly after import_any returned: its transaction has committed (or failed).
            # A file with a refused part (a mail whose dates fit both DMY and MDY) is filed
            # with the failures: it must be imported again with a date order.
            refused = result.status == "failed" or bool(result.problems)
            target = move_failed if refused else \
                move_done if result.status in ("imported", "already") else None
            if target is not None:
                _move(result, path, target / label / path.relative_to(source.path))
            report(result)
    matched = match_waiting_copies(archive, operator, settings)
    if matched.captures or matched.ambiguous:
        notes = [f"{matched.captures} pasted messages matched to messages archived since "
                 "their mail"] + [a.describe() for a in matched.ambiguous]
        report(FileOutcome(LATE_MATCHES, MATCHED, messages=matched.captures, notes=notes))
    return results


def _move(result: FileOutcome, path: Path, destination: Path) -> None:
    try:
        moved = move_file(path, destination)
    except OSError as exc:
        where = exc.filename or destination
        result.problems.append(f"not moved to {destination}: {where}: "
                               f"{exc.strerror or type(exc).__name__}")
        return
    if moved is None:
        result.notes.append("not moved: another run moved it first")
    else:
        result.moved_to = str(moved)


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
               options: ImportOptions, progress: Progress | None = None) -> FileResult:
    """One file of any kind the channel allows: a chat export, or (official) a mail file.
    ``progress`` is told of the messages of a chat export as they are written.

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
        return import_file(archive, path, options, progress)
    return FileResult(str(path), "skipped",
                      "not a chat export or a mail" if options.channel == "official"
                      else "not a .txt or .zip export")


def match_waiting_copies(archive: Archive, operator: str | None = None,
                         settings: Settings | None = None) -> Matched:
    """Match pasted copies whose messages arrived after their mail, in one audit entry.

    The entry is written when copies were matched, or when copies are ambiguous that the
    last such entry did not list (an ambiguity is recorded once, not every night).
    ``settings`` names the custodians (None: everyone with an official account counts).
    """
    with archive.read() as session:
        if session.scalar(select(PastedCopy.id).where(unmatched()).limit(1)) is None:
            return Matched()
    custodians = None if settings is None else [p.name for p in settings.people
                                                if p.custodian]
    with archive.begin() as session:
        entry = begin_entry(session, "match", current_operator(operator), {})
        digest = ImportDigest()
        found = rematch_pasted(session, entry.id, digest, custodians)
        ambiguous = sorted([a.mail_id, a.line] for a in found.ambiguous)
        last = session.scalar(select(AuditEntry.details).where(
            AuditEntry.action == "match", AuditEntry.id != entry.id)
            .order_by(AuditEntry.id.desc()).limit(1)) or {}
        if not found.captures and ambiguous == sorted(last.get("pasted_ambiguous", [])):
            session.rollback()
            return Matched(ambiguous=found.ambiguous)
        digest_evidence(session, entry.id, digest)
        seal(session, entry, digest, {"pasted_matched": found.captures,
                                      "pasted_ambiguous": ambiguous})
    return found
