"""Official-mailbox captures: mails, the exports attached to them and the messages pasted
into their bodies (DESIGN §2, § 2911(a)(2)).

A mail file (``.eml``, mbox, or a Maildir message) is one transaction. Every mail is kept in
the vault and recorded with its Message-ID, Date, Received time and addresses, whether or not
it reached an official account: that is decided when reports read the archive, against the
configuration of the day. Attached exports are imported as exports of channel ``official``
captured at the mail's time; pasted messages are kept and matched to the archived messages
they copy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from retainer.archive import Archive
from retainer.archive.audit import begin_entry, current_operator, seal
from retainer.archive.models import (
    Capture,
    MailRecipient,
    Message,
    PastedCopy,
    PersonAccount,
    StoredFile,
)
from retainer.archive.models import (
    Mail as MailRow,
)
from retainer.archive.vault import sha256_file
from retainer.config import Settings
from retainer.errors import AmbiguousDateOrder, InputError, RetainerError
from retainer.formats import open_container_bytes, read_export
from retainer.formats.container import title_from_name
from retainer.formats.mail import Mail, pasted_messages
from retainer.formats.mailboxes import read_mail_file
from retainer.ingest.digests import ImportDigest, utc_key
from retainer.ingest.evidence import digest_evidence
from retainer.ingest.export import ImportOptions, ingest_export
from retainer.ingest.pipeline import FileResult, failure
from retainer.people import Directory, account_key
from retainer.timezones import LocalClock


@dataclasses.dataclass
class MailCounts:
    mails: int = 0
    already: int = 0
    exports: int = 0
    pasted: int = 0
    matched: int = 0
    unofficial: list[str] = dataclasses.field(default_factory=list)
    """Sources of mails that reached no official account of any custodian."""
    notes: list[str] = dataclasses.field(default_factory=list)


def import_mail_file(archive: Archive, path: str | os.PathLike[str], settings: Settings, *,
                     operator: str | None = None, date_order: str | None = None,
                     timezone: str | None = None) -> FileResult:
    """Import one mail file in one transaction.

    ``timezone`` overrides the zone pasted and attached messages are read in (default: the
    zone of the custodian whose official account received the mail, else the archive's).
    """
    name = os.fspath(path)
    try:
        sha = sha256_file(name)
        mails = read_mail_file(name)
    except RetainerError as exc:
        return FileResult(name, "failed", str(exc))
    except OSError as exc:
        return FileResult(name, "failed", f"{name}: cannot be read ({exc.strerror})")
    directory = Directory(settings.people)
    counts = MailCounts()
    try:
        with archive.begin() as session:
            if session.scalar(select(StoredFile.id).where(StoredFile.sha256 == sha)):
                return FileResult(name, "already", sha256=sha)
            entry = begin_entry(session, "import", current_operator(operator),
                                {"file": name, "sha256": sha, "channel": "official"})
            container = StoredFile(sha256=sha, size=os.path.getsize(name),
                                   name=os.path.basename(name), mime="message/rfc822",
                                   stored_at=dt.datetime.now(dt.UTC), audit_id=entry.id)
            session.add(container)
            session.flush()
            digest = ImportDigest()
            messages = 0
            new = 0
            for mail in mails:
                got = _import_mail(session, archive, mail, container, sha, directory, settings,
                                   entry.id, digest, counts, date_order, timezone)
                messages += got[0]
                new += got[1]
            counts.matched += rematch_pasted(session, entry.id, digest)
            archive.vault.store_file(name, sha)
            digest_evidence(session, entry.id, digest)
            seal(session, entry, digest, {
                "file": name, "sha256": sha, "channel": "official", "mails": counts.mails,
                "mails_already_archived": counts.already, "exports": counts.exports,
                "pasted": counts.pasted, "pasted_matched": counts.matched,
                "mails_reaching_no_official_account": len(counts.unofficial),
                "messages": messages, "new": new})
    except RetainerError as exc:
        return FileResult(name, "failed", str(exc), sha256=sha)
    except Exception as exc:  # noqa: BLE001 - database errors quote rows: never show them
        return failure(name, sha, exc)
    notes = [f"{counts.mails} mails ({counts.already} archived before), {counts.exports} "
             f"attached exports, {counts.pasted} pasted messages ({counts.matched} matched)"]
    notes += [f"reaches no official account: {source}" for source in counts.unofficial]
    notes += counts.notes
    return FileResult(name, "imported", sha256=sha, chat=None, messages=messages, new=new,
                      seen_again=messages - new, notes=notes)


def _import_mail(session: Session, archive: Archive, mail: Mail, container: StoredFile,
                 container_sha: str, directory: Directory, settings: Settings, audit_id: int,
                 digest: ImportDigest, counts: MailCounts, date_order: str | None,
                 timezone: str | None) -> tuple[int, int]:
    """One mail of the file; returns (messages in its exports, of which new)."""
    raw_sha = hashlib.sha256(mail.raw).hexdigest()
    if raw_sha == container_sha:
        stored = container
    elif session.scalar(select(StoredFile.id).where(StoredFile.sha256 == raw_sha)):
        counts.already += 1
        return 0, 0
    else:
        archive.vault.store_bytes(mail.raw, raw_sha)
        stored = StoredFile(sha256=raw_sha, size=len(mail.raw), name=mail.source,
                            mime="message/rfc822", stored_at=dt.datetime.now(dt.UTC),
                            audit_id=audit_id)
        session.add(stored)
        session.flush()
    counts.mails += 1
    defects = list(mail.defects)
    captured = mail.capture_time()
    if captured is None:
        # No date at all: only the import proves the mail had arrived by now; using the import
        # time can make a forward look late, never on time (DESIGN §5: never claim more).
        captured = dt.datetime.now(dt.UTC)
        defects.append("no Date or Received time: the import time is used as capture time")
    row = MailRow(file_id=stored.id,
                  container_file_id=container.id if stored is not container else None,
                  # The Date as the mail states it, believed or not (the defects say why
                  # not, citing the header); the capture time is decided above.
                  source=mail.source, message_id=mail.message_id, date=mail.date_stated,
                  received_first=min(mail.received) if mail.received else None,
                  captured_at=captured, from_addresses=list(mail.from_), subject=mail.subject,
                  defects=defects, audit_id=audit_id)
    session.add(row)
    session.flush()
    for field, addresses in (("to", mail.to), ("cc", mail.cc),
                             ("delivered-to", mail.delivered_to)):
        session.add_all(MailRecipient(mail_id=row.id, field=field, address=account_key(a))
                        for a in dict.fromkeys(addresses))
    owners = [p for p in (directory.owner_of_official(a) for a in mail.recipients())
              if p is not None and p.custodian]
    if not owners:
        counts.unofficial.append(mail.source)
    custodian = owners[0] if owners else None
    zone = timezone or (custodian.timezone if custodian else None) or settings.timezone
    media_names = frozenset(a.name for a in mail.media())
    messages = new = 0
    for attachment in mail.exports():
        shown = f"{mail.source}!{attachment.name}"
        try:
            export_container = open_container_bytes(attachment.data, shown)
            parsed = read_export(export_container, date_order=date_order)
        except AmbiguousDateOrder:
            raise
        except InputError as exc:
            counts.notes.append(f"attachment not imported: {exc}")
            row.defects = [*row.defects, f"attachment {attachment.name!r} not imported"]
            continue
        # A chat attached under a name that does not say which chat: the subject may (the app
        # mails exports as "WhatsApp Chat with NAME"); otherwise it cannot be filed.
        title = parsed.chat_title or title_from_name(mail.subject or "")
        if not title:
            counts.notes.append(f"attachment not imported: {shown}: neither its name nor the "
                                "mail's subject names the chat")
            row.defects = [*row.defects, f"attachment {attachment.name!r} names no chat"]
            continue
        export_sha = hashlib.sha256(attachment.data).hexdigest()
        export_file = session.scalar(select(StoredFile).where(StoredFile.sha256 == export_sha))
        if export_file is None:
            archive.vault.store_bytes(attachment.data, export_sha)
            export_file = StoredFile(sha256=export_sha, size=len(attachment.data), name=shown,
                                     mime=attachment.mime, stored_at=dt.datetime.now(dt.UTC),
                                     audit_id=audit_id)
            session.add(export_file)
            session.flush()
        options = ImportOptions(custodian=custodian.name if custodian else None,
                                timezone=zone, channel="official", captured_at=captured,
                                chat=title,
                                mail_id=row.id, extra_media=media_names,
                                date_order=date_order)
        result = ingest_export(session, export_container, parsed, export_file, options,
                               audit_id, digest)
        counts.exports += 1
        messages += result.messages
        new += result.new
    for body in mail.bodies():
        for pasted in pasted_messages(body, date_order=date_order, source=mail.source):
            utc, _ = LocalClock(zone).to_utc(pasted.sent_at)
            complete = pasted.kind != "media" or (pasted.attachment is not None
                                                  and pasted.attachment in media_names)
            copy = PastedCopy(mail_id=row.id, line=pasted.line,
                              sent_at=utc.replace(tzinfo=dt.UTC),
                              sent_at_local=pasted.sent_at, timezone=zone,
                              author=pasted.author,
                              author_key=account_key(pasted.author) if pasted.author else None,
                              kind=pasted.kind, text=pasted.text,
                              attachment=pasted.attachment, complete=complete,
                              audit_id=audit_id)
            session.add(copy)
            counts.pasted += 1
    session.flush()
    return messages, new


def rematch_pasted(session: Session, audit_id: int, digest: ImportDigest) -> int:
    """Capture every pasted copy not yet matched whose message is now archived.

    A copy matches a message of the same UTC minute and text (for media and deletions: kind)
    whose author is the same account, or an account of the same person. Returns the number
    of captures added (they belong to the current import's digest).
    """
    same_person = aliased(PersonAccount), aliased(PersonAccount)
    matched = exists().where(Capture.mail_id == PastedCopy.mail_id,
                             Capture.line == PastedCopy.line)
    added = 0
    for copy in session.scalars(select(PastedCopy).where(~matched).order_by(PastedCopy.id)):
        minute = copy.sent_at.replace(second=0, microsecond=0)
        a, b = same_person
        author = or_(Message.author_key == copy.author_key, exists().where(
            a.key == Message.author_key, b.key == copy.author_key, a.person == b.person,
            a.official.is_(False), b.official.is_(False)))
        if copy.kind in ("text", "system"):
            content = Message.text == copy.text
        else:
            content = Message.kind == copy.kind
        query = select(Message.id, Message.text).where(
            Message.sent_at >= minute, Message.sent_at < minute + dt.timedelta(minutes=1),
            and_(content, author)).order_by(Message.id)
        captured_at = session.scalar(select(MailRow.captured_at)
                                     .where(MailRow.id == copy.mail_id))
        for message_id, text in session.execute(query).all():
            shown = None if text == copy.text else copy.text
            session.add(Capture(message_id=message_id, export_id=None, mail_id=copy.mail_id,
                                line=copy.line, channel="official", captured_at=captured_at,
                                author=copy.author, text=shown, complete=copy.complete,
                                audit_id=audit_id))
            session.flush()
            digest.add_capture(message_id, None, copy.mail_id, copy.line, "official",
                               utc_key(captured_at), copy.author, shown, copy.complete)
            added += 1
    return added
