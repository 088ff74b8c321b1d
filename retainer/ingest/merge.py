"""What exports say about each other's messages (DESIGN §3), whatever order they arrive in.

Nothing archived is changed; findings are events:

- ``missing_from_later_export``: an export of a chat from one custodian's phone (device or
  forwarded to the official account) lacks, within its time span, a message an earlier export
  from the same custodian had. "Earlier" and "later" go by when each export was taken into
  custody (a mail's time, else the import's), not by import order.
- ``deleted_after_capture`` / ``edited_after_capture``: a message of the same author and
  minute was captured with its content, and an export shows "This message was deleted" (or
  an edited text) in its place.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, exists, func, insert, literal, select
from sqlalchemy.orm import Session, aliased

from retainer.archive.models import Capture, Export, Message, MessageEvent, PersonAccount

MISSING = "missing_from_later_export"


def record_missing(session: Session, export: Export, audit_id: int) -> int:
    """Record what ``export`` lacks of earlier exports, and what earlier-imported but later
    exports lack of it. Returns the number of events recorded for ``export``'s messages."""
    if export.first_sent_at is None:
        return 0
    before = session.scalar(select(func.count()).select_from(MessageEvent)
                            .where(MessageEvent.kind == MISSING)) or 0
    peers = session.execute(select(Export.id, Export.captured_at, Export.first_sent_at,
                                   Export.last_sent_at).where(
        Export.chat_id == export.chat_id, Export.id != export.id,
        Export.custodian.is_not_distinct_from(export.custodian),
        Export.first_sent_at.is_not(None))).all()
    if not peers:
        return 0
    if any(p.captured_at < export.captured_at for p in peers):
        _missing_from(session, export.id, export.first_sent_at, export.last_sent_at,
                      export.chat_id, export.custodian, export.captured_at, audit_id)
    for peer_id, captured_at, first, last in peers:
        if captured_at > export.captured_at:
            _lacking(session, export.id, peer_id, first, last, audit_id)
    after = session.scalar(select(func.count()).select_from(MessageEvent)
                           .where(MessageEvent.kind == MISSING)) or 0
    return after - before


def _not_in(export_id) -> object:
    return ~exists().where(Capture.message_id == Message.id, Capture.export_id == export_id)


def _not_recorded(export_id) -> object:
    return ~exists().where(MessageEvent.message_id == Message.id,
                           MessageEvent.export_id == export_id, MessageEvent.kind == MISSING)


def _missing_from(session: Session, export_id: int, first: dt.datetime, last: dt.datetime,
                  chat_id: int, custodian: str | None, captured_at: dt.datetime,
                  audit_id: int) -> None:
    """Messages in the export's span that it lacks and an earlier export of the same
    custodian had."""
    earlier = aliased(Export)
    seen_before = exists().where(
        Capture.message_id == Message.id, Capture.export_id == earlier.id,
        earlier.chat_id == chat_id, earlier.custodian.is_not_distinct_from(custodian),
        earlier.captured_at < captured_at)
    query = select(Message.id, literal(MISSING), literal(export_id), literal(audit_id)).where(
        Message.chat_id == chat_id, Message.sent_at >= first, Message.sent_at <= last,
        _not_in(export_id), seen_before, _not_recorded(export_id))
    session.execute(insert(MessageEvent).from_select(
        ["message_id", "kind", "export_id", "audit_id"], query))


def _lacking(session: Session, export_id: int, later_id: int, first: dt.datetime,
             last: dt.datetime, audit_id: int) -> None:
    """Messages of ``export_id`` within the span of the later export ``later_id`` that it
    lacks (the later export was imported first)."""
    mine = exists().where(Capture.message_id == Message.id, Capture.export_id == export_id)
    query = select(Message.id, literal(MISSING), literal(later_id), literal(audit_id)).where(
        mine, Message.sent_at >= first, Message.sent_at <= last, _not_in(later_id),
        _not_recorded(later_id))
    session.execute(insert(MessageEvent).from_select(
        ["message_id", "kind", "export_id", "audit_id"], query))


