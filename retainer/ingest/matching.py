"""Matching pasted copies to the archived messages they copy (DESIGN §2, 44 U.S.C.
§ 2911(a)(2)): a capture says that a mail carried a copy of a message, so it must never claim
a message the mail did not copy.

A pasted line (``PastedCopy``) is matched to a message of

- the same UTC minute and the same author: the same account, or another non-official account
  of the same person;
- the same content: exactly the same text; for a media copy that names its file (``<attached:
  NAME>``, ``NAME (file attached)``) a media message of that file; for one that names none
  (``<Media omitted>``, ``image omitted``) a media message; for a deletion notice a deletion
  notice;
- a chat of a custodian the mail reached (one with a device or official export of that
  custodian), and the chat the mail's subject names when it names one (``WhatsApp Chat with
  NAME``): a copy in Dana's mail says nothing about a chat Dana never exported.

Pairs are one to one: of the identical pasted lines of one mail (same minute, content and
author), each unmatched one in line order takes the next candidate message in message order
that no line of the same mail captures yet. When candidates sit in several chats the copy is
**ambiguous**: it proves nothing, is not captured, and is reported (DESIGN §4: never guess).

The capture is complete when the copy is (text copied exactly; for media, the file reached
the mailbox) — never for a deletion notice, which copies no content.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from retainer.archive.models import (
    Capture,
    Chat,
    Export,
    MailRecipient,
    Message,
    PastedCopy,
    PersonAccount,
)
from retainer.archive.models import Mail as MailRow
from retainer.formats.container import title_from_name
from retainer.ingest.digests import ImportDigest, utc_key


@dataclasses.dataclass
class Ambiguous:
    """A pasted copy whose message could be in several chats: it proves nothing."""

    mail_id: int
    source: str
    line: int
    chats: int

    def describe(self) -> str:
        return (f"{self.source}: pasted line {self.line} matches messages in {self.chats} "
                "chats and the mail names none of them: not counted as a copy")


@dataclasses.dataclass
class Matched:
    captures: int = 0
    ambiguous: list[Ambiguous] = dataclasses.field(default_factory=list)


def is_complete(copy: PastedCopy) -> bool:
    """Whether a capture from this copy is complete: never for a deletion notice."""
    return bool(copy.complete) and copy.kind != "deleted"


def unmatched() -> object:
    """SQL condition: this ``PastedCopy`` has no capture yet."""
    return ~exists().where(Capture.mail_id == PastedCopy.mail_id,
                           Capture.line == PastedCopy.line)


def rematch_pasted(session: Session, audit_id: int, digest: ImportDigest,
                   custodians: Collection[str] | None = None) -> Matched:
    """Capture every pasted copy not yet matched whose message is now archived (see the
    module docstring). ``custodians`` names the people whose official accounts count (None:
    everyone with an official account). The captures belong to the current import's digest,
    added in id order."""
    found = Matched()
    copies = session.scalars(select(PastedCopy).where(unmatched())
                             .order_by(PastedCopy.mail_id, PastedCopy.line)).all()
    by_mail: dict[int, list[PastedCopy]] = defaultdict(list)
    for copy in copies:
        by_mail[copy.mail_id].append(copy)
    for mail_id, waiting in by_mail.items():
        mail = session.get(MailRow, mail_id)
        chats = _chats(session, mail, custodians)
        if not chats:
            continue
        groups: dict[tuple, list[PastedCopy]] = defaultdict(list)
        for copy in waiting:
            groups[_content_key(copy)].append(copy)
        for group in groups.values():
            candidates = _candidates(session, group[0], mail_id, chats)
            in_chats = {chat for chat, _, _ in candidates}
            if len(in_chats) > 1:
                found.ambiguous += [Ambiguous(mail_id, mail.source, c.line, len(in_chats))
                                    for c in group]
                continue
            for copy, (_, message_id, text) in zip(group, candidates, strict=False):
                _capture(session, copy, mail, message_id, text, audit_id, digest)
                found.captures += 1
    return found


def _chats(session: Session, mail: MailRow, custodians: Collection[str] | None) -> set[int]:
    """The chats a copy in this mail may come from: those of the custodians it reached,
    narrowed to the chat its subject names."""
    people = select(PersonAccount.person).join(
        MailRecipient, and_(MailRecipient.address == PersonAccount.key,
                            PersonAccount.official)).where(MailRecipient.mail_id == mail.id)
    if custodians is not None:
        people = people.where(PersonAccount.person.in_(list(custodians)))
    chats = set(session.scalars(select(Export.chat_id).distinct()
                                .where(Export.custodian.in_(people))))
    named = title_from_name(mail.subject or "")
    if named is not None and chats:
        # Titles compared in NFC: a subject and a file name may spell one title two ways.
        named = unicodedata.normalize("NFC", named)
        chats = {chat_id for chat_id, title in session.execute(
            select(Chat.id, Chat.title).where(Chat.id.in_(sorted(chats))))
            if unicodedata.normalize("NFC", title) == named}
    return chats


def _content_key(copy: PastedCopy) -> tuple:
    """What makes two pasted lines of one mail identical copies."""
    if copy.kind == "media":
        content = ("file", copy.attachment) if copy.attachment else ("media",)
    elif copy.kind == "deleted":
        content = ("deleted",)
    else:
        content = ("text", copy.text)
    return (copy.sent_at.replace(second=0, microsecond=0), copy.author_key, content)


def _candidates(session: Session, copy: PastedCopy, mail_id: int,
                chats: set[int]) -> list[tuple[int, int, str]]:
    """(chat, message id, text) of the messages this copy may be of, not yet captured by
    this mail, in message order within each chat."""
    minute = copy.sent_at.replace(second=0, microsecond=0)
    a, b = aliased(PersonAccount), aliased(PersonAccount)
    author = or_(Message.author_key == copy.author_key, exists().where(
        a.key == Message.author_key, b.key == copy.author_key, a.person == b.person,
        a.official.is_(False), b.official.is_(False)))
    if copy.kind == "media":
        content = Message.kind == "media"
        if copy.attachment:
            content = and_(content, Message.attachment == copy.attachment)
    elif copy.kind == "deleted":
        content = Message.kind == "deleted"
    else:
        content = Message.text == copy.text
    taken = exists().where(Capture.message_id == Message.id, Capture.mail_id == mail_id)
    query = (select(Message.chat_id, Message.id, Message.text)
             .where(Message.chat_id.in_(chats), Message.sent_at >= minute,
                    Message.sent_at < minute + dt.timedelta(minutes=1), content, author,
                    ~taken)
             .order_by(Message.chat_id, Message.sent_at, Message.ordinal, Message.id))
    return [tuple(row) for row in session.execute(query)]


def _capture(session: Session, copy: PastedCopy, mail: MailRow, message_id: int, text: str,
             audit_id: int, digest: ImportDigest) -> None:
    shown = None if text == copy.text else copy.text
    complete = is_complete(copy)
    session.add(Capture(message_id=message_id, export_id=None, mail_id=mail.id,
                        line=copy.line, channel="official", captured_at=mail.captured_at,
                        author=copy.author, text=shown, complete=complete, audit_id=audit_id))
    session.flush()
    digest.add_capture(message_id, None, mail.id, copy.line, "official",
                       utc_key(mail.captured_at), copy.author, shown, complete)
