"""One-line descriptions of import results, for terminals and cron logs (no message text)."""

from __future__ import annotations

from collections import Counter

from retainer.ingest.pipeline import FileResult


def describe(result: FileResult) -> str:
    if result.status == "imported":
        extra = "".join(
            f", {n} {what}" for n, what in ((result.missing, "missing from this later export"),
                                            (result.deleted, "deleted after capture"),
                                            (result.edited, "edited after capture")) if n)
        what = f"chat {result.chat!r}, " if result.chat else ""
        notes = "".join(f"; {note}" for note in result.notes)
        return (f"imported  {result.path}: {what}{result.messages} messages, "
                f"{result.new} new, {result.seen_again} seen again{extra}{notes}")
    if result.status == "already":
        return f"already   {result.path}: archived before (same SHA-256)"
    if result.status == "skipped":
        return f"skipped   {result.path}: {result.reason}"
    reason = result.reason or "failed"
    if not reason.startswith(result.path):
        reason = f"{result.path}: {reason}"
    return f"FAILED    {reason}"


def totals(results: list[FileResult]) -> dict[str, int]:
    statuses = Counter(r.status for r in results)
    return {"files": len(results), "imported": statuses["imported"],
            "already": statuses["already"], "skipped": statuses["skipped"],
            "failed": statuses["failed"], "new": sum(r.new for r in results),
            "seen_again": sum(r.seen_again for r in results)}
