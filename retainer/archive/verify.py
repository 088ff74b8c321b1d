"""``retainer verify``: prove that nothing archived was altered or removed (DESIGN §7).

Recomputes the audit chain, each import's digest over the rows it added, each message's
identity and content digest, and each vault file's SHA-256. Every discrepancy is reported with
what and where; message text is never shown.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from retainer.archive import Archive
from retainer.archive.audit import chain_problems
from retainer.archive.models import (
    AuditEntry,
    Capture,
    Chat,
    Hold,
    Message,
    MessageEvent,
    StoredFile,
)
from retainer.ingest.digests import ImportDigest, message_digest, utc_key
from retainer.ingest.evidence import evidence_rows
from retainer.ingest.identity import identity, key_text
from retainer.retention.filing import filing_rows

BATCH = 5000


@dataclasses.dataclass
class Report:
    """What ``verify`` looked at, and every problem it found."""

    entries: int = 0
    messages: int = 0
    files: int = 0
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(archive: Archive) -> Report:
    report = Report()
    with archive.read() as session:
        report.problems.extend(chain_problems(session))
        report.entries = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        digests: dict[int, ImportDigest] = defaultdict(ImportDigest)
        report.problems.extend(_messages(session, report, digests))
        report.problems.extend(_imports(session, digests))
        report.problems.extend(_holds(session))
        for sha, name in session.execute(select(StoredFile.sha256, StoredFile.name)
                                         .order_by(StoredFile.id)):
            report.files += 1
            wrong = archive.vault.check(sha)
            if wrong:
                report.problems.append(f"vault file {sha} ({name}): {wrong}")
    return report


def _messages(session: Session, report: Report,
              digests: dict[int, ImportDigest]) -> Iterator[str]:
    """Each message against its own identity and content digest, in one pass that also feeds
    the digest of the import that added it."""
    titles = dict(session.execute(select(Chat.id, Chat.title)).all())
    query = select(Message.id, Message.chat_id, Message.identity, Message.ordinal,
                   Message.sent_at, Message.sent_at_local, Message.stamp, Message.timezone,
                   Message.time_flag, Message.author, Message.kind, Message.edited,
                   Message.text, Message.attachment, Message.content_digest,
                   Message.audit_id).order_by(Message.id)
    for row in session.execute(query.execution_options(yield_per=BATCH)):
        (message_id, chat_id, ident, ordinal, sent_at, local, stamp, zone, flag, author, kind,
         edited, text, attachment, stored, audit_id) = row
        report.messages += 1
        digests[audit_id].add_message(ident, stored)
        minute = sent_at.replace(tzinfo=None).isoformat(timespec="minutes")
        where = f"message {message_id} (chat {titles.get(chat_id, chat_id)!r}, sent {local})"
        if identity(minute, ordinal, key_text(kind, text)) != ident:
            yield f"{where}: its text or time no longer match its identity"
        elif message_digest(ident, utc_key(sent_at), local, stamp, zone, flag, author, kind,
                            edited, text, attachment) != stored:
            yield f"{where}: its stored fields were changed"


def _imports(session: Session, digests: dict[int, ImportDigest]) -> Iterator[str]:
    """Each import entry's digest over the messages, captures and events it added."""
    captures = select(Capture.message_id, Capture.export_id, Capture.mail_id, Capture.line,
                      Capture.channel, Capture.captured_at, Capture.author, Capture.text,
                      Capture.complete, Capture.audit_id).order_by(Capture.id)
    for (message_id, export_id, mail_id, line, channel, captured_at, author, text, complete,
         audit_id) in session.execute(captures.execution_options(yield_per=BATCH)):
        digests[audit_id].add_capture(message_id, export_id, mail_id, line, channel,
                                      utc_key(captured_at), author, text, complete)
    events = select(MessageEvent.message_id, MessageEvent.kind, MessageEvent.export_id,
                    MessageEvent.related_message_id, MessageEvent.audit_id
                    ).order_by(MessageEvent.id)
    for message_id, kind, export_id, related, audit_id in session.execute(events):
        digests[audit_id].add_event(message_id, kind, export_id, related)
    for audit_id, table, fields in evidence_rows(session):
        digests[audit_id].add_evidence(table, *fields)
    for audit_id, *fields in filing_rows(session):
        digests[audit_id].add_evidence("filing", *fields)
    entries = session.execute(select(AuditEntry.id, AuditEntry.added_count,
                                     AuditEntry.added_digest, AuditEntry.details)
                              .where(AuditEntry.added_digest.is_not(None))
                              .order_by(AuditEntry.id)).all()
    for entry_id, count, expected, details in entries:
        digest = digests.get(entry_id, ImportDigest())
        what = (details or {}).get("file", f"entry {entry_id}")
        if digest.count != count:
            yield (f"import {entry_id} ({what}): added {count} messages, "
                   f"{digest.count} are left (rows were removed or added)")
        elif digest.hexdigest() != expected:
            yield (f"import {entry_id} ({what}): the messages, captures, events, exports or "
                   "mails it added no longer match what it recorded")


def _holds(session: Session) -> Iterator[str]:
    """Each hold against the audit entries that placed and released it: a hold quietly
    released, unreleased or rewritten behind retainer's back would change what may be
    disposed of."""
    releases = {}
    for entry_id, details in session.execute(select(AuditEntry.id, AuditEntry.details)
                                             .where(AuditEntry.action == "hold-release")):
        releases[(details or {}).get("hold")] = (entry_id, details)
    for hold in session.scalars(select(Hold).order_by(Hold.id)):
        placed = session.get(AuditEntry, hold.audit_id)
        details = placed.details if placed is not None else {}
        if (placed is None or placed.action != "hold-place" or details.get("name") != hold.name
                or details.get("reason") != hold.reason
                or details.get("criteria") != hold.criteria):
            yield f"hold {hold.id} ({hold.name}): does not match the audit entry that placed it"
        released = releases.get(hold.id)
        if (hold.released_at is None) != (released is None) or (
                released is not None and released[1].get("reason") != hold.release_reason):
            yield f"hold {hold.id} ({hold.name}): its release does not match the audit log"
