"""One export into the archive, inside the caller's transaction.

Stages, in order: register the chat and the export; stream the messages (convert to UTC,
identify, look up what is already archived, write new messages and every capture in bulk);
record what this export says about earlier messages (missing, deleted, edited); keep the
media it carries. Nothing here commits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from retainer.archive.models import Attachment, Chat, Export, MessageEvent, StoredFile
from retainer.errors import InputError
from retainer.formats import Container, ParsedExport
from retainer.ingest.digests import ImportDigest, message_digest, utc_key
from retainer.ingest.identity import Ordinals, key_text
from retainer.ingest.merge import Replacements, record_missing
from retainer.ingest.writer import BulkWriter
from retainer.people import account_key
from retainer.search.index import index_messages
from retainer.timezones import LocalClock

Progress = Callable[[int], None]
"""Called with the number of messages just processed."""


@dataclasses.dataclass(frozen=True)
class ImportOptions:
    """How to read and file an export; the command line and the nightly run build these."""

    custodian: str | None = None
    """Whose device (or official mailbox) the export came from."""
    timezone: str = "UTC"
    """The zone its wall-clock times are read in (already chosen: DESIGN §4)."""
    chat: str | None = None
    """Chat title, instead of the one in the file name."""
    date_order: str | None = None
    channel: str = "device"
    operator: str | None = None
    captured_at: dt.datetime | None = None
    """When the export reached custody: an official mail's time; default the import time."""
    mail_id: int | None = None
    extra_media: frozenset[str] = frozenset()
    """Names of media files that reached custody beside the export (attached to the mail)."""
    zone_given: bool = False
    """The zone was named (``--tz`` or the source's), not taken from a custodian or default:
    mail keeps it rather than using the receiving custodian's."""


@dataclasses.dataclass
class ExportResult:
    export_id: int
    chat: str
    messages: int = 0
    new: int = 0
    seen_again: int = 0
    missing: int = 0
    deleted: int = 0
    edited: int = 0


def chat_title(parsed: ParsedExport, options: ImportOptions) -> str:
    title = options.chat or parsed.chat_title
    if not title:
        raise InputError("the file name does not name the chat ('WhatsApp Chat with NAME'); "
                         "give it with --chat", path=parsed.path)
    return title


