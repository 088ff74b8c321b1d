"""When a custodian's official account was in a chat: the evidence of a copy at the time of
sending (44 U.S.C. § 2911(a)(1)).

Known from the exports only: a system notice that adds the account or says it joined, or a
message the account authored, opens a stretch of membership from that moment on; a notice that
it left or was removed closes it (DESIGN §5). Stretches are per account: a custodian with two
official phones is in the chat while either is, so removing one leaves the other's stretch
open.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from retainer.archive.models import Message, PersonAccount
from retainer.formats import phrases
from retainer.people import account_key


@dataclasses.dataclass(frozen=True)
class Stretch:
    """An official account of ``person`` in chat ``chat_id`` from ``since`` until ``until``
    (None: still), shown by message ``notice_id`` (a notice, or a message it authored) and
    ended by message ``until_id`` (the notice that it left or was removed)."""

    chat_id: int
    person: str
    account: str
    since: dt.datetime
    until: dt.datetime | None
    notice_id: int
    until_id: int | None = None


def _members(text: str) -> tuple[str, list[str]] | None:
    """("in" | "out", member strings) of a membership notice, else None."""
    for pattern in phrases.ADDED:
        if m := pattern.match(text):
            return "in", phrases.split_members(m.group("members"))
    for pattern in phrases.JOINED:
        if m := pattern.match(text):
            return "in", phrases.split_members(m.group("member"))
    for patterns in (phrases.LEFT, phrases.REMOVED):
        for pattern in patterns:
            if m := pattern.match(text):
                return "out", phrases.split_members(m.group("member"))
    return None


def stretches(session: Session, as_of: dt.datetime) -> list[Stretch]:
    """Every stretch of an official account's membership known by ``as_of``."""
    official = {key: person for key, person in session.execute(
        select(PersonAccount.key, PersonAccount.person).where(PersonAccount.official))}
    if not official:
        return []
    # (chat, person, account key) → its membership events
    events: dict[tuple[int, str, str], list[tuple[dt.datetime, int, str, str, int]]] = (
        defaultdict(list))
    notices = (select(Message.id, Message.chat_id, Message.sent_at, Message.text)
               .where(Message.kind == "system", Message.sent_at <= as_of))
    conn = session.connection()  # Core rows: no ORM bookkeeping per notice
    for message_id, chat_id, sent_at, text in conn.execute(notices):
        found = _members(text)
        if found is None:
            continue
        direction, members = found
        for member in members:
            if member in phrases.EXPORTER_WORDS:
                continue  # the exporter's own (personal) account, not an official one
            key = account_key(member)
            person = official.get(key)
            if person is not None:
                order = 0 if direction == "in" else 1
                events[chat_id, person, key].append(
                    (sent_at, order, direction, member, message_id))
    first = (select(Message.chat_id, PersonAccount.person, PersonAccount.key,
                    func.min(Message.sent_at).label("sent_at"))
             .join(PersonAccount, PersonAccount.key == Message.author_key)
             .where(PersonAccount.official, Message.sent_at <= as_of)
             .group_by(Message.chat_id, PersonAccount.person, PersonAccount.key)
             .subquery("first_authored"))
    authored = (select(first.c.chat_id, first.c.person, first.c.key, first.c.sent_at,
                       func.min(Message.id))
                .join(Message, and_(Message.chat_id == first.c.chat_id,
                                    Message.author_key == first.c.key,
                                    Message.sent_at == first.c.sent_at))
                .group_by(first.c.chat_id, first.c.person, first.c.key, first.c.sent_at))
    for chat_id, person, key, sent_at, message_id in conn.execute(authored):
        events[chat_id, person, key].append((sent_at, 0, "in", key, message_id))
    found_stretches = []
    for (chat_id, person, _), timeline in events.items():
        # Time, then message order (ids follow an export's lines), so that an account added
        # and removed within one minute opens before it closes only if the export says so.
        timeline.sort(key=lambda e: (e[0], e[4], e[1]))
        opened: tuple[dt.datetime, str, int] | None = None
        for when, _, direction, account, message_id in timeline:
            if direction == "in" and opened is None:
                opened = (when, account, message_id)
            elif direction == "out" and opened is not None:
                found_stretches.append(Stretch(chat_id, person, opened[1], opened[0], when,
                                               opened[2], message_id))
                opened = None
        if opened is not None:
            found_stretches.append(Stretch(chat_id, person, opened[1], opened[0], None,
                                           opened[2]))
    return found_stretches
