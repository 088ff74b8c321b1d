"""``retainer verify``: prove that nothing archived was altered or removed (DESIGN §7).

Recomputes the audit chain, each import's digest over the rows it added, each message's
identity and content digest, and each vault file's SHA-256. Every discrepancy is reported with
what and where; message text is never shown.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from retainer.archive import Archive, anchors
from retainer.archive.audit import GENESIS, chain_problems, head
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
from retainer.people import account_key
from retainer.retention.filing import filing_rows

BATCH = 5000


@dataclasses.dataclass
class Report:
    """What ``verify`` looked at, and every problem it found."""

    entries: int = 0
    messages: int = 0
    files: int = 0
    head: str = GENESIS
    """The digest of the newest audit entry (record it elsewhere: see docs/archive.md)."""
    problems: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    """Worth knowing, but no sign of tampering (an entry a crash left unanchored, a vault
    file kept by an import that then failed to commit)."""

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(archive: Archive) -> Report:
    report = Report()
    anchored = anchors.load(archive.vault.root)  # before the snapshot: see anchors.load
    with archive.read() as session:
        report.problems.extend(chain_problems(session))
        report.entries = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        report.head = head(session)
        digests = _Digests(session)
        report.problems.extend(_messages(session, report, digests))
        report.problems.extend(_imports(session, digests))
        report.problems.extend(_holds(session))
        report.problems.extend(_dangling(session))
        known = set()
        if not archive.vault.root.is_dir() and session.scalar(select(StoredFile.id).limit(1)):
            report.problems.append(f"the vault {archive.vault.root} does not exist: is "
                                   "[archive] vault set to where this archive keeps its files?")
        for sha, name in session.execute(select(StoredFile.sha256, StoredFile.name)
                                         .order_by(StoredFile.id)):
            report.files += 1
            known.add(sha)
            wrong = archive.vault.check(sha)
            if wrong:
                report.problems.append(f"vault file {sha} ({name}): {wrong}")
        _anchored(session, archive.vault.root, anchored, digests.anchoring, report)
    for sha in archive.vault.hashes():
        if sha not in known:
            report.notes.append(
                f"vault file {sha} is not in the archive: kept by an import that failed to "
                "commit, or its rows were removed (compare with the audit-chain anchors)")
    return report


def _anchored(session: Session, vault_root, data: bytes | None, anchoring: bool,
              report: Report) -> None:
    """Every anchored entry is still in the archive with the same digest (``anchors``).

    ``anchoring``: some entry was written by a retainer that anchors (its import digest is of
    version 2), so finding no anchors at all means the anchor file was removed or emptied.
    """
    stored = dict(session.execute(select(AuditEntry.id, AuditEntry.digest)).all())
    first = stored.get(min(stored)) if stored else None
    found = anchors.read(vault_root, anchors.archive_id(first) if first else None, data)
    path = anchors.anchor_file(vault_root)
    report.problems.extend(found.bad)
    if found.torn:
        report.notes.append(found.torn)
    if found.others:  # a vault is one archive's: see retainer.archive.anchors
        report.problems.append(
            f"{path} holds {found.others} anchors of another archive: either this archive's "
            "audit chain was rewritten from its first entry (its anchors then no longer name "
            "it), or another archive uses this vault, which no archive may share")
    for number, entry_id, digest in found.lines:
        where = f"{path}:{number}"
        if entry_id not in stored:
            report.problems.append(f"audit entry {entry_id} (anchored at {where}) is missing "
                                   "from the archive: entries and their rows were removed")
        elif stored[entry_id] != digest:
            report.problems.append(f"audit entry {entry_id} no longer has the digest anchored "
                                   f"at {where}: the chain was rewritten")
    newest = max((entry_id for _, entry_id, _ in found.lines), default=0)
    unanchored = sorted(e for e in stored if e > newest)
    if unanchored and not found.lines and anchoring:
        report.problems.append(f"no audit-chain anchors of this archive in {path}, though it "
                               "wrote them: the file was removed or emptied, and the removal "
                               "of the newest entries cannot be ruled out")
    elif unanchored and not found.lines:
        report.notes.append(f"no audit-chain anchors in {path}: removal of the newest entries "
                            "cannot be ruled out (anchoring starts with this retainer's next "
                            "write)")
    elif unanchored:
        report.notes.append(f"{len(unanchored)} audit entries after entry {newest} are not "
                            "anchored yet (a write that ended before anchoring; the next "
                            "write's anchor covers them)")


def _dangling(session: Session) -> Iterator[str]:
    """Captures and events pointing at messages that are gone: names the removed rows."""
    gone = ~select(Message.id).where(Message.id == Capture.message_id).exists()
    for message_id, export_id, mail_id, line in session.execute(
            select(Capture.message_id, Capture.export_id, Capture.mail_id, Capture.line)
            .where(gone).order_by(Capture.id)):
        source = f"export {export_id}" if export_id is not None else f"mail {mail_id}"
        yield f"message {message_id} is gone, though {source} line {line} captured it"
    gone = ~select(Message.id).where(Message.id == MessageEvent.message_id).exists()
    for message_id, kind in session.execute(
            select(MessageEvent.message_id, MessageEvent.kind).where(gone)
            .order_by(MessageEvent.id)):
        yield f"message {message_id} is gone, though a {kind} event names it"


class _Digests(dict):
    """audit id → the digest being recomputed for it, of the version it was sealed with."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self._versions = {
            entry_id: (details or {}).get("digest_version", 1)
            for entry_id, details in session.execute(
                select(AuditEntry.id, AuditEntry.details)
                .where(AuditEntry.added_digest.is_not(None)))}
        self.anchoring = any(v >= 2 for v in self._versions.values())
        """Whether a retainer that anchors its entries wrote to this archive."""

    def __missing__(self, audit_id: int) -> ImportDigest:
        digest = self[audit_id] = ImportDigest(self._versions.get(audit_id, 1))
        return digest