def ingest_export(session: Session, container: Container, parsed: ParsedExport,
                  stored: StoredFile, options: ImportOptions, audit_id: int,
                  digest: ImportDigest, progress: Progress | None = None) -> ExportResult:
    """Add one parsed export to the archive (see the module docstring).

    Raises:
        InputError: the export cannot be read to its end (the caller rolls back).
    """
    title = chat_title(parsed, options)
    chat = session.scalar(select(Chat).where(Chat.title == title))
    chat_is_new = chat is None
    if chat is None:
        chat = Chat(title=title, audit_id=audit_id)
        session.add(chat)
        session.flush()
    captured_at = options.captured_at or dt.datetime.now(dt.UTC)
    export = Export(file_id=stored.id, chat_id=chat.id, channel=options.channel,
                    custodian=options.custodian, mail_id=options.mail_id,
                    timezone=options.timezone, date_order=parsed.date_order,
                    family=parsed.family, container=parsed.container,
                    chat_member=parsed.chat_member, encoding=parsed.encoding,
                    captured_at=captured_at, message_count=0, defects=[],
                    audit_id=audit_id)
    session.add(export)
    session.flush()
    result = ExportResult(export_id=export.id, chat=title)
    media = {m.name for m in parsed.media} | set(options.extra_media)
    writer = BulkWriter(session)
    sqlite = writer.dialect == "sqlite"
    next_id = writer.next_message_id()
    to_utc = LocalClock(options.timezone).to_utc
    zone = options.timezone
    ordinal_of = Ordinals().next
    authors: dict[str | None, str | None] = {None: None}
    replacements = Replacements()
    if not chat_is_new:
        replacements.load(session, chat.id)
    named: dict[str, int] = {}  # attachment file name → message id
    low = high = ""
    channel, export_id, chat_id = options.channel, export.id, chat.id
    captured_key = utc_key(captured_at)
    captured_value = writer.time(captured_at)
    add_message, add_capture = digest.add_message, digest.add_capture
    sha256 = hashlib.sha256
    minutes: dict[str, int] = {}  # UTC minute → its seconds since 1970, for the index
    for rows in parsed.batches():
        batch = []
        for line, sent_at, stamp, author, text, kind, edited, attachment in rows:
            naive, flag = to_utc(sent_at)
            when = naive.isoformat()  # "YYYY-MM-DDTHH:MM:SS": exports have no fractions
            key = text if kind == "text" or kind == "system" else key_text(kind, text)
            ordinal = ordinal_of(when[:16], key)
            ident = sha256(f"{when[:16]}\x1f{ordinal}\x1f{key}".encode()).hexdigest()[:32]
            batch.append((ident, ordinal, when, naive, flag, line, sent_at, stamp, author,
                          text, kind, edited, attachment))
        low = min(low or batch[0][2], min(b[2] for b in batch))
        high = max(high, max(b[2] for b in batch))
        known = {} if chat_is_new else writer.existing(chat_id, [b[0] for b in batch])
        new_rows, capture_rows, new_seconds = [], [], []
        for (ident, ordinal, when, naive, flag, line, sent_at, stamp, author, text, kind,
             edited, attachment) in batch:
            hit = known.get(ident)
            shown = None
            if hit is None:
                message_id = next_id
                next_id += 1
                known[ident] = (message_id, kind, text)
                author_key = authors.get(author, _NO_KEY)
                if author_key is _NO_KEY:
                    author_key = authors[author] = account_key(author)  # type: ignore[arg-type]
                content = message_digest(ident, when, sent_at, stamp, zone, flag, author, kind,
                                         edited, text, attachment)
                new_rows.append((message_id, chat_id, ident, ordinal,
                                 when.replace("T", " ") + ".000000" if sqlite
                                 else naive.replace(tzinfo=dt.UTC),
                                 sent_at, stamp, zone, flag, author, author_key, kind, edited,
                                 text, attachment, content, export_id, audit_id))
                add_message(ident, content)
                minute_second = minutes.get(when[:16])
                if minute_second is None:
                    if len(minutes) > 100_000:
                        minutes.clear()
                    minute_second = minutes[when[:16]] = int(
                        (naive.replace(second=0) - _EPOCH).total_seconds())
                new_seconds.append(minute_second + int(when[17:19]))
                replacements.seen(message_id, when[:16], author_key, kind, edited, export_id)
            else:
                message_id = hit[0]
                result.seen_again += 1
                if hit[2] is not None and hit[2] != text:
                    shown = text  # the same media or deletion, written differently here
            if attachment is not None:
                named.setdefault(attachment, message_id)
            complete = kind != "media" or (attachment is not None and attachment in media)
            # The export row links the mail it came in; a capture names one source.
            capture_rows.append((message_id, export_id, None, line, channel, captured_value,
                                 author, shown, complete, audit_id))
            add_capture(message_id, export_id, None, line, channel, captured_key, author,
                        shown, complete)
        result.messages += len(batch)
        result.new += len(new_rows)
        writer.messages(new_rows)
        index_messages(session, new_rows, new_seconds)
        writer.captures(capture_rows)
        if progress is not None:
            progress(len(batch))
    first = dt.datetime.fromisoformat(low).replace(tzinfo=dt.UTC) if low else None
    last = dt.datetime.fromisoformat(high).replace(tzinfo=dt.UTC) if high else None
    export.message_count = result.messages
    export.first_sent_at, export.last_sent_at = first, last
    export.defects = [str(d) for d in parsed.defects]
    session.flush()
    result.missing = record_missing(session, export, audit_id)
    replacements.record(session, chat.id, audit_id)
    for event in session.scalars(select(MessageEvent).where(MessageEvent.audit_id == audit_id,
                                                            MessageEvent.export_id == export_id)):
        if event.kind == "deleted_after_capture":
            result.deleted += 1
        elif event.kind == "edited_after_capture":
            result.edited += 1
    keep_media(session, container, export_id, named, audit_id)
    return result


_NO_KEY = "\x00no key"
_EPOCH = dt.datetime(1970, 1, 1)


def keep_media(session: Session, container: Container, export_id: int, named: dict[str, int],
               audit_id: int) -> None:
    """Record the media files a zip export carries, linked to the messages naming them.

    The files themselves stay inside the zip, which the vault keeps whole.
    """
    if container.kind != "zip" or not container.media:
        return
    for media, digest in container.media_digests(hashlib.sha256):
        session.add(Attachment(export_id=export_id, name=media.name, size=media.size,
                               mime=media.mime, sha256=digest,
                               message_id=named.get(media.name), audit_id=audit_id))
    session.flush()
