"""What narrows a search, a thread or an export: chat, person, author, time, kind, category.

``Filters`` holds what the investigator asked for; ``conditions`` turns it into SQL
conditions on ``messages`` after checking that the chat, the person and the category exist (a
typo must not look like "no results"). The same filters serve every command and both databases.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from retainer.archive.models import KINDS, Filing, Message, PersonAccount
from retainer.chats import chat_titled
from retainer.errors import UsageError


@dataclasses.dataclass(frozen=True)
class Filters:
    chat: str | None = None
    """Chat title, exact but case-insensitive."""
    person: str | None = None
    """A configured person: messages whose author is one of their accounts."""
    author: str | None = None
    """Part of the author as the export shows it (case-insensitive for ASCII letters)."""
    since: dt.datetime | None = None
    """Messages sent at or after this instant (aware)."""
    until: dt.datetime | None = None
    """Messages sent before this instant (aware; exclusive — ``dates`` makes a day's end the
    next day's start)."""
    kind: str | None = None
    category: str | None = None
    """Code of the category the message is filed under now (its newest filing); any case."""

    def as_log(self) -> dict[str, Any]:
        """The filters that are set, as the audit log records them (instants in UTC ISO)."""
        out: dict[str, Any] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, dt.datetime):
                value = value.astimezone(dt.UTC).isoformat()
            if value is not None:
                out[field.name] = value
        return out


def find_chat(session: Session, title: str) -> tuple[int, str]:
    """(id, title) of the chat titled ``title`` (case-insensitive).

    Raises:
        UsageError: no such chat.
    """
    found = chat_titled(session, title)
    if found is None:
        raise UsageError(f"no chat titled {title!r} (see `retainer chats`)")
    return found


def find_person(session: Session, name: str) -> str:
    """The configured person called ``name`` (case-insensitive), as configured.

    Raises:
        UsageError: nobody of that name in the configuration.
    """
    wanted = name.casefold()
    for (person,) in session.execute(select(PersonAccount.person).distinct()):
        if person.casefold() == wanted:
            return person
    raise UsageError(f"no person named {name!r} in the configuration (see `retainer people`)")


def find_category(session: Session, code: str) -> str:
    """The category code as the filings write it, for ``code`` in any case.

    A code is known when some message has been filed under it (now or earlier): that covers
    every schedule version ever used, including those no longer in ``[schedules] use``.

    Raises:
        UsageError: no message was ever filed under such a category.
    """
    if session.scalar(select(Filing.id).where(Filing.category == code).limit(1)) is not None:
        return code
    wanted = code.casefold()
    for (found,) in session.execute(select(Filing.category).distinct()):
        if found.casefold() == wanted:
            return found
    raise UsageError(f"no message is filed under a category {code!r} (codes are those of "
                     "the schedules' categories, see `retainer schedules list`; messages are "
                     "filed by `retainer classify`)")


def conditions(session: Session, filters: Filters) -> list[ColumnElement[bool]]:
    """SQL conditions on ``Message`` for ``filters``.

    Raises:
        UsageError: an unknown chat, person, kind or category, or an empty time range.
    """
    where: list[ColumnElement[bool]] = []
    if filters.chat is not None:
        where.append(Message.chat_id == find_chat(session, filters.chat)[0])
    if filters.person is not None:
        person = find_person(session, filters.person)
        where.append(Message.author_key.in_(
            select(PersonAccount.key).where(PersonAccount.person == person,
                                            PersonAccount.official.is_(False))))
    if filters.author:
        where.append(Message.author.icontains(filters.author, autoescape=True))
    if filters.kind is not None:
        if filters.kind not in KINDS:
            raise UsageError(f"unknown kind {filters.kind!r} (use one of {', '.join(KINDS)})")
        where.append(Message.kind == filters.kind)
    if filters.since is not None and filters.until is not None \
            and filters.since >= filters.until:
        raise UsageError("--since is not before --until: the time range is empty")
    if filters.since is not None:
        where.append(Message.sent_at >= filters.since)
    if filters.until is not None:
        where.append(Message.sent_at < filters.until)
    if filters.category is not None:
        where.append(current_category_is(find_category(session, filters.category)))
    return where


def current_category_is(code: str) -> ColumnElement[bool]:
    """The message's newest filing (highest id, DESIGN §6) is in category ``code``."""
    filing, newer = aliased(Filing), aliased(Filing)
    newest = select(func.max(newer.id)).where(newer.message_id == filing.message_id)
    return exists(select(filing.id).where(and_(filing.message_id == Message.id,
                                               filing.category == code,
                                               filing.id == newest.scalar_subquery())))
