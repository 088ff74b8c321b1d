"""One export into the archive, inside the caller's transaction.

Stages, in order: register the chat and the export; stream the messages (prepared by
``prepare`` — UTC, identities, what is already archived, rows — here or in the import worker)
and write new messages, their index rows and every capture in bulk; record what this export
says about earlier messages (missing, deleted, edited, under another author); keep the media
it carries. Nothing here commits.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import unicodedata
from collections import Counter
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from retainer.archive.models import (
    Attachment,
    Chat,
    Export,
    MessageEvent,
    PersonAccount,
    StoredFile,
)
from retainer.errors import InputError
from retainer.formats import Container, ParsedExport
from retainer.ingest import worker
from retainer.ingest.digests import ImportDigest
from retainer.ingest.merge import Replacements, record_missing
from retainer.ingest.prepare import Outcome, Plan, prepared
from retainer.ingest.writer import BulkWriter, existing
from retainer.search.index import insert_rows

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
    author_conflicts: int = 0
    """Messages this export shows under another person than the archive holds them
    under (DESIGN §3: recorded in the captures, reported, never merged silently)."""


def chat_title(parsed: ParsedExport, options: ImportOptions) -> str:
    """The export's chat title (``--chat``, else from the file name), in Unicode NFC: macOS
    names files in NFD, and the same title must make the same chat however it was spelled."""
    title = options.chat or parsed.chat_title
    if not title:
        raise InputError("the file name does not name the chat ('WhatsApp Chat with NAME'); "
                         "give it with --chat", path=parsed.path)
    return unicodedata.normalize("NFC", title)


def find_chat(session: Session, title: str) -> Chat | None:
    """The chat titled ``title`` (NFC): stored as such, else one whose title is the same after
    NFC normalisation (an archive may hold a title as an earlier import spelled it, in NFD).
    The oldest such chat when several are."""
    chat = session.scalar(select(Chat).where(Chat.title == title))
    if chat is not None:
        return chat
    # Chats are few (one per conversation): compared in Python, once per export.
    for chat_id, stored in session.execute(select(Chat.id, Chat.title).order_by(Chat.id)):
        if unicodedata.normalize("NFC", stored) == title:
            return session.get(Chat, chat_id)
    return None


def ingest_export(session: Session, container: Container, parsed: ParsedExport,
                  stored: StoredFile, options: ImportOptions, audit_id: int,
                  digest: ImportDigest, progress: Progress | None = None,
                  source_path: str | None = None) -> ExportResult:
    """Add one parsed export to the archive (see the module docstring).

    ``source_path``: the export's file on disk, when it is one (a large one is then read and
    prepared by the import worker, ``retainer.ingest.worker``).

    Raises:
        InputError: the export cannot be read to its end (the caller rolls back).
    """
    title = chat_title(parsed, options)
    chat = find_chat(session, title)
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
    result = ExportResult(export_id=export.id, chat=chat.title)
    writer = BulkWriter(session)
    plan = Plan(dialect=writer.dialect, chat_id=chat.id, chat_is_new=chat_is_new,
                export_id=export.id, audit_id=audit_id, timezone=options.timezone,
                channel=options.channel, captured_at=captured_at,
                media=frozenset({m.name for m in parsed.media} | set(options.extra_media)),
                next_id=writer.next_message_id(), digest_version=digest.version)
    url = session.get_bind().url.render_as_string(hide_password=False)
    with contextlib.ExitStack() as stack:
        if worker.wanted(source_path, url):
            items = stack.enter_context(worker.Worker(worker.Job(
                url, source_path, parsed.date_order, plan)))  # type: ignore[arg-type]
        else:
            # Deletions and edits can only replace messages an earlier import archived: a
            # new chat has none, so its import skips that bookkeeping.
            replacements = None if chat_is_new else Replacements()
            if replacements is not None:
                replacements.load(session, chat.id)
            items = prepared(plan, parsed.batches(),
                             lambda chat_id, minutes: existing(session, chat_id, minutes),
                             replacements, lambda: parsed.defects)
        shared = plan.message_columns()
        shared_capture = plan.capture_columns(writer.time(captured_at))
        for item in items:
            if isinstance(item, Outcome):
                outcome = item
                break
            result.messages += item.messages
            result.seen_again += item.seen_again
            result.new += len(item.new_rows)
            writer.messages(item.new_rows, shared)
            insert_rows(writer.dbapi, writer.dialect, item.index_rows)
            writer.captures(item.capture_rows, shared_capture)
            digest.absorb(len(item.new_rows), item.digest_messages, item.digest_captures)
            if progress is not None:
                progress(item.messages)
    low, high = outcome.low, outcome.high
    first = dt.datetime.fromisoformat(low).replace(tzinfo=dt.UTC) if low else None
    last = dt.datetime.fromisoformat(high).replace(tzinfo=dt.UTC) if high else None
    export.message_count = result.messages
    export.first_sent_at, export.last_sent_at = first, last
    export.defects = [str(d) for d in outcome.defects]
    session.flush()
    result.missing = record_missing(session, export, audit_id)
    if outcome.replacements is not None:
        outcome.replacements.record(session, chat.id, audit_id)
    export_id = export.id
    for event in session.scalars(select(MessageEvent).where(MessageEvent.audit_id == audit_id,
                                                            MessageEvent.export_id == export_id)):
        if event.kind == "deleted_after_capture":
            result.deleted += 1
        elif event.kind == "edited_after_capture":
            result.edited += 1
    result.author_conflicts = author_conflicts(session, outcome.author_pairs)
    named = outcome.named
    keep_media(session, container, export_id, named, audit_id)
    return result


def author_conflicts(session: Session, pairs: Counter) -> int:
    """How many of the messages seen again under another author key belong, as far as the
    people in the configuration tell, to another person (an unmapped name counts as its own
    person until an alias maps it)."""
    if not pairs:
        return 0
    people = dict(session.execute(select(PersonAccount.key, PersonAccount.person)
                                  .where(PersonAccount.official.is_(False))).all())
    return sum(n for (stored, shown), n in pairs.items()
               if people.get(stored, stored) != people.get(shown, shown))


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
