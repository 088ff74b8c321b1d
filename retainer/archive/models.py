"""The archive's tables (SQLAlchemy 2.0 declarative, typed).

Messages, captures and events are append-only: an import adds rows and never updates or
deletes one (DESIGN §3). What a later export shows about an earlier message (missing, deleted,
edited) is a new ``MessageEvent``. The audit log chains every import and every investigator
action (DESIGN §7).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from retainer.archive.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints, so that migrations can drop them on every backend (alembic naming.rst)."""

CHANNELS = ("device", "official")
KINDS = ("text", "media", "system", "deleted")
EVENTS = ("missing_from_later_export", "deleted_after_capture", "edited_after_capture")


def _enum(name: str, values: tuple[str, ...]) -> Enum:
    return Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


INTEGER_MAX = 2**31 - 1
"""The largest id (and count) an ``Integer`` column holds on PostgreSQL; message ids are
``Integer``, so the command line bounds ids and limits by it."""


class AuditEntry(Base):
    """One import or one investigator action; each entry's digest covers the one before."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    operator: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any]]
    """What was done, never message text: file names, hashes, counts, filters."""
    added_count: Mapped[int] = mapped_column(default=0)
    added_digest: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 over the identities and content digests of the rows this entry added."""
    prev_digest: Mapped[str | None] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), unique=True)


class StoredFile(Base):
    """A file kept byte for byte in the vault, named by its SHA-256."""

    __tablename__ = "files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(1000))
    """The file's name when it arrived (a path or ``mbox#3!attachment.zip``)."""
    mime: Mapped[str] = mapped_column(String(200))
    stored_at: Mapped[dt.datetime]
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))


class Chat(Base):
    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500), unique=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))


class Mail(Base):
    """A mail found in an official mailbox: the evidence of a forward (§ 2911(a)(2))."""

    __tablename__ = "mails"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    """The mail's own bytes in the vault."""
    container_file_id: Mapped[int | None] = mapped_column(ForeignKey("files.id"))
    """The mbox (or other file) it was found in, when not a file of its own."""
    source: Mapped[str] = mapped_column(String(1000))
    message_id: Mapped[str | None] = mapped_column(String(1000))
    date: Mapped[dt.datetime | None]
    received_first: Mapped[dt.datetime | None]
    captured_at: Mapped[dt.datetime | None]
    """When it reached the mailbox: its Date, else the earliest Received (DESIGN §2)."""
    from_addresses: Mapped[list[Any]]
    subject: Mapped[str | None] = mapped_column(Text)
    defects: Mapped[list[Any]]
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))


class MailRecipient(Base):
    """An address a mail was delivered to (To, Cc or Delivered-To), lowercased."""

    __tablename__ = "mail_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("mails.id"), index=True)
    field: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(String(500), index=True)


class Export(Base):
    """One chat export: a snapshot of one chat as one device saw it (DESIGN §2)."""

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"))
    channel: Mapped[str] = mapped_column(_enum("channel", CHANNELS))
    custodian: Mapped[str | None] = mapped_column(String(200))
    """Whose device (or official mailbox) it came from, as named in the configuration."""
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"))
    timezone: Mapped[str] = mapped_column(String(64))
    date_order: Mapped[str] = mapped_column(String(3))
    family: Mapped[str] = mapped_column(String(32))
    container: Mapped[str] = mapped_column(String(8))
    chat_member: Mapped[str | None] = mapped_column(String(1000))
    encoding: Mapped[str] = mapped_column(String(16))
    captured_at: Mapped[dt.datetime]
    """When this snapshot was taken into custody: the mail's time for an official export,
    the import time for a device export."""
    message_count: Mapped[int]
    first_sent_at: Mapped[dt.datetime | None]
    last_sent_at: Mapped[dt.datetime | None]
    defects: Mapped[list[Any]]
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))

    __table_args__ = (Index("ix_exports_chat_custodian", "chat_id", "custodian"),)


