"""Import results for terminals and cron logs: one line per file (never message text), the
totals, and what makes a command exit 1."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

from retainer.ingest.pipeline import FileResult

MATCHED = "matched"
"""Status of the result that reports pasted copies matched after their mail's import: it is
no file, and is left out of the file totals."""


@dataclasses.dataclass
class FileOutcome(FileResult):
    """A ``FileResult`` with what went wrong without undoing the file — a mail of it whose
    pasted messages or attachment were refused, a move out of the drop folder that failed —
    and where the file was moved. Any problem makes the command exit 1."""

    problems: list[str] = dataclasses.field(default_factory=list)
    """One line each; they name the file (or the mail: ``official.mbox#2``)."""
    moved_to: str | None = None


def outcome(result: FileResult) -> FileOutcome:
    """``result`` as a ``FileOutcome`` (itself when it is one)."""
    if isinstance(result, FileOutcome):
        return result
    return FileOutcome(**{f.name: getattr(result, f.name)
                          for f in dataclasses.fields(FileResult)})


def has_failures(results: Iterable[FileResult]) -> bool:
    """Whether any file failed, or had a problem that did not stop it (exit status 1)."""
    return any(r.status == "failed" or getattr(r, "problems", None) for r in results)


def describe(result: FileResult) -> str:
    problems = "".join(f"; FAILED: {p}" for p in getattr(result, "problems", ()))
    moved = getattr(result, "moved_to", None)
    after = problems + (f"; moved to {moved}" if moved else "")
    if result.status == "imported":
        extra = "".join(
            f", {n} {what}" for n, what in ((result.missing, "missing from this later export"),
                                            (result.deleted, "deleted after capture"),
                                            (result.edited, "edited after capture")) if n)
        what = f"chat {result.chat!r}, " if result.chat else ""
        notes = "".join(f"; {note}" for note in result.notes)
        return (f"imported  {result.path}: {what}{result.messages} messages, "
                f"{result.new} new, {result.seen_again} seen again{extra}{notes}{after}")
    if result.status == "already":
        notes = "".join(f"; {note}" for note in result.notes)
        return f"already   {result.path}: archived before (same SHA-256){notes}{after}"
    if result.status == "skipped":
        return f"skipped   {result.path}: {result.reason}{after}"
    if result.status == MATCHED:
        return f"matched   {'; '.join(result.notes)}{after}"
    reason = result.reason or "failed"
    if not reason.startswith(result.path):
        reason = f"{result.path}: {reason}"
    return f"FAILED    {reason}{after}"


def totals(results: list[FileResult]) -> dict[str, int]:
    files = [r for r in results if r.status != MATCHED]
    statuses = Counter(r.status for r in files)
    return {"files": len(files), "imported": statuses["imported"],
            "already": statuses["already"], "skipped": statuses["skipped"],
            "failed": statuses["failed"], "new": sum(r.new for r in files),
            "seen_again": sum(r.seen_again for r in files),
            "with_problems": sum(bool(getattr(r, "problems", None)) for r in files),
            "pasted_matched": sum(r.messages for r in results if r.status == MATCHED)}
