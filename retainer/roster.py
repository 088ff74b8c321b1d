"""Who appears in the archive: the configured people with their accounts and message counts,
and the author names nobody claims yet, most frequent first, so a records officer can map
them with an alias (which then applies to everything already imported)."""

from __future__ import annotations

import dataclasses

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import Session

from retainer.archive.models import Message, PersonAccount
from retainer.config import Person


@dataclasses.dataclass
class PersonSummary:
    name: str
    custodian: bool
    role: str | None
    timezone: str | None
    aliases: tuple[str, ...]
    official_accounts: tuple[str, ...]
    messages: int
    chats: int


@dataclasses.dataclass
class Unresolved:
    author: str
    messages: int
    chats: int


def people_summary(session: Session, people: tuple[Person, ...]
                   ) -> tuple[list[PersonSummary], list[Unresolved]]:
    """People in configuration order, then unresolved authors by message count.

    Resolution goes through ``person_accounts`` (kept in step with the configuration by
    ``retainer.archive.people.sync_people``).
    """
    account = and_(PersonAccount.key == Message.author_key, PersonAccount.official.is_(False))
    counts = {person: (n, chats) for person, n, chats in session.execute(
        select(PersonAccount.person, func.count(Message.id), func.count(distinct(Message.chat_id)))
        .join(PersonAccount, account).group_by(PersonAccount.person))}
    summaries = [PersonSummary(p.name, p.custodian, p.role, p.timezone, p.aliases,
                               p.official_accounts, *counts.get(p.name, (0, 0)))
                 for p in people]
    unresolved = [Unresolved(author, n, chats) for author, n, chats in session.execute(
        select(Message.author, func.count(Message.id), func.count(distinct(Message.chat_id)))
        .outerjoin(PersonAccount, account)
        .where(Message.author.is_not(None), PersonAccount.id.is_(None))
        .group_by(Message.author).order_by(func.count(Message.id).desc(), Message.author))]
    return summaries, unresolved
