"""Official-mailbox captures: mails, the exports attached to them and the messages pasted
into their bodies (DESIGN §2, § 2911(a)(2)).

A mail file (``.eml``, mbox, or a Maildir message) is one transaction. Every mail is kept in
the vault and recorded with its Message-ID, Date, Received time and addresses, whether or not
it reached an official account: that is decided when reports read the archive, against the
configuration of the day. Attached exports are imported as exports of channel ``official``
captured at the mail's time; pasted messages are kept and matched to the archived messages
they copy (``matching.py``).

Each mail of an mbox is evidence on its own: a part of one mail that cannot be read without a
guess (its dates fit both day-first and month-first order, DESIGN §4) is refused with a
defect on that mail and a problem on the file's result, and the rest of the file lands.
Importing the file again with a date order reads the refused parts, and only those. An
attached export that cannot be read at all (an invalid date on its 41st line) is refused the
same way, inside a SAVEPOINT, so that none of its rows remain; it is never retried.

The vault gets the file, its mails and their attachments last, just before the commit, after
everything that could reject the file: a failed import leaves nothing behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.orm import Session

from retainer.archive import Archive
from retainer.archive.audit import begin_entry, current_operator, seal
from retainer.archive.models import (
    Export,
    MailRecipient,
    PastedCopy,
    StoredFile,
)
from retainer.archive.models import (
    Mail as MailRow,
)
from retainer.archive.vault import sha256_file
from retainer.config import Person, Settings
from retainer.errors import AmbiguousDateOrder, InputError, RetainerError
from retainer.formats import open_container_bytes, read_export
from retainer.formats.container import title_from_name
from retainer.formats.mail import Attachment, Mail, pasted_messages
from retainer.formats.mailboxes import read_mail_file
from retainer.ingest.digests import ImportDigest
from retainer.ingest.evidence import digest_evidence
from retainer.ingest.export import ImportOptions, ingest_export
from retainer.ingest.matching import Ambiguous, rematch_pasted
from retainer.ingest.pipeline import FileResult, failure
from retainer.ingest.report import FileOutcome, outcome
from retainer.people import Directory, account_key
from retainer.timezones import LocalClock

DATE_ORDER_PASTED = "date order ambiguous: pasted messages not read"
DATE_ORDER_ATTACHMENT = "date order ambiguous: attachment not imported"
"""How a mail's defects start when a part of it was refused for an ambiguous date order
(DESIGN §4: never guessed). The mail itself is kept; the part is read when the file is
imported again with a date order (see ``waiting_parts``)."""
_REFUSED_ATTACHMENT = re.compile(
    re.escape(DATE_ORDER_ATTACHMENT) + r': ".*" \((?:line \d+, )?SHA-256 ([0-9a-f]{64})\)')


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclasses.dataclass
class MailCounts:
    mails: int = 0
    already: int = 0
    retried: int = 0
    exports: int = 0
    pasted: int = 0
    matched: int = 0
    unofficial: list[str] = dataclasses.field(default_factory=list)
    """Sources of mails that reached no official account of any custodian."""
    notes: list[str] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)
    """Parts refused (the rest of the file landed): the command exits 1."""
    unreadable: int = 0
    """How many of ``problems`` are attachments that cannot be read at all (no date order
    helps)."""
    ambiguous: list[Ambiguous] = dataclasses.field(default_factory=list)


def import_mail_file(archive: Archive, path: str | os.PathLike[str], settings: Settings, *,
                     operator: str | None = None, date_order: str | None = None,
                     timezone: str | None = None) -> FileOutcome:
    """Import one mail file in one transaction.

    Each mail of an mbox is evidence on its own: one whose pasted messages (or an attached
    export) have dates that fit both day-first and month-first order is kept with a defect
    naming it and the line, that part is not read, and the result reports it as a problem
    (exit 1) — the other mails land. Importing the file again with ``date_order`` reads the
    refused parts; without one, the file is ``already`` archived but still reports them.

    ``timezone`` overrides the zone pasted and attached messages are read in (default: the
    zone of the custodian whose official account received the mail, else the archive's).
    """
    name = os.fspath(path)
    try:
        sha = sha256_file(name)
        mails = read_mail_file(name)
    except RetainerError as exc:
        return outcome(FileResult(name, "failed", str(exc)))
    except OSError as exc:
        return outcome(FileResult(name, "failed", f"{name}: cannot be read ({exc.strerror})"))
    reading = _Reading(archive, settings, date_order, timezone)
    counts = reading.counts
    try:
        with archive.begin() as session:
            container = session.scalar(select(StoredFile).where(StoredFile.sha256 == sha))
            retry = container is not None
            if retry:
                waiting = waiting_mails(session, container.id)
                if not waiting or date_order is None:  # nothing to read, or not yet readable
                    return FileOutcome(name, "already", sha256=sha, problems=[
                        _still_waiting(row) for row in waiting])
            entry = begin_entry(session, "import", current_operator(operator),
                                {"file": name, "sha256": sha, "channel": "official"})
            reading.start(session, entry.id)
            if container is None:
                container = StoredFile(sha256=sha, size=os.path.getsize(name),
                                       name=os.path.basename(name), mime="message/rfc822",
                                       stored_at=dt.datetime.now(dt.UTC), audit_id=entry.id)
                session.add(container)
                session.flush()
            for mail in mails:
                reading.mail(mail, container, sha)
            custodians = [p.name for p in settings.people if p.custodian]
            found = rematch_pasted(session, entry.id, reading.digest, custodians)
            counts.matched += found.captures
            # Those of this file's mails; older mails' are the nightly match's to record.
            counts.ambiguous = [a for a in found.ambiguous if a.mail_id in reading.rows]
            reading.note_ambiguous()
            if retry and not (reading.changed or counts.matched
                              or len(counts.problems) > counts.unreadable):
                # Read again, and nothing new (an attachment refused for its date order may
                # prove unreadable: said again, not recorded again): nothing to record.
                session.rollback()
                return FileOutcome(name, "already", sha256=sha,
                                   problems=list(counts.problems))
            digest_evidence(session, entry.id, reading.digest)
            seal(session, entry, reading.digest, {
                "file": name, "sha256": sha, "channel": "official", "mails": counts.mails,
                "mails_already_archived": counts.already, "mails_retried": counts.retried,
                "exports": counts.exports, "pasted": counts.pasted,
                "pasted_matched": counts.matched,
                "pasted_ambiguous": [[a.mail_id, a.line] for a in counts.ambiguous],
                "mails_reaching_no_official_account": len(counts.unofficial),
                "parts_refused": len(counts.problems),
                "messages": reading.messages, "new": reading.new})
            # Kept last before the commit, after everything that could reject the file (as
            # ``pipeline.import_file`` does): a failed import leaves no file in the vault, and
            # a committed one has its original and every mail and attachment it recorded.
            if not retry:
                archive.vault.store_file(name, sha)
            for data_sha, data in reading.to_keep.items():
                archive.vault.store_bytes(data, data_sha)
    except RetainerError as exc:
        return outcome(FileResult(name, "failed", str(exc), sha256=sha))
    except Exception as exc:  # noqa: BLE001 - database errors quote rows: never show them
        return outcome(failure(name, sha, exc))
    notes = [f"{counts.mails} mails ({counts.already} archived before"
             + (f", {counts.retried} read again" if counts.retried else "")
             + f"), {counts.exports} attached exports, {counts.pasted} pasted messages "
             f"({counts.matched} matched)"]
    notes += [f"reaches no official account: {source}" for source in counts.unofficial]
    notes += counts.notes
    notes += [a.describe() for a in counts.ambiguous]
    return FileOutcome(name, "imported", sha256=sha, chat=None, messages=reading.messages,
                       new=reading.new, seen_again=reading.messages - reading.new,
                       notes=notes, problems=counts.problems)


def waiting_mails(session: Session, file_id: int) -> list[MailRow]:
    """Mails of a file (its own, or found in it) with a part refused for an ambiguous date
    order that no later import has read yet."""
    rows = session.scalars(select(MailRow).where(
        or_(MailRow.file_id == file_id, MailRow.container_file_id == file_id),
        cast(MailRow.defects, Text).like("%date order ambiguous%"))).all()
    return [row for row in rows if any(waiting_parts(session, row))]


def waiting_parts(session: Session, row: MailRow) -> tuple[bool, set[str]]:
    """(pasted messages still unread, SHA-256s of attachments still not imported) of a mail
    whose parts were refused for their date order. A refusal stands until a later import
    added what it refused: pasted copies of the mail, or an export from that attachment."""
    pasted = any(d.startswith(DATE_ORDER_PASTED) for d in row.defects) and session.scalar(
        select(PastedCopy.id).where(PastedCopy.mail_id == row.id).limit(1)) is None
    refused = {m[1] for m in map(_REFUSED_ATTACHMENT.fullmatch, row.defects) if m}
    if refused:
        refused -= set(session.scalars(select(StoredFile.sha256).join(
            Export, Export.file_id == StoredFile.id).where(Export.mail_id == row.id)))
    return pasted, refused


def _still_waiting(row: MailRow) -> str:
    return (f"{row.source}: some of this mail is still unread (its dates fit both day-first "
            "and month-first order); import the file again with --date-order, or set the "
            "source's date_order")


class _Reading:
    """One mail file's import: what each mail adds, and the counts."""

    def __init__(self, archive: Archive, settings: Settings, date_order: str | None,
                 timezone: str | None) -> None:
        self.archive, self.settings = archive, settings
        self.date_order, self.timezone = date_order, timezone
        self.directory = Directory(settings.people)
        self.counts = MailCounts()
        self.digest = ImportDigest()
        self.messages = self.new = self.changed = 0
        self.rows: dict[int, MailRow] = {}
        """Mails this import recorded, by id (their defects may still be added to)."""
        self.to_keep: dict[str, bytes] = {}
        """The mails and attachments this import recorded (a ``StoredFile`` each), by SHA-256:
        written to the vault only once nothing can reject the file."""

    def start(self, session: Session, audit_id: int) -> None:
        self.session, self.audit_id = session, audit_id

    def mail(self, mail: Mail, container: StoredFile, container_sha: str) -> None:
        """Record one mail of the file and read its parts; a mail archived before only has
        its refused parts read again (when a date order is given)."""
        session = self.session
        raw_sha = hashlib.sha256(mail.raw).hexdigest()
        stored = container if raw_sha == container_sha else session.scalar(
            select(StoredFile).where(StoredFile.sha256 == raw_sha))
        row = stored and session.scalar(select(MailRow).where(MailRow.file_id == stored.id)
                                        .order_by(MailRow.id).limit(1))
        if row is not None:
            pasted, attachments = waiting_parts(session, row)
            if not (pasted or attachments):
                self.counts.already += 1
                return
            if self.date_order is None:
                self.counts.problems.append(_still_waiting(row))
                self.counts.already += 1
                return
            self.counts.retried += 1
            self.parts(mail, row, pasted=pasted, attachments=attachments)
            return
        if stored is None:
            self.to_keep[raw_sha] = mail.raw
            stored = StoredFile(sha256=raw_sha, size=len(mail.raw), name=mail.source,
                                mime="message/rfc822", stored_at=dt.datetime.now(dt.UTC),
                                audit_id=self.audit_id)
            session.add(stored)
            session.flush()
        self.counts.mails += 1
        self.changed += 1
        row = self.record(mail, stored, container)
        self.parts(mail, row, pasted=True, attachments=None)

    def record(self, mail: Mail, stored: StoredFile, container: StoredFile) -> MailRow:
        session = self.session
        defects = list(mail.defects)
        captured = mail.capture_time()
        if captured is None:
            # No date at all: only the import proves the mail had arrived by now; using the
            # import time can make a forward look late, never on time (DESIGN §5).
            captured = dt.datetime.now(dt.UTC)
            defects.append("no Date or Received time: the import time is used as capture time")
        row = MailRow(file_id=stored.id,
                      container_file_id=container.id if stored is not container else None,
                      # The Date as the mail states it, believed or not (the defects say why
                      # not, citing the header); the capture time is decided above.
                      source=mail.source, message_id=mail.message_id, date=mail.date_stated,
                      received_first=min(mail.received) if mail.received else None,
                      captured_at=captured, from_addresses=list(mail.from_),
                      subject=mail.subject, defects=defects, audit_id=self.audit_id)
        session.add(row)
        session.flush()
        self.rows[row.id] = row
        for field, addresses in (("to", mail.to), ("cc", mail.cc),
                                 ("delivered-to", mail.delivered_to)):
            session.add_all(MailRecipient(mail_id=row.id, field=field, address=account_key(a))
                            for a in dict.fromkeys(addresses))
        return row

    def defect(self, row: MailRow, defect: str) -> None:
        """Add a defect to a mail recorded by this import (never to an archived one)."""
        if row.id in self.rows:
            row.defects = [*row.defects, defect]

    def parts(self, mail: Mail, row: MailRow, *, pasted: bool,
              attachments: set[str] | None) -> None:
        """Import the mail's attached exports (all, or only those named) and, if ``pasted``,
        keep its pasted messages."""
        directory = self.directory
        owners = [p for p in (directory.owner_of_official(a) for a in mail.recipients())
                  if p is not None and p.custodian]
        if not owners and row.id in self.rows:
            self.counts.unofficial.append(mail.source)
        custodian = owners[0] if owners else None
        zone = self.timezone or (custodian.timezone if custodian else None) \
            or self.settings.timezone
        media_names = frozenset(a.name for a in mail.media())
        for attachment in mail.exports():
            if attachments is None or _sha(attachment.data) in attachments:
                self.export(mail, row, attachment, custodian, zone, media_names)
        if pasted:
            self.pasted(mail, row, zone, media_names)
        self.session.flush()

    def export(self, mail: Mail, row: MailRow, attachment: Attachment,
               custodian: Person | None, zone: str, media_names: frozenset[str]) -> None:
        session, counts = self.session, self.counts
        shown = f"{mail.source}!{attachment.name}"
        try:
            export_container = open_container_bytes(attachment.data, shown)
            parsed = read_export(export_container, date_order=self.date_order)
        except AmbiguousDateOrder as exc:
            # DESIGN §4: never guessed. The other mails (and this mail's other parts) land.
            line = f"line {exc.line}, " if exc.line is not None else ""
            self.defect(row, f"{DATE_ORDER_ATTACHMENT}: "
                             f"{json.dumps(attachment.name, ensure_ascii=False)} "
                             f"({line}SHA-256 {_sha(attachment.data)})")
            counts.problems.append(f"{exc}; the mail is kept, this attachment is not imported")
            return
        except InputError as exc:
            self.unreadable(row, attachment, exc)
            return
        # A chat attached under a name that does not say which chat: the subject may (the app
        # mails exports as "WhatsApp Chat with NAME"); otherwise it cannot be filed.
        title = parsed.chat_title or title_from_name(mail.subject or "")
        if not title:
            counts.notes.append(f"attachment not imported: {shown}: neither its name nor the "
                                "mail's subject names the chat")
            self.defect(row, f"attachment {attachment.name!r} names no chat")
            return
        export_sha = _sha(attachment.data)
        options = ImportOptions(custodian=custodian.name if custodian else None,
                                timezone=zone, channel="official", captured_at=row.captured_at,
                                chat=title, mail_id=row.id, extra_media=media_names,
                                date_order=self.date_order)
        # A bad line (an invalid date) or a damaged zip member shows only while the export
        # streams, after some of it is written: the attachment goes in a SAVEPOINT, so that
        # refusing it takes back its rows (and what they added to the digest) and the rest
        # of the file still lands.
        digest = self.digest.copy()
        try:
            with session.begin_nested():
                export_file = session.scalar(select(StoredFile)
                                             .where(StoredFile.sha256 == export_sha))
                if export_file is None:
                    export_file = StoredFile(sha256=export_sha, size=len(attachment.data),
                                             name=shown, mime=attachment.mime,
                                             stored_at=dt.datetime.now(dt.UTC),
                                             audit_id=self.audit_id)
                    session.add(export_file)
                    session.flush()
                    kept = True
                else:
                    kept = False
                result = ingest_export(session, export_container, parsed, export_file,
                                       options, self.audit_id, digest)
        except InputError as exc:
            self.unreadable(row, attachment, exc)
            return
        self.digest = digest
        if kept:
            self.to_keep[export_sha] = attachment.data
        counts.exports += 1
        self.changed += 1
        self.messages += result.messages
        self.new += result.new

    def unreadable(self, row: MailRow, attachment: Attachment, exc: InputError) -> None:
        """An attached export that cannot be read (not an export after all, a line that is
        no valid message): the mail is kept with a defect, the other mails and parts land,
        and the file's result reports it (exit 1). Importing the file again cannot read it
        either: it is not retried."""
        self.counts.problems.append(f"{exc}; the mail is kept, this attachment is not "
                                    "imported")
        self.counts.unreadable += 1
        self.defect(row, f"attachment {attachment.name!r} not imported: it cannot be read "
                         f"(SHA-256 {_sha(attachment.data)})")

    def pasted(self, mail: Mail, row: MailRow, zone: str,
               media_names: frozenset[str]) -> None:
        """Keep the mail's pasted messages: all of them, or none while their date order is
        ambiguous in any body (a mail's copies are read in one order)."""
        found = []
        for body in mail.bodies():
            try:
                found += pasted_messages(body, date_order=self.date_order, source=mail.source)
            except AmbiguousDateOrder as exc:
                self.defect(row, f"{DATE_ORDER_PASTED} (body line {exc.line}): their dates fit "
                                 "both day-first and month-first order")
                self.counts.problems.append(f"{exc}; the mail is kept, its pasted messages "
                                            "are not read")
                return
        for pasted in found:
            utc, _ = LocalClock(zone).to_utc(pasted.sent_at)
            # DESIGN §2: complete means the whole message, and for media the file itself
            # reached the official account; a deletion notice copies nothing.
            complete = pasted.kind in ("text", "system") or (
                pasted.kind == "media" and pasted.attachment is not None
                and pasted.attachment in media_names)
            self.session.add(PastedCopy(
                mail_id=row.id, line=pasted.line, sent_at=utc.replace(tzinfo=dt.UTC),
                sent_at_local=pasted.sent_at, timezone=zone, author=pasted.author,
                author_key=account_key(pasted.author) if pasted.author else None,
                kind=pasted.kind, text=pasted.text, attachment=pasted.attachment,
                complete=complete, audit_id=self.audit_id))
            self.counts.pasted += 1
            self.changed += 1

    def note_ambiguous(self) -> None:
        for found in self.counts.ambiguous:
            row = self.rows.get(found.mail_id)
            if row is not None:
                self.defect(row, f"pasted line {found.line} matches messages in "
                                 f"{found.chats} chats: proves nothing")
        self.session.flush()