class Attachment(Base):
    """A media file that travelled with an export (inside its zip) or with a mail."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int | None] = mapped_column(ForeignKey("exports.id"), index=True)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), index=True)
    name: Mapped[str] = mapped_column(String(1000))
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    """The message naming this file in the same export, when there is one."""
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))


class Message(Base):
    """One message of one chat, stored once however many captures show it (DESIGN §3)."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    """Assigned by the importer under the import lock, so rows can be written in bulk."""
    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id"))
    identity: Mapped[str] = mapped_column(String(32))
    """Derived from the UTC minute, the text (or kind, for media and deletions) and the
    ordinal; see ``retainer.ingest.identity``."""
    ordinal: Mapped[int]
    sent_at: Mapped[dt.datetime]
    sent_at_local: Mapped[str] = mapped_column(String(19))
    stamp: Mapped[str] = mapped_column(String(64))
    """The export's date and time text exactly as written."""
    timezone: Mapped[str] = mapped_column(String(64))
    time_flag: Mapped[str | None] = mapped_column(String(16))
    """``ambiguous`` (clocks went back; resolved by message order) or ``impossible``
    (clocks went forward) — DESIGN §4."""
    author: Mapped[str | None] = mapped_column(String(500))
    author_key: Mapped[str | None] = mapped_column(String(500))
    """``retainer.people.account_key(author)``: what people's aliases are matched on."""
    kind: Mapped[str] = mapped_column(_enum("kind", KINDS))
    edited: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[str] = mapped_column(Text)
    attachment: Mapped[str | None] = mapped_column(String(1000))
    content_digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of every stored field; ``retainer verify`` recomputes it."""
    export_id: Mapped[int] = mapped_column(ForeignKey("exports.id"))
    """The export that first showed it."""
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))
    """The import that added it; an import's messages have consecutive ids."""

    __table_args__ = (
        UniqueConstraint("chat_id", "identity"),
        Index("ix_messages_chat_sent_at", "chat_id", "sent_at"),
    )


class Capture(Base):
    """The fact that an export (or a mail) shows a message (DESIGN §2)."""

    __tablename__ = "captures"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    export_id: Mapped[int | None] = mapped_column(ForeignKey("exports.id"))
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"))
    line: Mapped[int]
    channel: Mapped[str] = mapped_column(_enum("channel", CHANNELS))
    captured_at: Mapped[dt.datetime]
    author: Mapped[str | None] = mapped_column(String(500))
    """The author as this capture shows it (two phones may name one person differently)."""
    text: Mapped[str | None] = mapped_column(Text)
    """The text as this capture shows it, when it differs from the message's (a media
    message seen as "image omitted", say)."""
    complete: Mapped[bool] = mapped_column(Boolean)
    """False when the capture lacks something the message has (the media file)."""
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))

    __table_args__ = (
        CheckConstraint("(export_id IS NULL) <> (mail_id IS NULL)", name="one_source"),
        Index("ix_captures_message_export", "message_id", "export_id"),
        Index("ix_captures_mail", "mail_id", sqlite_where=sql_text("mail_id IS NOT NULL"),
              postgresql_where=sql_text("mail_id IS NOT NULL")),
    )


class PastedCopy(Base):
    """A chat message pasted into the body of a mail found in an official mailbox.

    Matched to the archived message it copies (same UTC minute and text) by a ``Capture``
    with the same mail and line; one not yet matched (its chat arrives later) is matched by a
    later import.
    """

    __tablename__ = "pasted_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("mails.id"), index=True)
    line: Mapped[int]
    sent_at: Mapped[dt.datetime]
    sent_at_local: Mapped[str] = mapped_column(String(19))
    timezone: Mapped[str] = mapped_column(String(64))
    author: Mapped[str | None] = mapped_column(String(500))
    author_key: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(_enum("kind", KINDS))
    text: Mapped[str] = mapped_column(Text)
    attachment: Mapped[str | None] = mapped_column(String(1000))
    complete: Mapped[bool] = mapped_column(Boolean)
    """The copy carries the whole message: its text, and for media the file itself."""
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))


class MessageEvent(Base):
    """Something a later export showed about an archived message; never a change to it."""

    __tablename__ = "message_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), index=True)
    kind: Mapped[str] = mapped_column(_enum("event", EVENTS))
    export_id: Mapped[int] = mapped_column(ForeignKey("exports.id"))
    """The later export that showed it."""
    related_message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    """For a deletion or an edit: the message that took its place in the later export."""
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))


class PersonAccount(Base):
    """People's accounts from the configuration, so SQL can resolve authors.

    Derived data: rewritten from ``retainer.toml`` whenever it changes, which is how an alias
    added later resolves earlier imports without re-importing them.
    """

    __tablename__ = "person_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(500))
    person: Mapped[str] = mapped_column(String(200))
    official: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (UniqueConstraint("key", "official"),
                      Index("ix_person_accounts_person", "person"))


class Filing(Base):
    """Where a message is filed under a records schedule, and why (DESIGN §6).

    Append-only: a message's current filing is its newest one; re-classifying adds a filing
    and the earlier ones stay as history.
    """

    __tablename__ = "filings"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    schedule_id: Mapped[str] = mapped_column(String(64))
    schedule_version: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    filed_at: Mapped[dt.datetime]
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))

    __table_args__ = (Index("ix_filings_message_newest", "message_id", "id"),)


class Hold(Base):
    """A legal hold: messages it covers are never eligible for disposition while active."""

    __tablename__ = "holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    criteria: Mapped[dict[str, Any]]
    """Chat, person, date range and query the hold covers."""
    placed_at: Mapped[dt.datetime]
    placed_by: Mapped[str] = mapped_column(String(200))
    released_at: Mapped[dt.datetime | None]
    released_by: Mapped[str | None] = mapped_column(String(200))
    release_reason: Mapped[str | None] = mapped_column(Text)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"))
