"""The chats in the archive and what stands out about each: volume, time span, exports, the
signs of possible record destruction (deletions, messages missing from later exports,
disappearing messages turned on — 36 C.F.R. part 1230), and messages exports disagree on the
author of (DESIGN §3)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from retainer.archive.models import Capture, Chat, Export, Message, MessageEvent, PersonAccount
from retainer.formats import phrases
from retainer.formats.text import fold_title
from retainer.people import account_key


@dataclasses.dataclass
class Disappearing:
    """A notice that disappearing messages were turned on (timer) or off (timer None)."""

    sent_at: dt.datetime
    sent_at_local: str
    on: bool
    timer: str | None
    actor: str | None


@dataclasses.dataclass
class ChatSummary:
    id: int
    title: str
    messages: int
    first: dt.datetime | None
    last: dt.datetime | None
    exports: int
    deleted: int
    """Messages seen only as "This message was deleted"."""
    deleted_after_capture: int
    """Messages captured with their content and later seen deleted."""
    missing: int
    """Messages an earlier export had and a later one of the same device lacks."""
    disappearing: list[Disappearing]
    author_conflicts: int = 0
    """Messages one export shows under another person than another export does (DESIGN §3:
    each capture keeps its author; mapping an alias resolves a name that is one person)."""

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.deleted:
            flags.append(f"{self.deleted} deleted")
        if self.deleted_after_capture:
            flags.append(f"{self.deleted_after_capture} deleted after capture")
        if self.missing:
            flags.append(f"{self.missing} missing from a later export")
        if self.author_conflicts:
            flags.append(f"{self.author_conflicts} shown under different people")
        if any(d.on for d in self.disappearing):
            timers = ", ".join(sorted({d.timer or "?" for d in self.disappearing if d.on}))
            flags.append(f"disappearing messages turned on ({timers})")
        return flags

    def as_json(self) -> dict[str, object]:
        data = dataclasses.asdict(self)
        data["flags"] = self.flags
        return data


def disappearing_notice(text: str) -> tuple[bool, str | None, str | None] | None:
    """(on, timer, actor) when the text is a disappearing-messages notice, else None."""
    for pattern in phrases.DISAPPEARING_ON:
        m = pattern.match(text)
        if m:
            return True, m.group("timer"), m.group("actor")
    for pattern in phrases.DISAPPEARING_OFF:
        m = pattern.match(text)
        if m:
            return False, None, m.group("actor")
    return None


def chat_titled(session: Session, title: str) -> tuple[int, str] | None:
    """(id, title as archived) of the oldest chat whose title is ``title`` as typed titles
    are compared (``fold_title``: case folded, NFC), or None."""
    wanted = fold_title(title.strip())
    for chat_id, found in session.execute(select(Chat.id, Chat.title).order_by(Chat.id)):
        if fold_title(found) == wanted:
            return chat_id, found
    return None


def list_chats(session: Session) -> list[ChatSummary]:
    """Every chat, by title."""
    counts = {row.chat_id: row for row in session.execute(
        select(Message.chat_id, func.count().label("n"), func.min(Message.sent_at).label("lo"),
               func.max(Message.sent_at).label("hi"),
               func.sum(case((Message.kind == "deleted", 1), else_=0)).label("deleted"))
        .group_by(Message.chat_id))}
    exports = dict(session.execute(select(Export.chat_id, func.count())
                                   .group_by(Export.chat_id)).all())
    events = {}
    for chat_id, kind, n in session.execute(
            select(Message.chat_id, MessageEvent.kind, func.count(distinct(Message.id)))
            .join(Message, Message.id == MessageEvent.message_id)
            .group_by(Message.chat_id, MessageEvent.kind)):
        events[chat_id, kind] = n
    notices: dict[int, list[Disappearing]] = {}
    for chat_id, sent_at, local, text in session.execute(
            select(Message.chat_id, Message.sent_at, Message.sent_at_local, Message.text)
            .where(Message.kind == "system")
            .order_by(Message.sent_at)):
        found = disappearing_notice(text)
        if found:
            notices.setdefault(chat_id, []).append(Disappearing(sent_at, local, *found))
    conflicts = author_conflicts(session)
    summaries = []
    for chat_id, title in session.execute(select(Chat.id, Chat.title).order_by(Chat.title)):
        row = counts.get(chat_id)
        summaries.append(ChatSummary(
            id=chat_id, title=title, messages=row.n if row else 0,
            first=row.lo if row else None, last=row.hi if row else None,
            exports=exports.get(chat_id, 0), deleted=int(row.deleted or 0) if row else 0,
            deleted_after_capture=events.get((chat_id, "deleted_after_capture"), 0),
            missing=events.get((chat_id, "missing_from_later_export"), 0),
            disappearing=notices.get(chat_id, []),
            author_conflicts=conflicts.get(chat_id, 0)))
    return summaries


def author_conflicts(session: Session) -> dict[int, int]:
    """Chat id → messages whose captures show them under another person (as the
    configuration resolves names now) than the message's own author."""
    people = dict(session.execute(select(PersonAccount.key, PersonAccount.person)
                                  .where(PersonAccount.official.is_(False))).all())
    found: dict[int, set[int]] = {}
    query = (select(Message.chat_id, Message.id, Message.author_key, Capture.author)
             .join(Capture, Capture.message_id == Message.id)
             .where(Capture.author.is_distinct_from(Message.author), Message.kind != "system",
                    Capture.author.is_not(None)))
    for chat_id, message_id, stored, shown in session.execute(query):
        shown_key = account_key(shown)
        if people.get(stored, stored) != people.get(shown_key, shown_key):
            found.setdefault(chat_id, set()).add(message_id)
    return {chat_id: len(ids) for chat_id, ids in found.items()}