class Replacements:
    """Links messages to the deletion notices and edited texts that replaced them.

    Built per import: ``load`` reads the chat's existing notices, ``seen`` is told of every new
    message, ``record`` writes the events both ways round — a notice arriving after the text,
    or the text (from an older capture) arriving after the notice. Authors are compared as
    people (the configuration's aliases), so a phone that names the author differently still
    shows the deletion.
    """

    def __init__(self, people: dict[str, str] | None = None) -> None:
        self._people = people or {}
        """Author key → person, from ``person_accounts``; an unmapped key is its own."""
        self._old: dict[tuple[str, str | None], list[tuple[int, str, int]]] = defaultdict(list)
        self._new_notices: list[tuple[int, str, str | None, str, int]] = []
        self._new_texts: list[tuple[int, str, str | None, str]] = []

    def _who(self, key: str | None) -> str | None:
        return self._people.get(key, key) if key is not None else None

    def load(self, session: Session, chat_id: int) -> None:
        """The people's accounts, and the chat's notices already archived: deletions and
        edited texts."""
        if not self._people:
            self._people = dict(session.execute(
                select(PersonAccount.key, PersonAccount.person)
                .where(PersonAccount.official.is_(False))).all())
        query = select(Message.id, Message.sent_at, Message.author_key, Message.kind,
                       Message.export_id).where(
            Message.chat_id == chat_id,
            (Message.kind == "deleted") | (Message.edited.is_(True)))
        for message_id, sent_at, key, kind, export_id in session.execute(query):
            minute = sent_at.replace(tzinfo=None).isoformat(timespec="minutes")
            self._old[minute, self._who(key)].append(
                (message_id, "deleted" if kind == "deleted" else "edited", export_id))

    def seen(self, message_id: int, minute: str, author_key: str | None, kind: str,
             edited: bool, export_id: int) -> None:
        if kind == "deleted" or edited:
            self._new_notices.append((message_id, minute, author_key,
                                      "deleted" if kind == "deleted" else "edited", export_id))
        elif self._old and (minute, self._who(author_key)) in self._old:
            self._new_texts.append((message_id, minute, author_key, kind))

    def _keys(self, key: str | None) -> list[str | None]:
        """Every author key of the person ``key`` stands for."""
        who = self._who(key)
        return [key, *(k for k, p in self._people.items() if p == who and k != key)]

    def record(self, session: Session, chat_id: int, audit_id: int) -> None:
        for notice_id, minute, key, what, export_id in self._new_notices:
            start = dt.datetime.fromisoformat(minute).replace(tzinfo=dt.UTC)
            keys = self._keys(key)
            by_author = (Message.author_key.in_([k for k in keys if k is not None])
                         if key is not None else Message.author_key.is_(None))
            originals = select(Message.id).where(
                Message.chat_id == chat_id, Message.id != notice_id,
                Message.sent_at >= start, Message.sent_at < start + dt.timedelta(minutes=1),
                by_author, Message.kind != "deleted",
                Message.edited.is_(False) if what == "edited" else literal(True),
                _not_in(export_id))
            if what == "edited":
                originals = originals.where(Message.kind == "text")
            for (original,) in session.execute(originals).all():
                self._add(session, original, what, export_id, notice_id, audit_id)
        for message_id, minute, key, kind in self._new_texts:
            for notice_id, what, export_id in self._old[minute, self._who(key)]:
                if what == "deleted" or kind == "text":
                    self._add(session, message_id, what, export_id, notice_id, audit_id)
        session.flush()

    @staticmethod
    def _add(session: Session, message_id: int, what: str, export_id: int, notice_id: int,
             audit_id: int) -> None:
        kind = f"{what}_after_capture"
        known = session.scalar(select(MessageEvent.id).where(and_(
            MessageEvent.message_id == message_id, MessageEvent.kind == kind,
            MessageEvent.related_message_id == notice_id)))
        if known is None:
            session.add(MessageEvent(message_id=message_id, kind=kind, export_id=export_id,
                                     related_message_id=notice_id, audit_id=audit_id))
