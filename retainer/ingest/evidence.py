"""The evidence rows an import adds besides messages and captures — the files it kept, the
chats it opened, exports, mails with their recipients, pasted copies, attachments — in the
form both the import and ``verify`` digest them."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from retainer.archive.models import (
    Attachment,
    Chat,
    Export,
    Mail,
    MailRecipient,
    MessageEvent,
    PastedCopy,
    StoredFile,
)
from retainer.ingest.digests import utc_key


def _key(value) -> str:
    return utc_key(value) if value is not None else ""


def evidence_rows(session: Session, audit_id: int | None = None
                  ) -> Iterator[tuple[int, str, tuple[object, ...]]]:
    """(audit id, table, fields) of every evidence row (of one import, if given), by table
    and id."""
    exports = select(Export.audit_id, Export.id, Export.file_id, Export.chat_id,
                     Export.channel, Export.custodian, Export.mail_id, Export.timezone,
                     Export.captured_at, Export.message_count).order_by(Export.id)
    mails = select(Mail.audit_id, Mail.id, Mail.file_id, Mail.source, Mail.message_id,
                   Mail.date, Mail.received_first, Mail.captured_at).order_by(Mail.id)
    pasted = select(PastedCopy.audit_id, PastedCopy.id, PastedCopy.mail_id, PastedCopy.line,
                    PastedCopy.sent_at, PastedCopy.sent_at_local, PastedCopy.author,
                    PastedCopy.kind, PastedCopy.text, PastedCopy.complete
                    ).order_by(PastedCopy.id)
    # Digest version 2 (``digests.V2_TABLES``): a vault file swapped together with its row,
    # a chat renamed or an attachment unlinked behind retainer's back shows too.
    files = select(StoredFile.audit_id, StoredFile.id, StoredFile.sha256, StoredFile.size,
                   StoredFile.name, StoredFile.mime).order_by(StoredFile.id)
    chats = select(Chat.audit_id, Chat.id, Chat.title).order_by(Chat.id)
    attachments = select(Attachment.audit_id, Attachment.id, Attachment.export_id,
                         Attachment.mail_id, Attachment.name, Attachment.size, Attachment.mime,
                         Attachment.sha256, Attachment.message_id).order_by(Attachment.id)
    if audit_id is not None:
        exports = exports.where(Export.audit_id == audit_id)
        mails = mails.where(Mail.audit_id == audit_id)
        pasted = pasted.where(PastedCopy.audit_id == audit_id)
        files = files.where(StoredFile.audit_id == audit_id)
        chats = chats.where(Chat.audit_id == audit_id)
        attachments = attachments.where(Attachment.audit_id == audit_id)
    for entry, *fields in session.execute(files):
        yield entry, "file", tuple(fields)
    for entry, *fields in session.execute(chats):
        yield entry, "chat", tuple(fields)
    for row in session.execute(exports):
        entry, export_id, file_id, chat_id, channel, custodian, mail_id, zone, at, n = row
        yield entry, "export", (export_id, file_id, chat_id, channel, custodian, mail_id,
                                zone, _key(at), n)
    recipients: dict[int, list[str]] = {}
    query = select(MailRecipient.mail_id, MailRecipient.field, MailRecipient.address)
    for mail_id, field, address in session.execute(query):
        recipients.setdefault(mail_id, []).append(f"{field}:{address}")
    for entry, mail_id, file_id, source, message_id, date, received, at in session.execute(mails):
        yield entry, "mail", (mail_id, file_id, source, message_id, _key(date),
                              _key(received), _key(at),
                              ",".join(sorted(recipients.get(mail_id, []))))
    for entry, *fields in session.execute(pasted):
        fields[3] = _key(fields[3])
        yield entry, "pasted", tuple(fields)
    for entry, *fields in session.execute(attachments):
        yield entry, "attachment", tuple(fields)


def digest_evidence(session: Session, audit_id: int, digest) -> None:
    """Feed one import's events and evidence rows into its digest (call just before sealing
    it: events may concern exports of other imports, so they are gathered by import)."""
    session.flush()
    events = select(MessageEvent.message_id, MessageEvent.kind, MessageEvent.export_id,
                    MessageEvent.related_message_id).where(MessageEvent.audit_id == audit_id)
    for row in session.execute(events.order_by(MessageEvent.id)):
        digest.add_event(*row)
    for _, table, fields in evidence_rows(session, audit_id):
        digest.add_evidence(table, *fields)
