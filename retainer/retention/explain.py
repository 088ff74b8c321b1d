"""``retainer explain``: why a message is filed where it is (DESIGN §6)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from retainer.archive.models import Chat, Filing, Message
from retainer.config import Person
from retainer.errors import ConfigError, UsageError
from retainer.people import Directory
from retainer.retention.disposition import eligible_on, transfer_due_on
from retainer.retention.filing import channels_of, roles_by_key
from retainer.retention.holds import covering
from retainer.retention.rules import MessageFacts, RuleBook, rule_text
from retainer.retention.sending import SendingDays


@dataclasses.dataclass
class Explanation:
    message_id: int
    chat: str
    sent_at_local: str
    timezone: str
    author: str | None
    person: str | None
    role: str | None
    kind: str
    channels: list[str]
    text: str
    filings: list[dict[str, object]]
    """Oldest first; the last is current."""
    would_file_now: dict[str, object]
    matching_rules: list[str]
    """Every rule that matches today, in the order they are tried (the first decides)."""
    eligible_on: dt.date | None
    transfer_due_on: dt.date | None
    holds: list[str]
    """Active holds covering the message: while any is, it is neither eligible for
    disposition nor due for transfer."""
    in_use: bool
    """Whether the current filing's schedule and category are among those in use (if not,
    re-classify)."""


def explain(session: Session, message_id: int, rulebook: RuleBook,
            people: tuple[Person, ...], default_zone: str) -> Explanation:
    """Everything about one message's filing; its dates from the day it was sent in its
    author's custodian zone, else ``default_zone`` (the archive's)."""
    row = session.execute(select(Message, Chat.title).join(Chat, Chat.id == Message.chat_id)
                          .where(Message.id == message_id)).first()
    if row is None:
        raise UsageError(f"no message {message_id} in the archive")
    message, chat = row
    person = Directory(people).resolve(message.author)
    role = roles_by_key(people).get(message.author_key)
    channels = channels_of(session, [message.id]).get(message.id, frozenset())
    facts = MessageFacts(rule_text(message.text), chat, role, message.kind, channels)
    now = rulebook.file(facts)
    filings = [{"schedule": f.schedule_id, "version": f.schedule_version,
                "category": f.category, "rule": f.rule, "reason": f.reason,
                "filed_at": f.filed_at.isoformat()}
               for f in session.scalars(select(Filing).where(Filing.message_id == message.id)
                                        .order_by(Filing.id))]
    eligible = transfer = None
    in_use = True
    if filings:
        try:
            category = rulebook.category(filings[-1]["schedule"], filings[-1]["category"])
        except (KeyError, ConfigError):  # filed under a schedule no longer in use
            category = None
        in_use = category is not None
        if category is not None:
            day = SendingDays(people, default_zone).day(message.sent_at, message.author)
            eligible, transfer = eligible_on(day, category), transfer_due_on(day, category)
    holds = covering(session, message.id)
    return Explanation(
        message.id, chat, message.sent_at_local, message.timezone, message.author,
        person.name if person else None, role, message.kind, sorted(channels), message.text,
        filings, {"schedule": now.schedule_id, "version": now.schedule_version,
                  "category": now.category_code, "rule": now.rule, "reason": now.reason},
        rulebook.matching(facts), eligible, transfer, holds, in_use)
