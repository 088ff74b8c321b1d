"""What the records schedules make of the archive on a given day (DESIGN §6): messages
eligible for disposition, those a hold blocks, and permanent records due for transfer.

retainer only reports; it never destroys anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from retainer.archive.models import Chat, Filing, Message
from retainer.errors import ConfigError
from retainer.retention.disposition import eligible_on, transfer_due_on
from retainer.retention.holds import holding
from retainer.retention.rules import RuleBook
from retainer.retention.sending import SendingDays

STATUSES = ("eligible", "held", "transfer due", "transfer held", "retained", "permanent",
            "not in use", "unfiled")
"""``held``: eligible by its dates but covered by an active hold; ``transfer held``: a
permanent record due for transfer but covered by an active hold (a hold blocks transfer as
well as destruction, docs/schedules.md §6); ``not in use``: filed under a schedule or category
that is not among those in use (re-classify); ``unfiled``: no filing yet."""
ACTION = ("eligible", "held", "transfer due", "transfer held")
"""The statuses whose messages the report lists one by one."""


@dataclasses.dataclass
class Item:
    message_id: int
    chat: str
    sent_at_local: str
    schedule: str
    category: str
    title: str
    record: bool
    status: str
    eligible_on: dt.date | None
    transfer_due_on: dt.date | None
    holds: list[str]


@dataclasses.dataclass
class DispositionReport:
    as_of: dt.date
    counts: Counter[str]
    by_category: dict[tuple[str, str], Counter[str]]
    items: list[Item]
    """Only the messages that call for action (``ACTION``)."""


def newest_filings():
    return select(func.max(Filing.id)).group_by(Filing.message_id)


def status_of(category: object | None, eligible: dt.date | None, transfer: dt.date | None,
              as_of: dt.date, held: bool) -> str:
    """A filed message's status on ``as_of`` (see ``STATUSES``). ``category`` is None for a
    filing under a schedule or category not in use."""
    if category is None:
        return "not in use"
    if transfer is not None:  # permanent
        if transfer > as_of:
            return "permanent"
        return "transfer held" if held else "transfer due"
    if eligible is not None and eligible <= as_of:
        return "held" if held else "eligible"
    return "retained"


def build(session: Session, rulebook: RuleBook, as_of: dt.date, *,
          days: SendingDays) -> DispositionReport:
    """The disposition report as of the end of ``as_of``; ``days`` says on which day each
    message was sent (the author's custodian zone, else the archive's)."""
    day_of = days.day
    held = holding(session)
    counts: Counter[str] = Counter()
    by_category: dict[tuple[str, str], Counter[str]] = {}
    items: list[Item] = []
    cache: dict[tuple[str, str, str], tuple[dt.date | None, dt.date | None, object]] = {}
    query = (select(Message.id, Chat.title, Message.sent_at_local, Filing.schedule_id,
                    Filing.category, Message.sent_at, Message.author)
             .join(Chat, Chat.id == Message.chat_id)
             .join(Filing, Filing.message_id == Message.id)
             .where(Filing.id.in_(newest_filings())).order_by(Message.id))
    for message_id, chat, local, schedule_id, code, sent_at, author in session.execute(
            query.execution_options(yield_per=5000)):
        day = day_of(sent_at, author)
        key = (schedule_id, code, day)
        if key not in cache:
            try:
                category = rulebook.category(schedule_id, code)
            except (ConfigError, KeyError):
                category = None
            cache[key] = ((eligible_on(day, category), transfer_due_on(day, category), category)
                          if category else (None, None, None))
        eligible, transfer, category = cache[key]
        status = status_of(category, eligible, transfer, as_of, message_id in held)
        counts[status] += 1
        by_category.setdefault((schedule_id, code), Counter())[status] += 1
        if status in ACTION:
            items.append(Item(message_id, chat, local, schedule_id, code,
                              category.title, category.record, status, eligible, transfer,
                              held.get(message_id, [])))
    unfiled = session.scalar(select(func.count()).select_from(Message).where(
        ~Message.id.in_(select(Filing.message_id)))) or 0
    counts["unfiled"] += unfiled
    return DispositionReport(as_of, counts, by_category, items)
