"""A chat read as a conversation: a window of messages in order, with what happened to them
(deleted or edited after capture, missing from a later export) and, on request, where each
was captured (device exports and official copies: the provenance an investigator cites).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from retainer.archive.models import (
    Capture,
    Export,
    Mail,
    MailRecipient,
    Message,
    MessageEvent,
    PersonAccount,
    StoredFile,
)
from retainer.errors import UsageError
from retainer.search.engine import Hit, load
from retainer.search.filters import Filters, conditions, find_chat

DEFAULT_CONTEXT = 10
"""Messages shown before and after ``--around`` by default."""
DEFAULT_LIMIT = 500
"""Messages shown without ``--around`` by default."""


@dataclasses.dataclass
class Source:
    """One capture of a message: which export (or official mail) showed it."""

    channel: str
    """``device`` or ``official`` (DESIGN §2)."""
    export_id: int | None
    mail_id: int | None
    custodian: str | None
    """The export's custodian; for a mail, the person whose official account received it."""
    file: str
    captured_at: dt.datetime
    line: int
    complete: bool
    account: str | None = None
    """For a capture through a mail: the official account it reached (DESIGN §2)."""

    def as_json(self) -> dict[str, object]:
        data = dataclasses.asdict(self)
        data["captured_at"] = self.captured_at.astimezone(dt.UTC).isoformat()
        return data


@dataclasses.dataclass
class ThreadMessage:
    message: Hit
    events: list[str]
    """``deleted_after_capture``, ``edited_after_capture``, ``missing_from_later_export``."""
    sources: list[Source] | None
    """Captures, when provenance was asked for."""

    def as_json(self) -> dict[str, object]:
        data = self.message.as_json()
        del data["excerpt"]
        data["events"] = self.events
        if self.sources is not None:
            data["sources"] = [s.as_json() for s in self.sources]
        return data


@dataclasses.dataclass
class Thread:
    chat: str
    messages: list[ThreadMessage]
    more_before: bool
    more_after: bool


def read_thread(session: Session, chat: str, *, around: int | None = None,
                before: int | None = None, after: int | None = None,
                since: dt.datetime | None = None, until: dt.datetime | None = None,
                limit: int = DEFAULT_LIMIT, provenance: bool = False) -> Thread:
    """Messages of ``chat`` in order.

    With ``around``: that message with ``before`` earlier and ``after`` later ones (default
    ``DEFAULT_CONTEXT`` each). Without: the first ``limit`` messages from ``since``. Both stay
    within ``since``/``until``, the message ``around`` too.

    Raises:
        UsageError: unknown chat, a message not in the chat or outside ``since``/``until``,
            ``before``/``after`` without ``around``, a negative count.
    """
    chat_id, title = find_chat(session, chat)
    where = [Message.chat_id == chat_id, *conditions(session, Filters(since=since,
                                                                      until=until))]
    if any(n is not None and n < 0 for n in (before, after)) or limit < 1:
        raise UsageError("--before, --after and --limit cannot be negative")
    if around is None and (before is not None or after is not None):
        raise UsageError("--before and --after count messages around one: give --around "
                         "MESSAGE_ID too (or use --since, --until and --limit)")
    if around is None:
        ids = list(session.scalars(select(Message.id).where(*where)
                                   .order_by(Message.sent_at, Message.id).limit(limit + 1)))
        more_after = len(ids) > limit
        ids, more_before = ids[:limit], False
    else:
        centre = session.execute(select(Message.chat_id, Message.sent_at)
                                 .where(Message.id == around)).first()
        if centre is None or centre.chat_id != chat_id:
            raise UsageError(f"message {around} is not in chat {title!r}")
        at = centre.sent_at
        if (since is not None and at < since) or (until is not None and at >= until):
            raise UsageError(f"message {around} was sent outside --since/--until: widen "
                             "them or leave them out")
        n_before = DEFAULT_CONTEXT if before is None else before
        n_after = DEFAULT_CONTEXT if after is None else after
        earlier = or_(Message.sent_at < at, and_(Message.sent_at == at, Message.id < around))
        later = or_(Message.sent_at > at, and_(Message.sent_at == at, Message.id > around))
        first = list(session.scalars(select(Message.id).where(*where, earlier).order_by(
            Message.sent_at.desc(), Message.id.desc()).limit(n_before + 1)))
        last = list(session.scalars(select(Message.id).where(*where, later).order_by(
            Message.sent_at, Message.id).limit(n_after + 1)))
        more_before, more_after = len(first) > n_before, len(last) > n_after
        ids = [*reversed(first[:n_before]), around, *last[:n_after]]
    hits = load(session, ids)
    events = _events(session, ids)
    sources = _sources(session, ids) if provenance else None
    return Thread(title, [ThreadMessage(h, events.get(h.message_id, []),
                                        sources.get(h.message_id, []) if sources is not None
                                        else None) for h in hits], more_before, more_after)


def _events(session: Session, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for start in range(0, len(ids), 1000):
        for message_id, kind in session.execute(
                select(MessageEvent.message_id, MessageEvent.kind)
                .where(MessageEvent.message_id.in_(ids[start:start + 1000]))
                .order_by(MessageEvent.id)):
            if kind not in found.setdefault(message_id, []):
                found[message_id].append(kind)
    return found


def _sources(session: Session, ids: list[int]) -> dict[int, list[Source]]:
    """Each message's captures, oldest first. A capture through a mail (pasted into it, or an
    export attached to it) names the official account it reached and that account's person."""
    found: dict[int, list[Source]] = {}
    export_file = StoredFile.__table__.alias("export_file")
    mail_file = StoredFile.__table__.alias("mail_file")
    official = PersonAccount.__table__.alias("official")
    mail_of = func.coalesce(Capture.mail_id, Export.mail_id)
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            select(Capture.id, Capture.message_id, Capture.channel, Capture.export_id,
                   Capture.mail_id, Export.custodian, export_file.c.name, Mail.source,
                   mail_file.c.name, Capture.captured_at, Capture.line, Capture.complete,
                   official.c.person, MailRecipient.address)
            .outerjoin(Export, Export.id == Capture.export_id)
            .outerjoin(export_file, export_file.c.id == Export.file_id)
            .outerjoin(Mail, Mail.id == Capture.mail_id)
            .outerjoin(mail_file, mail_file.c.id == Mail.file_id)
            .outerjoin(MailRecipient, MailRecipient.mail_id == mail_of)
            .outerjoin(official, and_(official.c.key == MailRecipient.address,
                                      official.c.official.is_(True)))
            .where(Capture.message_id.in_(ids[start:start + 1000]))
            .order_by(Capture.captured_at, Capture.id, official.c.person.is_(None),
                      MailRecipient.id))
        seen: set[int] = set()
        for (capture_id, message_id, channel, export_id, mail_id, custodian, export_name,
             source, mail_name, captured_at, line, complete, person, address) in rows:
            if capture_id in seen:  # another recipient of the same mail
                continue
            seen.add(capture_id)
            account = address if person is not None else None
            found.setdefault(message_id, []).append(Source(
                channel, export_id, mail_id, custodian or person,
                export_name or source or mail_name or "?", captured_at, line, complete,
                account))
    return found