def _messages(session: Session, report: Report, digests: _Digests) -> Iterator[str]:
    """Each message against its own identity and content digest, in one pass that also feeds
    the digest of the import that added it."""
    titles = dict(session.execute(select(Chat.id, Chat.title)).all())
    query = select(Message.id, Message.chat_id, Message.identity, Message.ordinal,
                   Message.sent_at, Message.sent_at_local, Message.stamp, Message.timezone,
                   Message.time_flag, Message.author, Message.kind, Message.edited,
                   Message.text, Message.attachment, Message.content_digest,
                   Message.audit_id, Message.export_id, Message.author_key
                   ).order_by(Message.id)
    keys: dict[str | None, str | None] = {None: None}  # author → its account key
    for row in session.execute(query.execution_options(yield_per=BATCH)):
        (message_id, chat_id, ident, ordinal, sent_at, local, stamp, zone, flag, author, kind,
         edited, text, attachment, stored, audit_id, export_id, author_key) = row
        report.messages += 1
        digests[audit_id].add_message(ident, stored, message_id, chat_id, export_id)
        minute = sent_at.replace(tzinfo=None).isoformat(timespec="minutes")
        where = f"message {message_id} (chat {titles.get(chat_id, chat_id)!r}, sent {local})"
        if identity(minute, ordinal, key_text(kind, text)) != ident:
            yield f"{where}: its text or time no longer match its identity"
        elif message_digest(ident, utc_key(sent_at), local, stamp, zone, flag, author, kind,
                            edited, text, attachment) != stored:
            yield f"{where}: its stored fields were changed"
        else:
            # Not in the digest, but derived from the author, and it decides who the author
            # is (and so who owes a § 2911 copy): a changed key would hide a custodian.
            if author not in keys:
                keys[author] = account_key(author)
            if author_key != keys[author]:
                yield f"{where}: its author key no longer follows from its author"


def _imports(session: Session, digests: _Digests) -> Iterator[str]:
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
        digest = digests[entry_id]
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
